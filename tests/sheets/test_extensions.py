"""Extension requests (延期申请) on a follow-up sheet: the addressed office asks for a later deadline
with a reason, the presidium grants it (with the day it chooses) or refuses it with a reason; only a
grant moves the deadline, and overdue and reminders follow the deadline the sheet has now."""

from __future__ import annotations

from datetime import timedelta

import pytest

from supervise.core.clock import today
from supervise.core.errors import PermissionDenied
from supervise.extensions import db
from supervise.lists.models import ItemEvent
from supervise.progress.models import Notification
from supervise.sheets import operations as ops
from supervise.sheets.models import ExtensionDecision, SheetExtension, SheetState
from supervise.sheets.notifications import remind_overdue_sheets
from supervise.sheets.workflow import WORKFLOW
from tests.helpers import at_the_same_moment, count, refusal_page, refused, text_of

from .test_pages import sign_in


def later(days: int):
    return today() + timedelta(days=days)


def kinds(user) -> list[str]:
    query = db.select(Notification.kind).where(Notification.user_id == user.id).order_by(Notification.id)
    return list(db.session.execute(query).scalars())


def test_the_office_asks_and_the_presidium_grants_a_later_day_than_asked(town):
    sheet = town.sheet("acknowledged", deadline=later(3))
    ops.request_extension(town.clerk, sheet, new_deadline=later(30), reason="设备需厂家定制，到货约一个月。")
    db.session.commit()
    [request] = sheet.extensions
    assert (request.decision, request.previous_deadline, request.asked_deadline) == (
        ExtensionDecision.pending,
        later(3),
        later(30),
    )
    assert sheet.deadline == later(3) and sheet.state is SheetState.acknowledged  # nothing moves yet
    assert "sheet_extension_requested" in kinds(town.chair)

    ops.grant_extension(town.chair, sheet, new_deadline=later(20), note="给足二十天。")
    db.session.commit()
    assert sheet.deadline == later(20) and sheet.original_deadline == later(3)
    assert (request.decision, request.new_deadline, request.decided_by_id, request.decision_note) == (
        ExtensionDecision.granted,
        later(20),
        town.chair.id,
        "给足二十天。",
    )
    assert sheet.state is SheetState.acknowledged
    assert [e.action for e in sheet.events][-2:] == ["request_extension", "grant_extension"]
    assert sheet.events[-1].details["new_deadline"] == later(20).isoformat()
    assert "sheet_extension_granted" in kinds(town.clerk)
    # Every item of the sheet has it on its timeline.
    actions = db.session.execute(
        db.select(ItemEvent.action).where(ItemEvent.item_id == town.items[0].id)
    ).scalars()
    assert {"sheet_request_extension", "sheet_grant_extension"} <= set(actions)


def test_a_refusal_keeps_the_deadline_and_says_why(town):
    sheet = town.sheet("issued", deadline=later(3))
    ops.request_extension(town.clerk, sheet, new_deadline=later(30), reason="人手不足。")
    ops.refuse_extension(town.chair, sheet, reason="群众反映强烈，须按期完成。")
    db.session.commit()
    [request] = sheet.extensions
    assert request.decision is ExtensionDecision.refused and request.new_deadline is None
    assert request.decision_note == "群众反映强烈，须按期完成。"
    assert sheet.deadline == later(3) and sheet.original_deadline is None
    assert "sheet_extension_refused" in kinds(town.clerk)
    # Refused, the office may ask again (with better reasons).
    ops.request_extension(town.clerk, sheet, new_deadline=later(10), reason="已增派人手，仍需一周。")
    assert sheet.open_extension is not None


def test_only_one_request_is_open_at_a_time(town):
    sheet = town.sheet("acknowledged", deadline=later(3))
    ops.request_extension(town.clerk, sheet, new_deadline=later(30), reason="设备到货晚。")
    db.session.commit()
    assert [t.action for t in WORKFLOW.available(sheet, town.clerk)] == ["answer"]
    refused(
        lambda: ops.request_extension(town.clerk, sheet, new_deadline=later(40), reason="再延。"),
        "已有一份延期申请等待主席团决定",
    )
    assert count(SheetExtension) == 1


def test_a_decision_needs_an_open_request(town):
    sheet = town.sheet("acknowledged", deadline=later(3))
    assert WORKFLOW.available(sheet, town.chair) == []
    refused(lambda: ops.grant_extension(town.chair, sheet, new_deadline=later(9)), "没有等待决定的延期申请")
    refused(lambda: ops.refuse_extension(town.chair, sheet, reason="不行。"), "没有等待决定的延期申请")


@pytest.mark.parametrize(
    ("asked", "reason", "message"),
    [
        (None, "理由", "请填写“申请延期至”的日期"),
        (2, "理由", "须晚于现在的办理时限"),
        (30, "  ", "请填写申请延期的理由"),
    ],
    ids=["no day", "not later", "no reason"],
)
def test_a_request_needs_a_later_day_and_a_reason(town, asked, reason, message):
    sheet = town.sheet("acknowledged", deadline=later(3))
    day = later(asked) if asked is not None else None
    refused(lambda: ops.request_extension(town.clerk, sheet, new_deadline=day, reason=reason), message)
    assert count(SheetExtension) == 0


@pytest.mark.parametrize("state", ["draft", "answered", "verified"])
def test_no_extension_once_answered_or_before_issue(town, state):
    sheet = town.sheet(state)
    message = refused(
        lambda: ops.request_extension(town.clerk, sheet, new_deadline=later(90), reason="晚了。")
    )
    assert f"督办单当前为“{sheet.state.label}”，不能“申请延期”" in message
    assert count(SheetExtension) == 0


def test_answering_while_a_request_is_open_lapses_it(town):
    sheet = town.sheet("acknowledged", deadline=later(3))
    ops.request_extension(town.clerk, sheet, new_deadline=later(30), reason="设备到货晚。")
    ops.answer_sheet(town.clerk, sheet, measures="已提前完成。", evidence="照片。")
    db.session.commit()
    assert sheet.extensions[0].decision is ExtensionDecision.lapsed and sheet.open_extension is None


def test_who_asks_and_who_decides(town, factory):
    sheet = town.sheet("acknowledged", deadline=later(3))
    other_office = factory.user("government")
    for outsider in (other_office, town.chair, factory.user("deputy")):
        with pytest.raises(PermissionDenied):
            ops.request_extension(outsider, sheet, new_deadline=later(30), reason="理由。")
    ops.request_extension(town.clerk, sheet, new_deadline=later(30), reason="理由。")
    elsewhere = factory.user("presidium", township=factory.township())
    for outsider in (town.clerk, elsewhere, factory.user("county")):
        with pytest.raises(PermissionDenied):
            ops.grant_extension(outsider, sheet, new_deadline=later(30))
        with pytest.raises(PermissionDenied):
            ops.refuse_extension(outsider, sheet, reason="不行。")


def test_a_granted_extension_ends_the_overdue_and_reminds_again_after_the_new_day(town):
    sheet = town.sheet("acknowledged", deadline=later(-5))
    assert sheet.is_overdue(today())
    [*first] = [n for n in remind_overdue_sheets(today()) if n.user_id == town.clerk.id]
    assert first and first[0].due_on == later(-5)
    ops.request_extension(town.clerk, sheet, new_deadline=later(10), reason="汛期停工。")
    ops.grant_extension(town.chair, sheet, new_deadline=later(10))
    db.session.commit()
    assert not sheet.is_overdue(today())
    assert remind_overdue_sheets(today()) == []
    assert all(n.read_at is not None for n in first)  # the old reminder is settled
    again = remind_overdue_sheets(later(11))
    assert {n.due_on for n in again} == {later(10)} and town.clerk.id in {n.user_id for n in again}
    assert remind_overdue_sheets(later(12)) == []  # once per deadline


def test_a_refused_extension_stays_overdue(town):
    sheet = town.sheet("issued", deadline=later(-1))
    ops.request_extension(town.clerk, sheet, new_deadline=later(10), reason="人手不足。")
    ops.refuse_extension(town.chair, sheet, reason="须按期完成。")
    db.session.commit()
    assert sheet.is_overdue(today()) and sheet.deadline == later(-1)


# ---- the pages -----------------------------------------------------------------------------------


def test_the_pages_ask_and_decide(app, client, town):
    sheet = town.sheet("acknowledged", deadline=later(3))
    sign_in(client, town.clerk)
    page = text_of(client.get(f"/sheets/{sheet.id}"))
    assert "申请延期" in page
    response = client.post(
        f"/sheets/{sheet.id}/actions/request_extension",
        data={"new_deadline": later(30).isoformat(), "reason": "设备需厂家定制。"},
    )
    assert response.status_code == 302
    chair = app.test_client()
    sign_in(chair, town.chair)
    page = text_of(chair.get(f"/sheets/{sheet.id}"))
    assert "延期申请待决定" in page and "设备需厂家定制。" in page and "同意延期" in page
    assert f'value="{later(30).isoformat()}"' in chair.get(f"/sheets/{sheet.id}").get_data(as_text=True)
    response = chair.post(
        f"/sheets/{sheet.id}/actions/grant_extension", data={"new_deadline": later(25).isoformat()}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert sheet.deadline == later(25)
    page = text_of(chair.get(f"/sheets/{sheet.id}"))
    assert "已同意延期" in page and f"原时限 {later(3).isoformat()}" in page


def test_bad_input_keeps_the_typing(client, town):
    sheet = town.sheet("acknowledged", deadline=later(3))
    sign_in(client, town.clerk)
    response = client.post(
        f"/sheets/{sheet.id}/actions/request_extension",
        data={"new_deadline": later(1).isoformat(), "reason": "设备需厂家定制，到货约一个月。"},
    )
    text = refusal_page(response, "须晚于现在的办理时限")
    assert "设备需厂家定制，到货约一个月。" in text
    assert later(1).isoformat() in response.get_data(as_text=True)
    response = client.post(
        f"/sheets/{sheet.id}/actions/request_extension", data={"new_deadline": "明年", "reason": "理由很长。"}
    )
    assert response.status_code == 409 and "理由很长。" in text_of(response)
    assert count(SheetExtension) == 0


def test_only_the_addressed_office_and_the_presidium_reach_the_buttons(app, client, town, factory):
    sheet = town.sheet("acknowledged", deadline=later(3))
    sign_in(client, town.chair)
    data = {"new_deadline": later(30).isoformat(), "reason": "理由。"}
    assert client.post(f"/sheets/{sheet.id}/actions/request_extension", data=data).status_code == 403
    clerk = app.test_client()
    sign_in(clerk, town.clerk)
    assert clerk.post(f"/sheets/{sheet.id}/actions/request_extension", data=data).status_code == 302
    assert clerk.post(f"/sheets/{sheet.id}/actions/grant_extension", data=data).status_code == 403
    elsewhere = app.test_client()
    sign_in(elsewhere, factory.user("presidium", township=factory.township()))
    assert elsewhere.post(f"/sheets/{sheet.id}/actions/grant_extension", data=data).status_code == 404
    assert elsewhere.get(f"/sheets/{sheet.id}").status_code == 404
    db.session.expire_all()
    assert sheet.deadline == later(3)


def test_two_decisions_at_the_same_moment_one_wins(postgres_app):
    """A vice chair grants while the chair refuses: one decision is recorded, the other refused."""
    from supervise.sheets.models import FollowUpSheet
    from tests.factories import Factory

    from .conftest import Township

    factory = Factory()
    office = factory.office()
    chair, vice_chair = factory.user("presidium"), factory.user("presidium")
    clerk = factory.user("government", office_id=office.id)
    db.session.commit()
    # An item spanning years: the month-long extension stays within its years whatever today is.
    item = factory.item("supervising", lead_office_id=office.id, end_year=today().year + 1)
    sheet = Township(factory, chair, clerk, office, [item]).sheet(
        "issued", findings=["路灯损坏。"], deadline=later(3)
    )
    ops.request_extension(clerk, sheet, new_deadline=later(30), reason="灯具缺货。")
    db.session.commit()
    sheet_id, chair_id, vice_id = sheet.id, chair.id, vice_chair.id

    def decide(index: int) -> None:
        from supervise.accounts.models import User

        mine = db.session.get(FollowUpSheet, sheet_id)
        if index == 0:
            ops.grant_extension(db.session.get(User, chair_id), mine, new_deadline=later(30))
        else:
            ops.refuse_extension(db.session.get(User, vice_id), mine, reason="须按期完成。")

    assert at_the_same_moment(postgres_app, decide) == ["done", "refused"]
    db.session.expire_all()
    decisions = [e.decision for e in db.session.get(FollowUpSheet, sheet_id).extensions]
    assert len(decisions) == 1 and decisions[0] is not ExtensionDecision.pending


def test_the_presidium_home_lists_the_requests_to_decide(client, town):
    sheet = town.sheet("acknowledged", deadline=later(3))
    sign_in(client, town.chair)
    assert 'id="extensions-to-decide"' not in client.get("/").get_data(as_text=True)
    ops.request_extension(town.clerk, sheet, new_deadline=later(30), reason="设备到货晚。")
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    card = page[page.index('id="extensions-to-decide"') : page.index('id="sheets-to-verify"')]
    assert sheet.document_number in card and "延期申请待决定" in card
    ops.refuse_extension(town.chair, sheet, reason="须按期完成。")
    db.session.commit()
    assert 'id="extensions-to-decide"' not in client.get("/").get_data(as_text=True)
