"""The notice carries the fields real ones do (issue 13): lines grouped by category, joint lead units,
invested against planned funds (余 for approximate), the progress status counted and the items behind
named, the objection period and the township's contact; all frozen on publication."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from supervise.core.dates import month_end, shift_month
from supervise.extensions import db
from supervise.notices.documents import notice_html, notice_pdf
from supervise.notices.queries import line_groups, status_counts
from supervise.notices.text import chinese_numeral
from supervise.progress.status import ProgressStatus
from tests.helpers import pdf_info, pdf_text

from .conftest import MONTH, Town, make_town


def real_town(factory) -> Town:
    """A township whose commitments list has categories: one item behind, one ahead, one on
    schedule, one not reported (so not judged), with a joint lead and approximate funds."""
    township = factory.default_township
    township.notice_objection_days = 10
    township.contact_person = "李明"
    township.contact_phone = "0915-6821234"
    township.contact_address = "江口镇人民政府二楼人大办"
    chair = factory.user("presidium", township=township, display_name="王建华")
    lead = factory.office(township, name="镇农业农村办")
    joint = factory.office(township, name="镇财政所")
    school = factory.office(township, name="镇中心学校")
    year = MONTH.year
    commitments = factory.supervision_list("commitment", year=year)
    commitments.categories = ["教育", "交通"]
    far = date(year + 2, 12, 31)

    def item(title, category, percent, deadline, **fields):
        made = factory.item(
            "supervising", year=year, title=title, category=category, deadline=deadline, **fields
        )
        if percent is not None:
            factory.report_row(made, percent=percent, done=f"{title}按计划推进。")
        return made

    items = [
        # Code order puts 交通 first: the notice still follows the list's category order.
        item(
            "沙坪村产业路硬化",
            "交通",
            10,
            month_end(MONTH),
            lead_office_id=lead.id,
            joint_lead_offices=[joint],
            planned_funds=Decimal("230"),
            planned_funds_approx=True,
        ),
        item("中心小学运动场改造", "教育", 100, far, lead_office_id=school.id, planned_funds=Decimal("80.5")),
        item("集镇停车场建设", "交通", 95, month_end(MONTH), lead_office_id=lead.id),
        item("幼儿园扩建", "教育", None, far, lead_office_id=school.id),
    ]
    factory.report_row(
        items[0], percent=10, month=MONTH, version=2, funds_spent=Decimal("120"), done="路基完成一半。"
    )
    # The month before: 50 spent, corrected to 30. Invested so far: 30 + 120.
    earlier = shift_month(MONTH, -1)
    factory.report_row(items[0], percent=5, month=earlier, funds_spent=Decimal("50"))
    factory.report_row(items[0], percent=5, month=earlier, version=2, funds_spent=Decimal("30"))
    db.session.commit()
    return Town(factory, township, chair, lead, items)


def test_the_snapshot_groups_by_category_and_judges_each_line(app, factory):
    town = real_town(factory)
    notice = town.publish()
    titles = [line.title for line in notice.lines]
    assert titles == ["中心小学运动场改造", "幼儿园扩建", "沙坪村产业路硬化", "集镇停车场建设"]
    by_title = {line.title: line for line in notice.lines}
    road = by_title["沙坪村产业路硬化"]
    assert road.category == "交通" and road.lead_names == "镇农业农村办、镇财政所"
    assert road.planned_funds_approx and road.funds_invested == Decimal("150")
    assert road.progress_status is ProgressStatus.behind and road.expected_percent == 100
    assert by_title["中心小学运动场改造"].progress_status is ProgressStatus.ahead
    assert by_title["集镇停车场建设"].progress_status is ProgressStatus.on_schedule
    assert by_title["幼儿园扩建"].progress_status is None
    counts = status_counts(notice.lines)
    assert (counts.ahead, counts.on_schedule, counts.behind, counts.not_judged) == (1, 1, 1, 1)
    assert [line.title for line in counts.behind_lines] == ["沙坪村产业路硬化"]
    groups = line_groups(notice.lines)
    assert [(kind, [c for c, _ in cats]) for kind, cats in groups] == [("政府承诺事项", ["教育", "交通"])]
    assert notice.objection_days == 10 and notice.contact_phone == "0915-6821234"
    first, last = notice.objection_period
    assert (last - first).days == 9


@pytest.mark.usefixtures("pdf_tools")
def test_the_pdf_prints_the_new_fields_on_one_page(app, factory, tmp_path):
    town = real_town(factory)
    notice = town.publish()
    with app.test_request_context():
        data, _fresh = notice_pdf(notice)
    text = "".join(pdf_text(data, tmp_path).split())
    first, last = notice.objection_period
    for expected in (
        f"公示期10天（自{first.year}年{first.month}月{first.day}日至{last.year}年{last.month}月{last.day}日）",
        "联系人：李明",
        "0915-6821234",  # the township's own number is printed in full, not masked
        "江口镇人民政府二楼人大办",
        "一、政府承诺事项",
        "（一）教育",
        "（二）交通",
        "进度超前1项，进度正常1项，进度滞后1项，未作判定1项",
        "进度滞后的事项：3.沙坪村产业路硬化（镇农业农村办、镇财政所）",
        "150/230余",  # invested against planned, approximate
        "联合牵头",
        "镇财政所",
        "滞后",
        "时间进度100%",
        "超过10个百分点",  # the rule in the footnote
    ):
        assert expected in text, expected


@pytest.mark.usefixtures("pdf_tools")
def test_a_short_notice_with_period_and_contact_stays_on_one_page(app, factory, tmp_path):
    town = make_town(factory, items=2)
    town.township.contact_person, town.township.contact_phone = "李明", "0915-6821234"
    town.township.contact_address = "江口镇人民政府二楼人大办"
    for n, item in enumerate(town.items, start=1):
        item.code = f"JK-{item.supervision_list.year}-C-{n:03d}"  # as long as a real code
    town.items[0].category = "交通"
    town.items[0].supervision_list.categories = ["交通"]
    db.session.commit()
    notice = town.publish()
    with app.test_request_context():
        data, _fresh = notice_pdf(notice)
    if os.environ.get("KEEP_PDF"):  # to look at it: KEEP_PDF=/tmp/notice.pdf pytest …
        Path(os.environ["KEEP_PDF"]).write_bytes(data)
    text = "".join(pdf_text(data, tmp_path).split())
    assert "公示期7天" in text and "（一）交通" in text and "（二）其他" in text
    assert int(pdf_info(data, tmp_path)["Pages"]) == 1


def test_a_published_notice_does_not_change_when_the_items_and_settings_do(app, factory):
    town = real_town(factory)
    notice = town.publish()
    with app.test_request_context():
        before = notice_html(notice)
    road = town.items[0]
    road.category = "教育"
    road.joint_lead_offices = []
    road.planned_funds_approx = False
    road.deadline = date(MONTH.year + 3, 1, 1)
    factory.report_row(road, percent=90, month=MONTH, version=3, funds_spent=Decimal("200"))
    town.township.notice_objection_days = 3
    town.township.contact_person = "赵六"
    db.session.commit()
    db.session.expire_all()
    with app.test_request_context():
        assert notice_html(db.session.get(type(notice), notice.id)) == before


def test_the_public_page_shows_the_same(app, factory, client):
    town = real_town(factory)
    notice = town.publish()
    page = client.get(town.notice_url(notice)).get_data(as_text=True)
    for expected in (
        "公示期 10 天",
        "李明",
        "0915-6821234",
        "（一）教育",
        "镇财政所",
        "230余",
        "滞后",
        "进度滞后 1 项",
    ):
        assert expected in page, expected


def test_notices_published_before_the_fields_print_without_them(app, factory):
    town = real_town(factory)
    notice = town.publish()
    # As a notice published before this change reads: no period, no contact, lines not judged.
    db.session.execute(
        db.text(
            "UPDATE public_notice SET objection_days = NULL, contact_person = '', contact_phone = '',"
            " contact_address = '', status_tolerance = NULL WHERE id = :id"
        ),
        {"id": notice.id},
    )
    db.session.commit()
    db.session.expire_all()
    with app.test_request_context():
        html = notice_html(db.session.get(type(notice), notice.id))
    assert "公示期" not in html and "联系人" not in html and "进度超前" not in html


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三")])
def test_chinese_numerals(n, text):
    assert chinese_numeral(n) == text


@pytest.mark.usefixtures("pdf_tools")
def test_an_amount_about_so_much_is_printed_with_yue_and_one_over_with_yu(app, factory, client, tmp_path):
    """约80.5万元 (about) is not 80.5余万元 (more than): the notice, its page and its PDF keep the
    list's wording, and keep it once the item changes."""
    town = real_town(factory)
    school = town.items[1]
    school.planned_funds_approx, school.planned_funds_about = True, True
    db.session.commit()
    notice = town.publish()
    by_title = {line.title: line for line in notice.lines}
    assert by_title["中心小学运动场改造"].planned_funds_about is True
    assert by_title["沙坪村产业路硬化"].planned_funds_about is False

    page = client.get(town.notice_url(notice)).get_data(as_text=True)
    assert "约80.5万元" in page and "80.5余" not in page and "230余万元" in page
    with app.test_request_context():
        data, _fresh = notice_pdf(notice)
    text = "".join(pdf_text(data, tmp_path).split())
    assert "/约80.5" in text and "80.5余" not in text and "150/230余" in text

    school.planned_funds_about = False
    db.session.commit()
    db.session.expire_all()
    assert "约80.5万元" in client.get(town.notice_url(notice)).get_data(as_text=True)
