"""Verifying a sheet takes the presidium's verification opinion (核实意见): required, stored, shown on the
sheet's page and printed on its PDF instead of a fixed sentence. Steps that cannot be undone ask first."""

from __future__ import annotations

from html import unescape

import pytest

from supervise.core.errors import DomainError
from supervise.extensions import db
from supervise.sheets import operations as ops
from supervise.sheets.documents import sheet_html, sheet_pdf
from supervise.sheets.models import SheetState
from tests.helpers import html_of, pdf_text, text_of

OPINION = "经现场核实，污水处理站已提标改造完成，出水水质达标，同意办结。"


def test_verifying_without_an_opinion_is_refused_and_keeps_the_sheet_answered(town):
    sheet = town.sheet("answered")
    with pytest.raises(DomainError, match="请填写核实意见"):
        ops.verify_sheet(town.chair, sheet, opinion="   ")
    db.session.rollback()
    assert sheet.state is SheetState.answered


def test_the_chair_verifies_with_an_opinion_from_the_sheet_page(client, login_as, town):
    sheet = town.sheet("answered")
    login_as(town.chair)
    page = html_of(client.get(f"/sheets/{sheet.id}"))
    assert 'name="opinion"' in page and "核实意见" in page

    empty = client.post(f"/sheets/{sheet.id}/actions/verify", data={"opinion": " "})
    assert empty.status_code == 409 and "请填写核实意见。" in text_of(empty)
    db.session.refresh(sheet)
    assert sheet.state is SheetState.answered

    done = client.post(f"/sheets/{sheet.id}/actions/verify", data={"opinion": OPINION})
    assert done.status_code == 302
    db.session.refresh(sheet)
    assert (sheet.state, sheet.verification_opinion) == (SheetState.verified, OPINION)
    assert sheet.events[-1].details["opinion"] == OPINION
    assert OPINION in text_of(client.get(f"/sheets/{sheet.id}"))


def test_the_opinion_is_printed_instead_of_a_fixed_sentence(app, town):
    sheet = town.sheet("answered")
    ops.verify_sheet(town.chair, sheet, opinion=OPINION)
    db.session.commit()
    with app.test_request_context():
        html = sheet_html(sheet)
    assert OPINION in html and "经核实，已按要求办结。" not in html


@pytest.mark.usefixtures("pdf_tools")
def test_the_pdf_carries_the_opinion(app, town, tmp_path):
    sheet = town.sheet("answered")
    ops.verify_sheet(town.chair, sheet, opinion=OPINION)
    db.session.commit()
    with app.test_request_context():
        data, _fresh = sheet_pdf(sheet)
    text = "".join(pdf_text(data, tmp_path).split())
    assert OPINION in text
    # Its own section, with who verified it and when, as the answer has.
    assert "四、核实意见" in text and f"核实人：{town.chair.display_name}" in text and "核实日期：" in text


def test_issuing_and_verifying_ask_first_and_say_what_will_happen(client, login_as, town):
    login_as(town.chair)
    draft = town.sheet("draft")
    page = html_of(client.get(f"/sheets/{draft.id}"))
    # It names the sheet and the office it goes to, then what issuing does.
    asks = (
        f"“{draft.title}”将下发给{draft.lead_office.name}。"
        + "编号下发后，督办单送达承办单位，不能再修改或删除。确定要下发吗？"
    )
    assert f'data-confirm="{asks}"' in unescape(page)
    answered = town.sheet("answered")
    page = html_of(client.get(f"/sheets/{answered.id}"))
    assert 'data-confirm="核实办结后，督办单即告办结，不能再退回重办。确定要核实办结吗？"' in page
    # Returning can be answered again: it does not ask.
    assert page.count("data-confirm=") == 1
