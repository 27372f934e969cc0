"""The deadlines a sheet is given (sheets.workflow): never already past, when its draft is saved,
when it is issued (a draft saved earlier may have aged) and when an extension is asked for or
granted; and an extension never beyond the end of the year of the sheet's items (跨年度: its end
year). Seen on 5 December 2026, the day the tester found a sheet born overdue."""

from __future__ import annotations

import re
from datetime import date

import pytest

from supervise.extensions import db
from supervise.sheets import operations as ops
from supervise.sheets.models import FollowUpSheet, SheetState
from supervise.sheets.workflow import latest_deadline
from tests.helpers import clock_at, count, refusal_page, refused

from .conftest import Township
from .test_pages import sign_in

TODAY = date(2026, 12, 5)


@pytest.fixture(autouse=True)
def on_the_fifth_of_december(app, monkeypatch):
    clock_at(monkeypatch, TODAY)


def draft_form(town, deadline: str) -> dict:
    return {
        "title": "关于沙坪村产业路硬化进度的督办单",
        "lead_office_id": town.office.id,
        "deadline": deadline,
        "requirements": "请制定赶工计划并书面报告。",
        "lines-0-item_id": town.items[1].id,
        "lines-0-findings": "路基未压实。",
    }


def test_a_draft_with_a_past_deadline_is_refused_with_the_typing_kept(client, town):
    sign_in(client, town.chair)
    response = client.post("/sheets/new", data=draft_form(town, "2026-11-01"))
    text = refusal_page(response, "“办理时限”2026-11-01 已过，不能早于今天（2026-12-05）", status=200)
    assert "路基未压实。" in text and "请制定赶工计划并书面报告。" in text
    html = response.get_data(as_text=True)
    assert 'value="关于沙坪村产业路硬化进度的督办单"' in html and 'value="2026-11-01"' in html
    # Said under the field itself, which is marked.
    assert re.search(
        r'<input[^>]*class="[^"]*is-invalid[^"]*"[^>]*name="deadline"|name="deadline"[^>]*is-invalid', html
    )
    assert count(FollowUpSheet) == 0
    # Today is the earliest.
    assert client.post("/sheets/new", data=draft_form(town, "2026-12-05")).status_code == 302


def test_an_aged_draft_is_refused_when_saved_again_and_when_issued(client, town):
    sheet = town.sheet("draft", deadline=date(2026, 12, 20))
    sheet.deadline = date(2026, 12, 1)  # saved on 25 November, say
    db.session.commit()
    sign_in(client, town.chair)
    response = client.post(f"/sheets/{sheet.id}/edit", data=draft_form(town, "2026-12-01"))
    refusal_page(response, "“办理时限”2026-12-01 已过", status=200)

    response = client.post(f"/sheets/{sheet.id}/actions/issue")
    refusal_page(response, "“办理时限”2026-12-01 已过，不能早于今天", "请修改草稿中的办理时限后再下发")
    db.session.expire_all()
    assert sheet.state is SheetState.draft and sheet.number is None
    # Not counted among anyone's overdue sheets: it was never issued.
    assert not sheet.is_overdue(TODAY)
    refused(lambda: ops.issue_sheet(town.chair, sheet), "已过，不能早于今天")

    # Given a day ahead, it is issued.
    assert client.post(f"/sheets/{sheet.id}/edit", data=draft_form(town, "2026-12-20")).status_code == 302
    assert client.post(f"/sheets/{sheet.id}/actions/issue").status_code == 302
    db.session.expire_all()
    assert sheet.state is SheetState.issued and sheet.number is not None


def test_an_extension_goes_no_later_than_the_end_of_the_items_year(app, client, town):
    # 沙坪村产业路硬化: an item of the 2026 list that does not span years.
    one_year = Township(town.factory, town.chair, town.clerk, town.office, town.items[1:])
    sheet = one_year.sheet("acknowledged", deadline=date(2026, 12, 15))
    assert latest_deadline(sheet) == date(2026, 12, 31)
    refused(
        lambda: ops.request_extension(town.clerk, sheet, new_deadline=date(2027, 1, 15), reason="缺材料。"),
        "“申请延期至”不能晚于 2026-12-31",
    )
    ops.request_extension(town.clerk, sheet, new_deadline=date(2026, 12, 30), reason="路基须重新压实。")
    db.session.commit()

    sign_in(client, town.chair)
    response = client.post(
        f"/sheets/{sheet.id}/actions/grant_extension",
        data={"new_deadline": "2030-01-01", "reason": "给足时间。"},
    )
    text = refusal_page(response, "“同意延期至”不能晚于 2026-12-31", "跨年度事项为其结束年度")
    assert "最迟可延至 2026-12-31" in text  # said beside the form, before anyone tries
    assert "给足时间。" in text and 'value="2030-01-01"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert sheet.deadline == date(2026, 12, 15) and sheet.open_extension is not None

    response = client.post(f"/sheets/{sheet.id}/actions/grant_extension", data={"new_deadline": "2026-12-31"})
    assert response.status_code == 302
    db.session.expire_all()
    assert sheet.deadline == date(2026, 12, 31)


def test_an_item_spanning_years_may_be_extended_to_its_end_year(town):
    # 集镇污水处理站提标改造 spans years (conftest): to the end of next year.
    spans = Township(town.factory, town.chair, town.clerk, town.office, town.items[:1])
    sheet = spans.sheet("issued", deadline=date(2026, 12, 15))
    assert latest_deadline(sheet) == date(2027, 12, 31)
    ops.request_extension(town.clerk, sheet, new_deadline=date(2027, 6, 30), reason="汛期后施工。")
    ops.grant_extension(town.chair, sheet, new_deadline=date(2027, 6, 30))
    db.session.commit()
    assert sheet.deadline == date(2027, 6, 30)
    # Both of the sheet's items: the later end year bounds it.
    assert latest_deadline(town.sheet("draft")) == date(2027, 12, 31)


def test_a_sheet_without_items_is_bounded_by_its_year(town):
    findings_only = Township(town.factory, town.chair, town.clerk, town.office, [])
    sheet = findings_only.sheet("issued", findings=["路灯损坏。"], deadline=date(2026, 12, 10))
    assert latest_deadline(sheet) == date(2026, 12, 31)
    # Issued due next January (no item limits it): that year is the sheet's too.
    january = findings_only.sheet("issued", findings=["桥栏松动。"], deadline=date(2027, 1, 20))
    assert latest_deadline(january) == date(2027, 12, 31)
