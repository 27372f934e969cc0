"""The sheet's state table, like the items': each action allowed from its states, refused from the
others, and only for the people the table names."""

from __future__ import annotations

import pytest

from supervise.core.errors import DomainError, PermissionDenied
from supervise.extensions import db
from supervise.lists.models import ItemEvent
from supervise.sheets import operations as ops
from supervise.sheets.models import AWAITING_ANSWER_STATES, SheetEvent, SheetState
from supervise.sheets.workflow import TRANSITIONS, WORKFLOW

STATES = ["draft", "issued", "acknowledged", "answered", "returned", "verified"]
# action -> (who fires it, states it starts from, state it leads to)
TABLE = {
    "issue": ("chair", {"draft"}, "issued"),
    "acknowledge": ("clerk", {"issued"}, "acknowledged"),
    "answer": ("clerk", {"acknowledged", "returned"}, "answered"),
    "verify": ("chair", {"answered"}, "verified"),
    "return": ("chair", {"answered"}, "returned"),
}
INPUTS = {
    "answer": {"measures": "已整改。", "evidence": "照片。"},
    "return": {"reason": "答复不完整。"},
    "verify": {"opinion": "经核实，已整改到位。"},
}


# Extension requests (延期申请) keep the sheet's state, while an answer is owed.
EXTENSIONS = {"request_extension", "grant_extension", "refuse_extension"}


def test_the_table_is_the_one_the_operations_use():
    assert {a: (t.sources, t.target) for a, t in TRANSITIONS.items()} == {
        **{
            a: ({SheetState(s) for s in sources}, SheetState(target))
            for a, (_who, sources, target) in TABLE.items()
        },
        **{a: (AWAITING_ANSWER_STATES, None) for a in EXTENSIONS},
    }


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", list(TABLE))
def test_each_action_from_each_state(town, state, action):
    who, sources, target = TABLE[action]
    sheet = town.sheet(state)
    user = getattr(town, who)
    if state in sources:
        ops.fire(user, sheet, action, **INPUTS.get(action, {}))
        assert sheet.state is SheetState(target)
        assert sheet.events[-1].action == action
    else:
        with pytest.raises(DomainError) as refused:
            ops.fire(user, sheet, action, **INPUTS.get(action, {}))
        assert not isinstance(refused.value, PermissionDenied)
        assert "不能" in refused.value.message
        db.session.rollback()
        assert sheet.state is SheetState(state)


@pytest.mark.parametrize("action", ["acknowledge", "answer"])
def test_only_the_addressed_office_acknowledges_and_answers(town, factory, action):
    sheet = town.sheet("issued" if action == "acknowledge" else "acknowledged")
    other_office_clerk = factory.user("government")  # another office of the same township
    whole_government = factory.user("government", office_id=None)
    foreign_clerk = factory.user("government", township=factory.township(), office_id=town.office.id)
    for outsider in (other_office_clerk, whole_government, foreign_clerk, town.chair):
        with pytest.raises(PermissionDenied):
            ops.fire(outsider, sheet, action, **INPUTS.get(action, {}))
        assert WORKFLOW.available(sheet, outsider) == []
    assert [t.action for t in WORKFLOW.available(sheet, town.clerk)] == [action, "request_extension"]


@pytest.mark.parametrize("action", ["issue", "verify", "return"])
def test_only_the_townships_presidium_issues_verifies_and_returns(town, factory, action):
    sheet = town.sheet("draft" if action == "issue" else "answered")
    for outsider in (
        town.clerk,
        factory.user("presidium", township=factory.township()),
        factory.user("county"),
    ):
        with pytest.raises(PermissionDenied):
            ops.fire(outsider, sheet, action, **INPUTS.get(action, {}))


def test_guards_ask_for_what_is_missing(town):
    sheet = town.sheet("draft", requirements="", deadline=None)
    with pytest.raises(DomainError, match="督办要求、办理时限"):
        ops.issue_sheet(town.chair, sheet)
    db.session.rollback()
    sheet = town.sheet("acknowledged")
    with pytest.raises(DomainError, match="采取的措施"):
        ops.answer_sheet(town.clerk, sheet, measures=" ", evidence="验收报告。")
    db.session.rollback()
    sheet = town.sheet("acknowledged")
    with pytest.raises(DomainError, match="佐证材料"):
        ops.answer_sheet(town.clerk, sheet, measures="已整改。", evidence=" ")
    db.session.rollback()
    sheet = town.sheet("answered")
    with pytest.raises(DomainError, match="退回的理由"):
        ops.return_sheet(town.chair, sheet, reason="  ")


def test_returned_then_answered_again_keeps_both_answers_and_the_reason(town):
    sheet = town.sheet("returned")
    assert sheet.return_reason == "答复没有说明资金来源。"
    ops.answer_sheet(town.clerk, sheet, measures="财政所已拨付 80 万元。", evidence="拨付凭证。")
    ops.verify_sheet(town.chair, sheet, opinion="经核实，已整改到位。")
    db.session.commit()
    assert [e.action for e in sheet.events] == [
        "create", "issue", "acknowledge", "answer", "return", "answer", "verify"
    ]  # fmt: skip
    answers = [e.details["measures"] for e in sheet.events if e.action == "answer"]
    assert answers == ["已增加作业班组，赶工完成。", "财政所已拨付 80 万元。"]
    assert sheet.measures == "财政所已拨付 80 万元。" and sheet.return_reason == ""
    assert sheet.acknowledged_by_id == town.clerk.id and sheet.acknowledged_at is not None


def test_every_step_shows_on_the_timeline_of_every_item(town):
    sheet = town.sheet("verified")
    for item in town.items:
        events = db.session.execute(
            db.select(ItemEvent).where(ItemEvent.item_id == item.id).order_by(ItemEvent.id)
        ).scalars()
        sheet_steps = [e for e in events if e.action.startswith("sheet_")]
        assert [e.action for e in sheet_steps] == [
            "sheet_issue", "sheet_acknowledge", "sheet_answer", "sheet_verify"
        ]  # fmt: skip
        assert all(sheet.document_number in e.details["summary"] for e in sheet_steps)
        assert all(e.details["link"] == f"/sheets/{sheet.id}" for e in sheet_steps)


def test_sheet_history_is_append_only(town):
    from supervise.lists.models import HistoryIsAppendOnly

    sheet = town.sheet("issued")
    event = db.session.execute(db.select(SheetEvent).where(SheetEvent.sheet_id == sheet.id)).scalars().first()
    event.reason = "改写历史"
    with pytest.raises(HistoryIsAppendOnly):
        db.session.flush()
    db.session.rollback()


def test_an_issued_sheet_cannot_be_edited_and_items_must_be_the_townships(town, factory):
    sheet = town.sheet("issued")
    with pytest.raises(DomainError, match="不能再修改"):
        ops.update_sheet(town.chair, sheet, {"title": "新标题"}, town.office, [])
    db.session.rollback()
    foreign_item = factory.item("supervising", township=factory.township())
    with pytest.raises(DomainError, match="必须属于本镇"):
        ops.create_sheet(town.chair, {"title": "甲"}, town.office, [(foreign_item, "")])
