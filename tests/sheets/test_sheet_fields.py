"""The fields real follow-up sheets carry: the joint lead and assisting units of its items, whom to
call on either side (the presidium's and the office's contacts), the extension requests, and for a
deputy's suggestion its answer class and the proposer's opinion; on the page and in the PDF, a short
sheet still on one page."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta

import pytest

from supervise.core.clock import today
from supervise.extensions import db
from supervise.lists.answers import give_answer_opinion
from supervise.lists.models import AnswerClass, Rating
from supervise.sheets import operations as ops
from supervise.sheets.documents import sheet_pdf
from tests.helpers import pdf_info, text_of

from .conftest import Township
from .test_pages import sign_in

needs_poppler = pytest.mark.usefixtures("pdf_tools")


def raw_text(data: bytes, tmp_path) -> str:
    """The PDF's text in the order it was written (table cells side by side are not interleaved),
    without whitespace."""
    path = tmp_path / "raw.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True)
    return "".join(out.stdout.split())


@pytest.fixture
def real(town, factory):
    """A one-line sheet about a suggestion led jointly, with an assisting unit, both contacts, a
    granted extension, the answer class and the proposer's opinion."""
    joint = factory.office(name="镇财政所")
    assisting = factory.office(name="镇农业综合服务中心")
    town.office.contact_person, town.office.contact_phone = "刘静", "0827-5212345"
    township = town.office.township
    township.contact_person, township.contact_phone = "陈国华", "0827-5210001"
    proposer = factory.user("deputy")
    item = factory.item(
        "supervising",
        kind="suggestion",
        title="关于修复高桥村灌溉渠的建议",
        lead_office_id=town.office.id,
        answer_class=AnswerClass.B,
        answer_text="已列入明年水利计划。",
        handed_over_on=date(2026, 3, 1),
        # Spanning years: the extension granted below, a month ahead, stays within its years.
        end_year=today().year + 1,
    )
    item.joint_lead_offices = [joint]
    item.assisting_offices = [assisting]
    item.proposers = [proposer.deputy]
    db.session.commit()
    give_answer_opinion(proposer, item, Rating.basically_satisfied, "希望汛期前先清淤。")
    db.session.commit()
    one = Township(town.factory, town.chair, town.clerk, town.office, [item])
    sheet = one.sheet("acknowledged", deadline=today() + timedelta(days=3))
    ops.request_extension(
        town.clerk, sheet, new_deadline=today() + timedelta(days=40), reason="渠道清淤须待枯水期。"
    )
    ops.grant_extension(town.chair, sheet, new_deadline=today() + timedelta(days=30))
    db.session.commit()
    return sheet


@needs_poppler
def test_the_pdf_shows_units_contacts_extension_and_answer(app, real, tmp_path):
    with app.test_request_context():
        data, _fresh = sheet_pdf(real)
    text = raw_text(data, tmp_path)
    new_day = today() + timedelta(days=30)
    for expected in (
        "联合牵头镇财政所",
        "协办单位镇农业综合服务中心",
        "督办方：陈国华0827-5210001",
        "承办方：刘静0827-5212345",
        "渠道清淤须待枯水期",
        f"主席团同意延期至{new_day.year}年{new_day.month}月{new_day.day}日",
        "（已延期）",
        "答复类别：B类：正在解决或列入计划",
        "代表意见：基本满意（希望汛期前先清淤。）",
    ):
        assert expected in text, expected
    # A short sheet with all of it stays on one page, its signature boxes too.
    assert pdf_info(data, tmp_path)["Pages"] == "1"
    assert "负责人签字" in text


@needs_poppler
@pytest.mark.parametrize("state", ["issued", "answered", "verified"])
def test_a_short_sheet_with_every_field_fits_one_page(app, town, factory, tmp_path, state):
    town.items[0].joint_lead_offices = [factory.office(name="镇财政所")]
    town.items[0].assisting_offices = [factory.office(name="镇农业综合服务中心")]
    town.office.contact_person, town.office.contact_phone = "刘静", "0827-5212345"
    db.session.commit()
    sheet = Township(town.factory, town.chair, town.clerk, town.office, town.items[:1]).sheet(
        "acknowledged" if state != "issued" else "issued", deadline=today() + timedelta(days=3)
    )
    ops.request_extension(
        town.clerk, sheet, new_deadline=today() + timedelta(days=30), reason="材料涨价，重新询价。"
    )
    ops.refuse_extension(town.chair, sheet, reason="须按期完成。")
    if state != "issued":
        ops.answer_sheet(town.clerk, sheet, measures="已按期完成。", evidence="验收报告。")
    if state == "verified":
        ops.verify_sheet(town.chair, sheet, opinion="经核实，已整改到位。")
    db.session.commit()
    with app.test_request_context():
        data, _fresh = sheet_pdf(sheet)
    assert pdf_info(data, tmp_path)["Pages"] == "1"
    text = raw_text(data, tmp_path)
    assert "主席团不同意延期，理由：须按期完成。" in text and "负责人签字" in text


def test_the_page_shows_units_contacts_extension_and_answer(client, real, town):
    sign_in(client, town.clerk)
    page = text_of(client.get(f"/sheets/{real.id}"))
    for expected in (
        "联合牵头单位 镇财政所",
        "协办单位 镇农业综合服务中心",
        "督办方联系人 陈国华 0827-5210001",
        "承办单位联系人 刘静 0827-5212345",
        "渠道清淤须待枯水期。",
        "已同意延期",
        "B类：正在解决或列入计划",
        "基本满意",
    ):
        assert expected in page, expected


def test_a_missing_contact_says_so(client, town):
    sheet = town.sheet("issued")
    sign_in(client, town.clerk)
    page = text_of(client.get(f"/sheets/{sheet.id}"))
    assert "督办方联系人 未填写" in page and "承办单位联系人 未填写" in page


def test_an_office_without_a_contact_gives_it_with_its_answer(client, town):
    sheet = town.sheet("acknowledged")
    sign_in(client, town.clerk)
    assert "本单位联系人" in text_of(client.get(f"/sheets/{sheet.id}"))
    response = client.post(
        f"/sheets/{sheet.id}/actions/answer",
        data={
            "measures": "已整改。",
            "evidence": "照片。",
            "contact_person": "刘静",
            "contact_phone": "0827-5212345",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (town.office.contact_person, town.office.contact_phone) == ("刘静", "0827-5212345")
    assert "承办单位联系人 刘静 0827-5212345" in text_of(client.get(f"/sheets/{sheet.id}"))


def test_a_known_contact_is_not_asked_again_nor_overwritten(client, town):
    town.office.contact_person, town.office.contact_phone = "王芳", "0827-5200000"
    db.session.commit()
    sheet = town.sheet("acknowledged")
    sign_in(client, town.clerk)
    assert "本单位联系人" not in text_of(client.get(f"/sheets/{sheet.id}"))
    data = {"measures": "已整改。", "evidence": "照片。", "contact_person": "别人", "contact_phone": "1"}
    assert client.post(f"/sheets/{sheet.id}/actions/answer", data=data).status_code == 302
    db.session.expire_all()
    assert (town.office.contact_person, town.office.contact_phone) == ("王芳", "0827-5200000")
