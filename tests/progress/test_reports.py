"""Monthly reports: only the lead office reports, a correction is a new version, bad input is kept."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from supervise.core.dates import shift_month
from supervise.core.errors import DomainError
from supervise.extensions import db
from supervise.lists.models import HistoryIsAppendOnly, ItemEvent
from supervise.progress import operations
from supervise.progress.models import MonthlyReport
from tests.helpers import text_of

from .conftest import month_arg


def report_count() -> int:
    return db.session.execute(select(func.count(MonthlyReport.id))).scalar_one()


def test_the_lead_office_reports_and_corrects_and_both_versions_stay(client, login_as, cycle):
    login_as(cycle.clerk)
    url = f"/progress/items/{cycle.item.id}/report?month={month_arg(cycle.this_month)}"
    assert client.get(url).status_code == 200

    first = client.post(url, data={"percent": "40", "done": "完成管网铺设 1.2 公里", "funds_spent": "35.5"})
    assert first.status_code == 302
    # A second report of the month is a correction: it needs a reason, and keeps what was typed.
    refused = client.post(url, data={"percent": "45", "done": "完成管网铺设 1.5 公里"})
    assert refused.status_code == 200
    assert "更正须说明更正理由" in text_of(refused)
    assert "完成管网铺设 1.5 公里" in refused.get_data(as_text=True)
    corrected = client.post(
        url, data={"percent": "45", "done": "完成管网铺设 1.5 公里", "correction_reason": "统计口径有误"}
    )
    assert corrected.status_code == 302

    versions = (
        db.session.execute(
            select(MonthlyReport)
            .where(MonthlyReport.item_id == cycle.item.id)
            .order_by(MonthlyReport.version)
        )
        .scalars()
        .all()
    )
    assert [(r.version, r.percent, r.correction_reason) for r in versions] == [
        (1, 40, ""),
        (2, 45, "统计口径有误"),
    ]
    assert str(versions[0].funds_spent) == "35.50"
    page = client.get(f"/items/{cycle.item.id}")
    text = text_of(page)
    assert "第 2 版（已更正）" in text and "历史版本（1）" in text
    assert "完成管网铺设 1.2 公里" in text and "完成管网铺设 1.5 公里" in text
    actions = (
        db.session.execute(
            select(ItemEvent.action).where(
                ItemEvent.item_id == cycle.item.id, ItemEvent.action == "monthly_report"
            )
        )
        .scalars()
        .all()
    )
    assert len(actions) == 2
    assert "报送月报" in text  # the timeline's label


def test_an_earlier_month_can_be_reported_late_but_not_a_month_not_owed(client, login_as, cycle):
    login_as(cycle.clerk)
    earlier = shift_month(cycle.this_month, -2)
    response = client.post(
        f"/progress/items/{cycle.item.id}/report?month={month_arg(earlier)}",
        data={"percent": "10", "done": "开工"},
    )
    assert response.status_code == 302
    before = shift_month(cycle.this_month, -5)
    assert client.get(f"/progress/items/{cycle.item.id}/report?month={month_arg(before)}").status_code == 404
    future = shift_month(cycle.this_month, 1)
    assert client.get(f"/progress/items/{cycle.item.id}/report?month={month_arg(future)}").status_code == 404
    assert client.get(f"/progress/items/{cycle.item.id}/report?month=garbage").status_code == 200


@pytest.mark.parametrize("who", ["other office", "deputy", "presidium", "supervisor"])
def test_only_the_lead_office_reports(client, login_as, factory, cycle, who):
    user = {
        "other office": lambda: factory.user("government"),
        "deputy": lambda: factory.user("deputy"),
        "presidium": lambda: cycle.chair,
        "supervisor": lambda: cycle.supervisor,
    }[who]()
    login_as(user)
    url = f"/progress/items/{cycle.item.id}/report"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"percent": "10", "done": "x"}).status_code == 403
    assert report_count() == 0


def test_another_townships_item_is_404(client, login_as, factory, cycle):
    other = factory.township("外镇")
    clerk = factory.user("government", township=other)
    login_as(clerk)
    assert client.get(f"/progress/items/{cycle.item.id}/report").status_code == 404
    assert (
        client.post(f"/progress/items/{cycle.item.id}/report", data={"percent": "1", "done": "x"}).status_code
        == 404
    )
    report = factory.monthly_report(cycle.item, cycle.this_month)
    deputy = factory.user("deputy", township=other)
    client.post("/logout")
    login_as(deputy)
    assert client.get(f"/progress/reports/{report.id}/feedback").status_code == 404


BAD = [
    ({"percent": "101", "done": "施工"}, "完成进度须在 0 到 100 之间"),
    ({"percent": "-1", "done": "施工"}, "完成进度须在 0 到 100 之间"),
    ({"percent": "abc", "done": "施工"}, "请填写整数"),
    ({"percent": "", "done": "施工"}, "请填写完成进度"),
    ({"percent": "99999999999999999999", "done": "施工"}, "完成进度须在 0 到 100 之间"),
    ({"percent": "50", "done": "施工", "funds_spent": "x"}, "请填写数字"),
    ({"percent": "50", "done": "施工", "funds_spent": "sNaN"}, "请填写数字"),
    ({"percent": "50", "done": "施工", "funds_spent": "Infinity"}, "请填写数字"),
    ({"percent": "50", "done": "施工", "funds_spent": "-3"}, "资金须为 0 或正数"),
    ({"percent": "50", "done": "施工", "funds_spent": "1e30"}, "数字太大：最大为 9999999999.99。"),
    ({"percent": "50", "done": "施工", "funds_spent": "1e309"}, "数字太大：最大为 9999999999.99。"),
    ({"percent": "50", "done": "施工", "funds_spent": "0.0000001"}, "小数点后最多 2 位"),
    ({"percent": "50", "done": "   "}, "请填写本月完成情况"),
    ({"percent": "50", "done": "施" * 2001}, "不能超过 2000 字"),
    ({"percent": "50", "done": "施工", "problems": "难" * 5000}, "不能超过 2000 字"),
]


@pytest.mark.parametrize("data,message", BAD, ids=[m + str(i) for i, (_d, m) in enumerate(BAD)])
def test_bad_input_keeps_the_typing_and_says_why(client, login_as, cycle, data, message):
    login_as(cycle.clerk)
    response = client.post(f"/progress/items/{cycle.item.id}/report", data=data)
    assert response.status_code == 200  # shown again (200 keeps accepted photos: see the view)
    assert message in text_of(response)
    html = response.get_data(as_text=True)
    for value in data.values():
        if value.strip() and len(value) < 100:
            assert value in html
    assert report_count() == 0


def test_script_in_report_text_comes_out_escaped(client, login_as, cycle):
    login_as(cycle.clerk)
    client.post(
        f"/progress/items/{cycle.item.id}/report", data={"percent": "5", "done": "<script>alert(1)</script>"}
    )
    html = client.get(f"/items/{cycle.item.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_reports_are_append_only(factory, cycle):
    report = factory.monthly_report(cycle.item, cycle.this_month)
    db.session.commit()
    report.percent = 99
    with pytest.raises(HistoryIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    report = db.session.get(MonthlyReport, report.id)
    db.session.delete(report)
    with pytest.raises(HistoryIsAppendOnly):
        db.session.flush()
    db.session.rollback()


def test_a_photo_goes_with_the_report(client, login_as, cycle):
    from tests.uploads.samples import png_upload

    login_as(cycle.clerk)
    url = f"/progress/items/{cycle.item.id}/report"
    # The photo is kept while the form is shown again for an error, then saved with the report.
    first = client.post(
        url,
        data={"percent": "abc", "done": "施工", "files": [png_upload("现场.png")]},
        content_type="multipart/form-data",
    )
    assert first.status_code == 200 and "现场.png" in first.get_data(as_text=True)
    from supervise.uploads.models import Attachment

    kept = db.session.execute(select(Attachment.id)).scalars().all()
    done = client.post(url, data={"percent": "30", "done": "施工", "kept_files": ",".join(map(str, kept))})
    assert done.status_code == 302
    report = db.session.execute(select(MonthlyReport)).scalar_one()
    attachment = db.session.get(Attachment, kept[0])
    assert (attachment.owner_kind, attachment.owner_id) == ("monthly_report", report.id)
    assert f"/files/{attachment.id}" in client.get(f"/items/{cycle.item.id}").get_data(as_text=True)


def test_a_percent_below_last_months_asks_for_a_reason_then_is_kept_with_it(client, login_as, cycle):
    login_as(cycle.clerk)
    last = shift_month(cycle.this_month, -1)
    assert (
        client.post(
            f"/progress/items/{cycle.item.id}/report?month={month_arg(last)}",
            data={"percent": "38", "done": "主体完工"},
        ).status_code
        == 302
    )
    url = f"/progress/items/{cycle.item.id}/report?month={month_arg(cycle.this_month)}"
    assert f"上次月报（{month_arg(last)}）为 38%" in text_of(client.get(url))

    typed = {"percent": "10", "done": "按实际工程量重新核算"}
    refused = client.post(url, data=typed)
    assert report_count() == 1
    text = text_of(refused)
    assert f"上次月报（{month_arg(last)}）的完成进度是 38%，本次填写的 10% 低于它" in text
    assert "下调理由" in text  # the field to give it, with the typing kept
    html = refused.get_data(as_text=True)
    assert 'name="correction_reason"' in html and "按实际工程量重新核算" in html and 'value="10"' in html

    accepted = client.post(url, data={**typed, "correction_reason": "上月误将计划数填为完成数"})
    assert accepted.status_code == 302
    newest = operations.latest_version(cycle.item.id, cycle.this_month)
    assert (newest.version, newest.percent, newest.correction_reason) == (1, 10, "上月误将计划数填为完成数")
    page = text_of(client.get(f"/items/{cycle.item.id}"))
    assert "下调理由： 上月误将计划数填为完成数" in page


def test_the_operation_refuses_a_lower_percent_without_a_reason_but_not_an_equal_one(cycle):
    last = shift_month(cycle.this_month, -1)
    operations.submit_report(cycle.clerk, cycle.item, shift_month(last, -1), percent=38, done="主体完工")
    operations.submit_report(cycle.clerk, cycle.item, last, percent=38, done="无变化")  # not lower
    with pytest.raises(DomainError, match="38%，本次填写的 30% 低于它"):
        operations.submit_report(cycle.clerk, cycle.item, cycle.this_month, percent=30, done="重新核算")
    kept = operations.submit_report(
        cycle.clerk, cycle.item, cycle.this_month, percent=30, done="重新核算", correction_reason="原报偏高"
    )
    assert kept.correction_reason == "原报偏高"
