"""Publishing a month's notice: a frozen snapshot; corrections are new notices; nothing changes one."""

from __future__ import annotations

from datetime import date
from html import unescape

import pytest
from sqlalchemy import select

from supervise.core.clock import today
from supervise.core.errors import DomainError, PermissionDenied
from supervise.extensions import db
from supervise.notices import operations as ops
from supervise.notices.models import NoticeIsFrozen, NoticeLine, PublicNotice
from tests.helpers import text_of

from .conftest import MONTH, make_town


def test_publishing_copies_each_item_as_it_stands(town):
    notice = town.publish()
    assert notice.month == MONTH
    assert notice.title == f"江口镇{MONTH.year}年{MONTH.month}月“三清单”落实情况公示"
    assert notice.issuer == "江口镇人民代表大会主席团"
    line = notice.lines[0]
    assert (line.item_code, line.title) == (town.items[0].code, "集镇道路改造提升项目")
    assert (line.kind_label, line.state_label) == ("政府承诺事项", "监督中")
    assert (line.lead_office_name, line.supervisor_names) == ("规划建设环保办公室", "杨春花")
    assert (line.reported, line.percent, line.progress, line.problems) == (
        True,
        60,
        "路基完成，正在铺设沥青。",
        "雨季影响工期。",
    )
    assert len(notice.lines) == 2


def test_the_newest_report_version_is_copied_and_later_changes_are_not(town, factory):
    factory.report_row(town.items[0], percent=70, done="更正：沥青已铺设一半。", version=2)
    notice = town.publish()
    # Live data changes after publication: the notice keeps what it copied.
    town.items[0].title = "改名后的事项"
    town.office.name = "改名后的站所"
    factory.report_row(town.items[0], percent=90, done="第三版。", version=3)
    db.session.commit()
    db.session.expire_all()
    line = db.session.get(PublicNotice, notice.id).lines[0]
    assert (line.title, line.lead_office_name, line.percent, line.progress) == (
        "集镇道路改造提升项目",
        "规划建设环保办公室",
        70,
        "更正：沥青已铺设一半。",
    )


def test_an_item_without_a_report_is_listed_as_not_reported(town, factory):
    factory.item("consulting", title="冷水沟村饮水工程", lead_office_id=town.office.id)
    db.session.commit()
    notice = town.publish()
    line = next(line for line in notice.lines if line.title == "冷水沟村饮水工程")
    assert not line.reported and line.percent is None and line.state_label == "会商中"


def test_draft_and_listed_items_are_left_out(town, factory):
    factory.item("listed", title="尚未监督的事项")
    factory.item("draft", title="草稿事项")
    db.session.commit()
    titles = [line.title for line in town.publish().lines]
    assert "尚未监督的事项" not in titles and "草稿事项" not in titles


@pytest.mark.parametrize("column,value", [("title", "改过的标题"), ("month", date(2020, 1, 1))])
def test_a_published_notice_cannot_be_updated(town, column, value):
    notice = town.publish()
    setattr(notice, column, value)
    with pytest.raises(NoticeIsFrozen):
        db.session.flush()
    db.session.rollback()


def test_a_published_line_cannot_be_updated_or_deleted(town):
    notice = town.publish()
    line = notice.lines[0]
    line.percent = 100
    with pytest.raises(NoticeIsFrozen):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(NoticeLine, line.id))
    with pytest.raises(NoticeIsFrozen):
        db.session.flush()
    db.session.rollback()


def test_a_published_notice_cannot_be_deleted(town):
    notice = town.publish()
    db.session.delete(notice)
    with pytest.raises(NoticeIsFrozen):
        db.session.flush()
    db.session.rollback()


def test_a_month_is_published_once_then_only_corrected(town):
    town.publish()
    with pytest.raises(DomainError, match="已经发布"):
        ops.publish_notice(town.chair, town.township.id, MONTH)


def test_a_future_month_cannot_be_published(town):
    future = date(MONTH.year + 1, MONTH.month, 1)
    with pytest.raises(DomainError, match="尚未到来"):
        ops.publish_notice(town.chair, town.township.id, future)


def test_only_the_townships_presidium_publishes(town, factory):
    other = factory.township("外镇")
    stranger = factory.user("presidium", township=other)
    clerk = factory.user("government")
    for user in (stranger, clerk):
        with pytest.raises(PermissionDenied):
            ops.publish_notice(user, town.township.id, MONTH)


def test_a_correction_is_a_new_notice_pointing_at_the_old_one(town, factory):
    notice = town.publish()
    before = [(line.id, line.percent) for line in notice.lines]
    factory.report_row(town.items[0], percent=65, done="更正后的进展。", version=2)
    correction = ops.publish_correction(town.chair, notice, "原公示的完成进度有误。")
    db.session.commit()
    db.session.expire_all()
    old = db.session.get(PublicNotice, notice.id)
    assert [(line.id, line.percent) for line in old.lines] == before
    assert old.corrected_by.id == correction.id
    assert correction.corrects_id == old.id and correction.month == old.month
    assert correction.title.endswith("（更正）") and correction.lines[0].percent == 65
    with pytest.raises(DomainError, match="已经更正过"):
        ops.publish_correction(town.chair, old, "再次更正")
    # The correction itself can be corrected.
    again = ops.publish_correction(town.chair, correction, "再更正一次。")
    assert again.corrects_id == correction.id


def _english(user):
    user.locale = "en"
    db.session.commit()


def test_an_english_speaking_chair_publishes_the_notice_in_chinese(town, client, login_as):
    _english(town.chair)
    login_as(town.chair)
    month = f"{MONTH.year}-{MONTH.month:02d}"
    response = client.post("/notices/publish", data={"month": month, "title": ""})
    assert response.status_code == 302
    notice = db.session.execute(select(PublicNotice)).scalar_one()
    assert notice.title == f"江口镇{MONTH.year}年{MONTH.month}月“三清单”落实情况公示"
    assert notice.issuer == "江口镇人民代表大会主席团"
    assert notice.lines[0].state_label == "监督中"
    # The chair's own page stays in English.
    assert "Presidium" not in notice.issuer and "published" in text_of(client.get("/notices/")).lower()


def test_the_preview_numbers_its_parts_in_the_readers_language(town, client, login_as):
    login_as(town.chair)
    assert "一、政府承诺事项" in text_of(client.get("/notices/preview"))
    _english(town.chair)
    text = text_of(client.get("/notices/preview"))
    assert "1. Government commitments" in text and "一、" not in text


def test_corrections_through_english_pages_are_marked_once_in_chinese(town, client, login_as):
    _english(town.chair)
    notice = town.publish()
    login_as(town.chair)
    for reason in ("进度有误", "又发现一处错误"):
        latest = db.session.execute(select(PublicNotice).order_by(PublicNotice.id.desc())).scalars().first()
        # The form offers the title it corrects, as the page does.
        form = client.get(f"/notices/{latest.id}/correct")
        assert latest.title in unescape(form.get_data(as_text=True))
        assert "data-confirm=" in form.get_data(as_text=True)  # a correction cannot be withdrawn
        done = client.post(f"/notices/{latest.id}/correct", data={"reason": reason, "title": latest.title})
        assert done.status_code == 302
    titles = db.session.execute(select(PublicNotice.title).order_by(PublicNotice.id)).scalars().all()
    assert titles == [notice.title, notice.title + "（更正）", notice.title + "（更正）"]


@pytest.mark.parametrize(
    "title,expected",
    [
        ("标题", "标题（更正）"),
        ("标题（更正）", "标题（更正）"),
        ("标题（更正）（更正）", "标题（更正）"),
        ("标题 (correction)", "标题（更正）"),
        ("关于更正道路名称的公示", "关于更正道路名称的公示（更正）"),
        ("长" * 200, "长" * 196 + "（更正）"),
    ],
)
def test_a_correction_title_is_marked_exactly_once(app, title, expected):
    with app.test_request_context():
        assert ops.correction_title(title) == expected


def test_private_numbers_in_the_item_title_and_the_correction_reason_are_masked(town, client):
    town.items[0].title = "为 13891501234 家门口修路"
    db.session.commit()
    notice = town.publish()
    correction = ops.publish_correction(
        town.chair, notice, "群众来电 0915-6821234 反映进度有误，身份证 610923199001011234 的住户已核实。"
    )
    db.session.commit()
    assert correction.lines[0].title == "为 138****1234 家门口修路"
    assert (
        correction.correction_reason
        == "群众来电 0915-******* 反映进度有误，身份证 610923********1234 的住户已核实。"
    )
    page = client.get(town.notice_url(correction)).get_data(as_text=True)
    for private in ("13891501234", "6821234", "610923199001011234"):
        assert private not in page


def test_a_correction_needs_a_reason(town):
    notice = town.publish()
    with pytest.raises(DomainError, match="原因"):
        ops.publish_correction(town.chair, notice, "  ")


def test_a_month_without_items_cannot_be_published(factory):
    chair = factory.user("presidium")
    db.session.commit()
    with pytest.raises(DomainError, match="没有可以公示的事项"):
        ops.publish_notice(chair, chair.township_id, MONTH)


# ---- pages --------------------------------------------------------------------------------------------


def test_the_preview_shows_the_snapshot_and_publishing_redirects_to_the_public_page(town, client, login_as):
    login_as(town.chair)
    page = client.get("/notices/preview")
    assert page.status_code == 200
    text = text_of(page)
    assert "集镇道路改造提升项目" in text and "路基完成，正在铺设沥青。" in text and "杨春花" in text
    month = f"{MONTH.year}-{MONTH.month:02d}"
    response = client.post("/notices/publish", data={"month": month, "title": ""})
    assert response.status_code == 302
    notice = db.session.execute(select(PublicNotice)).scalar_one()
    assert response.headers["Location"].endswith(f"/public/{town.township.slug}/notices/{notice.id}")
    again = client.post("/notices/publish", data={"month": month, "title": "再发一次"})
    assert again.status_code == 409 and "已经发布" in text_of(again)
    assert "发布更正公示" in text_of(again)  # the way forward is offered instead


@pytest.mark.parametrize("month", ["", "2026-13", "abc", "1999-01", "9999-99"])
def test_a_bad_month_is_a_clear_message(town, client, login_as, month):
    login_as(town.chair)
    preview = client.get(f"/notices/preview?month={month}")
    assert preview.status_code == 200
    if month:  # no month asked for is simply this month
        assert "月份不正确，已显示本月。" in text_of(preview)
    response = client.post("/notices/publish", data={"month": month, "title": "标题"})
    assert response.status_code == 400
    assert "月份不正确，请重新选择。" in text_of(response)
    assert db.session.execute(select(PublicNotice)).first() is None


def test_correcting_through_the_page(town, client, login_as):
    notice = town.publish()
    login_as(town.chair)
    assert client.get(f"/notices/{notice.id}/correct").status_code == 200
    empty = client.post(f"/notices/{notice.id}/correct", data={"reason": "", "title": "我的标题"})
    assert empty.status_code == 400 and "我的标题" in empty.get_data(as_text=True)
    done = client.post(f"/notices/{notice.id}/correct", data={"reason": "进度有误", "title": ""})
    assert done.status_code == 302
    twice = client.post(f"/notices/{notice.id}/correct", data={"reason": "又错了", "title": ""})
    assert twice.status_code == 409 and "又错了" in twice.get_data(as_text=True)
    assert len(db.session.execute(select(PublicNotice)).scalars().all()) == 2


def test_another_townships_notice_cannot_be_corrected(town, factory, client, login_as):
    notice = town.publish()
    other = make_town(factory, factory.township("外镇"), items=1, name="外镇主席")
    login_as(other.chair)
    assert client.get(f"/notices/{notice.id}/correct").status_code == 404
    assert client.post(f"/notices/{notice.id}/correct", data={"reason": "x"}).status_code == 404
    assert client.get("/notices/999999/correct").status_code == 404


def test_the_presidium_list_shows_notices_and_correction_state(town, client, login_as):
    notice = town.publish()
    ops.publish_correction(town.chair, notice, "进度有误")
    db.session.commit()
    login_as(town.chair)
    text = text_of(client.get("/notices/"))
    assert "已更正" in text and "更正公示" in text


def test_two_chairs_publishing_the_same_month_at_once_get_one_notice(town, monkeypatch):
    """The second one's check ran before the first committed: the database refuses the duplicate."""
    town.publish()
    monkeypatch.setattr(ops, "latest_notice", lambda *_args: None)
    with pytest.raises(DomainError, match="其他人已发布"):
        ops.publish_notice(town.chair, town.township.id, MONTH)
    db.session.rollback()
    assert len(db.session.execute(select(PublicNotice)).scalars().all()) == 1


def test_the_preview_says_how_many_listed_items_wait_for_supervisors(town, factory, client, login_as):
    login_as(town.chair)
    assert 'id="not-supervised"' not in client.get("/notices/preview").get_data(as_text=True)
    factory.item("listed", township=town.township, title="刚列入清单的事项", year=today().year)
    db.session.commit()

    page = text_of(client.get("/notices/preview"))

    assert "另有 1 个已列入清单、尚未开始监督" in page and "刚列入清单的事项" not in page
