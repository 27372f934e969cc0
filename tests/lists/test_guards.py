"""The guards' edge cases: what must hold before an item moves on, and what the refusal says."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from supervise.core.clock import today
from supervise.core.dates import add_months_clamped
from supervise.core.errors import DomainError
from supervise.extensions import db
from supervise.lists import operations
from supervise.lists.models import Item, ItemState, Rating, SupervisionList
from tests.helpers import html_of, refusal_page

from .conftest import event_count, events_of


def unchanged(item, state: str, events: int) -> None:
    db.session.refresh(item)
    assert item.state is ItemState(state)
    assert event_count(item) == events


# ---- supervisors: 1, at most 2, serving deputies of the item's township -------------------------


def _deputies(people, case: str) -> list:
    make = people.factory.deputy
    return {
        "none": lambda: [],
        "three": lambda: [make(), make(), make()],
        "from another township": lambda: [make(people.elsewhere)],
        "one serving, one from another township": lambda: [make(), make(people.elsewhere)],
        "no longer serving": lambda: [make(is_active=False)],
    }[case]()


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("none", "请至少选择 1 名义务监督员"),
        ("three", "每个事项最多 2 名义务监督员"),
        ("from another township", "义务监督员必须是本镇在任的代表"),
        ("one serving, one from another township", "义务监督员必须是本镇在任的代表"),
        ("no longer serving", "义务监督员必须是本镇在任的代表"),
    ],
)
def test_supervisors_are_one_or_two_serving_deputies_of_the_township(people, case, message):
    item = people.item("listed", supervisors=[])
    deputies = _deputies(people, case)

    response = people.act("presidium", item, "assign", deputy_ids=[d.id for d in deputies])

    refusal_page(response, message)
    unchanged(item, "listed", events=0)
    assert item.supervisors == []


@pytest.mark.parametrize("how_many", [1, 2])
def test_one_or_two_supervisors_start_the_supervision(people, how_many):
    item = people.item("listed", supervisors=[])
    deputies = [people.factory.deputy() for _ in range(how_many)]

    response = people.act("presidium", item, "assign", deputy_ids=[d.id for d in deputies])

    assert response.status_code == 302
    db.session.refresh(item)
    assert item.state is ItemState.supervising
    assert sorted(d.id for d in item.supervisors) == sorted(d.id for d in deputies)
    assert events_of(item)[-1].details == {"supervisors": [d.name for d in deputies]}


def test_the_same_deputy_twice_is_refused(people):
    item = people.item("listed", supervisors=[])
    deputy = people.factory.deputy()

    with pytest.raises(DomainError, match="同一名代表不能重复选择"):
        operations.fire(people.users["presidium"], item, "assign", deputies=[deputy, deputy])


def test_choosing_the_same_supervisors_again_changes_nothing_and_says_so(people):
    item = people.item("supervising")
    events = len(item.events)

    response = people.act("presidium", item, "assign", deputy_ids=[people.supervisor.id])

    assert response.status_code == 409
    assert "所选代表已是这个事项的义务监督员，没有变化。" in response.get_data(as_text=True)
    db.session.refresh(item)
    assert len(item.events) == events and item.supervisors == [people.supervisor]


def test_changing_supervisors_ends_the_old_assignment_and_keeps_a_consultation(people):
    item = people.item("consulting")
    old = people.supervisor
    new = people.factory.deputy()

    response = people.act("presidium", item, "assign", deputy_ids=[new.id])

    assert response.status_code == 302
    db.session.refresh(item)
    assert item.state is ItemState.consulting
    assert item.supervisors == [new]
    assert [(a.deputy_id, a.ended_at is not None) for a in item.assignments] == [
        (old.id, True),
        (new.id, False),
    ]


# ---- completion, confirmation, verification ---------------------------------------------------


@pytest.mark.parametrize(
    "form",
    [
        {"report": "已完工。", "evidence": ""},
        {"report": "", "evidence": "照片 3 张"},
        {"report": " ", "evidence": " "},
    ],
    ids=["without evidence", "without report", "blank"],
)
def test_completion_needs_the_report_and_its_evidence(people, form):
    item = people.item("supervising")

    response = people.act("lead_clerk", item, "report_done", **form)

    refusal_page(response, "报告完成需要填写完成情况和佐证材料")
    unchanged(item, "supervising", events=0)


def test_a_suggestion_is_answered_before_it_is_reported_done(people):
    item = people.item("supervising", kind="suggestion", handed_over_on=date(2026, 3, 1))
    done = {"report": "已协调修复路灯 12 盏。", "evidence": "现场照片"}

    refusal_page(people.act("lead_clerk", item, "report_done", **done), "代表建议须先答复")
    unchanged(item, "supervising", events=0)

    answer = people.client("lead_clerk").post(
        f"/items/{item.id}/answer", data={"answer_class": "A", "answer_text": "已列入今年计划并完成。"}
    )
    assert answer.status_code == 302
    assert people.act("lead_clerk", item, "report_done", **done).status_code == 302
    db.session.refresh(item)
    assert item.state is ItemState.completed
    assert [e.action for e in events_of(item)] == ["answer", "report_done"]


def test_verifying_waits_for_both_supervisors(people):
    second = people.factory.user("deputy")
    item = people.item("supervising", supervisors=[people.supervisor, second.deputy])
    done = {"report": "已完工。", "evidence": "验收报告"}
    assert people.act("lead_clerk", item, "report_done", **done).status_code == 302
    assert people.act("supervisor", item, "confirm_done", comment="属实").status_code == 302

    refusal_page(people.act("presidium", item, "verify"), f"还需义务监督员确认：{second.deputy.name}")
    unchanged(item, "completed", events=2)

    people.users["second"] = second
    assert people.act("second", item, "confirm_done").status_code == 302
    assert people.act("presidium", item, "verify").status_code == 302
    db.session.refresh(item)
    assert item.state is ItemState.verified


def test_a_completed_item_without_supervisors_cannot_be_verified(people):
    item = people.item("completed", supervisors=[])

    refusal_page(people.act("presidium", item, "verify"), "事项没有义务监督员")
    unchanged(item, "completed", events=0)


def test_a_supervisor_confirms_once_and_then_no_longer_sees_the_button(people):
    item = people.item("completed")
    assert people.act("supervisor", item, "confirm_done").status_code == 302

    again = people.act("supervisor", item, "confirm_done")

    refusal_page(again, "您已确认过这次报告的完成情况")
    assert event_count(item) == 1
    page = html_of(people.client("supervisor").get(f"/items/{item.id}"))
    assert f"/items/{item.id}/actions/confirm_done" not in page
    assert f"/items/{item.id}/actions/reject" in page


def test_a_new_completion_report_asks_the_supervisors_again(people):
    item = people.item("completed")
    assert people.act("supervisor", item, "confirm_done").status_code == 302
    assert people.act("supervisor", item, "reject", reason="路面仍有两处破损。").status_code == 302

    resent = people.act("lead_clerk", item, "report_done", report="破损处已修补。", evidence="照片")

    assert resent.status_code == 302
    refusal_page(people.act("presidium", item, "verify"), "还需义务监督员确认")
    assert people.act("supervisor", item, "confirm_done").status_code == 302


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_a_supervisor_rejects_only_with_a_reason(people, reason):
    item = people.item("completed")

    refusal_page(people.act("supervisor", item, "reject", reason=reason), "请填写理由")
    unchanged(item, "completed", events=0)


def test_a_rejection_goes_back_to_supervising_with_its_reason(people):
    second = people.factory.user("deputy")
    item = people.item("completed", supervisors=[people.supervisor, second.deputy])
    people.users["second"] = second

    response = people.act("second", item, "reject", reason="路面仍有两处破损。")

    assert response.status_code == 302
    db.session.refresh(item)
    assert item.state is ItemState.supervising
    event = events_of(item)[-1]
    assert (event.action, event.reason, event.actor_id) == ("reject", "路面仍有两处破损。", second.id)


# ---- withdrawing, results, closing ------------------------------------------------------------


def test_withdrawing_needs_a_reason(people):
    item = people.item("supervising")

    refusal_page(people.act("presidium", item, "withdraw", reason=" "), "请填写理由")
    unchanged(item, "supervising", events=0)


def test_withdrawing_a_livelihood_project_needs_the_congress_decision(people):
    item = people.item("supervising", kind="livelihood")
    reason = "与县城乡建设规划调整冲突。"

    refusal_page(people.act("presidium", item, "withdraw", reason=reason), "须注明人大的决定")
    unchanged(item, "supervising", events=0)

    response = people.act("presidium", item, "withdraw", reason=reason, decision="江口镇人大〔2026〕5号决定")
    assert response.status_code == 302
    db.session.refresh(item)
    assert (item.state, item.withdrawn_reason, item.congress_decision) == (
        ItemState.withdrawn,
        reason,
        "江口镇人大〔2026〕5号决定",
    )


def test_a_commitment_is_withdrawn_without_a_congress_decision(people):
    item = people.item("listed")

    assert people.act("presidium", item, "withdraw", reason="已由县里统一实施。").status_code == 302
    db.session.refresh(item)
    assert item.state is ItemState.withdrawn


@pytest.mark.parametrize("result", [None, Rating.dissatisfied], ids=["no result", "dissatisfied"])
def test_closing_needs_a_satisfied_result(people, result):
    item = people.item("verified", result=result)

    refusal_page(people.act("presidium", item, "close"), "销号需要“满意”或“基本满意”的测评结果")
    unchanged(item, "verified", events=0)


@pytest.mark.parametrize("result", [Rating.satisfied, Rating.basically_satisfied])
def test_a_satisfied_item_is_closed(people, result):
    item = people.item("verified", result=result)

    assert people.act("presidium", item, "close").status_code == 302
    db.session.refresh(item)
    assert item.state is ItemState.closed


def test_recording_a_result_needs_one(people):
    item = people.item("verified")

    refusal_page(people.act("presidium", item, "record_result", rating=""), "请选择测评结果")
    unchanged(item, "verified", events=0)


def test_a_supervisor_confirming_completion_is_never_asked_for_a_rating(people):
    item = people.item("completed")

    page = people.client("supervisor").get(f"/items/{item.id}/actions/confirm_done")

    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'name="comment"' in html
    assert 'name="rating"' not in html and "测评结果" not in html_of(page)
    reject = people.client("supervisor").get(f"/items/{item.id}/actions/reject").get_data(as_text=True)
    assert 'name="reason"' in reject and 'name="rating"' not in reject


def test_only_the_presidium_records_a_result_by_hand_when_no_meeting_rates_the_item(people):
    item = people.item("verified")

    page = people.client("presidium").get(f"/items/{item.id}/actions/record_result")

    assert page.status_code == 200 and 'name="rating"' in page.get_data(as_text=True)
    assert "没有评议会议为本事项测评时" in html_of(page)
    assert people.client("supervisor").get(f"/items/{item.id}/actions/record_result").status_code == 403
    assert people.act("supervisor", item, "record_result", rating="satisfied").status_code == 403


def test_a_result_recorded_by_hand_is_flagged_as_such(people):
    item = people.item("verified")

    assert people.act("presidium", item, "record_result", rating="basically_satisfied").status_code == 302

    db.session.refresh(item)
    assert (item.state, item.result, item.result_is_manual) == (
        ItemState.verified,
        Rating.basically_satisfied,
        True,
    )
    assert events_of(item)[-1].details == {
        "rating": "basically_satisfied",
        "rated_on": today().isoformat(),
        "manual": True,
    }
    assert item.result_on == today()
    assert "手工登记" in html_of(people.client("presidium").get(f"/items/{item.id}"))


def test_a_dissatisfied_result_sends_the_item_back_to_be_rerated_within_three_months(people):
    item = people.item("verified")

    assert people.act("presidium", item, "record_result", rating="dissatisfied").status_code == 302

    db.session.refresh(item)
    due = add_months_clamped(today(), 3)
    assert (item.state, item.result, item.rerate_deadline) == (
        ItemState.supervising,
        Rating.dissatisfied,
        due,
    )
    event = events_of(item)[-1]
    assert (event.action, event.from_state, event.to_state) == (
        "record_result",
        ItemState.verified,
        item.state,
    )
    assert event.details["rerate_deadline"] == due.isoformat()


# ---- carrying over into next year --------------------------------------------------------------


def test_carrying_over_makes_a_linked_item_in_next_years_list(people):
    item = people.item(
        "supervising", title="集镇污水管网改造", target="新建管网 3 公里", deadline=date(2026, 12, 31)
    )

    response = people.act("presidium", item, "carry_over", reason="受汛期影响，年内未能完工。")

    assert response.status_code == 302
    db.session.refresh(item)
    assert item.state is ItemState.carried_over
    new = db.session.execute(select(Item).where(Item.carried_from_id == item.id)).scalar_one()
    assert (new.supervision_list.year, new.kind, new.township_id) == (2027, item.kind, item.township_id)
    assert (new.title, new.target, new.lead_office_id) == (item.title, item.target, item.lead_office_id)
    assert new.state is ItemState.draft  # next year's list is still to be confirmed
    assert events_of(item)[-1].details == {"new_item": new.code}
    assert [e.action for e in events_of(new)] == ["create"]
    assert events_of(new)[0].item_version == new.version
    assert item.code in html_of(people.client("presidium").get(f"/items/{new.id}"))


def test_an_item_carried_into_a_confirmed_list_waits_there_as_a_draft(people):
    item = people.item("listed")
    people.factory.supervision_list(year=2027, confirmed=True)

    assert people.act("presidium", item, "carry_over", reason="跨年度实施。").status_code == 302

    new = db.session.execute(select(Item).where(Item.carried_from_id == item.id)).scalar_one()
    # Listed only when next year's list page confirms it, so the listing checks apply again.
    assert (new.supervision_list.year, new.state) == (2027, ItemState.draft)


def test_carrying_over_needs_a_reason(people):
    item = people.item("supervising")

    refusal_page(people.act("presidium", item, "carry_over", reason=""), "请填写理由")
    unchanged(item, "supervising", events=0)
    assert db.session.execute(select(SupervisionList).where(SupervisionList.year == 2027)).first() is None


# ---- confirming a list: all or nothing ----------------------------------------------------------


def test_confirming_a_list_with_an_incomplete_item_confirms_nothing_and_names_what_is_missing(people):
    complete = people.item("draft")
    no_office = people.item("draft", lead_office_id=None, deadline=None)
    no_target = people.item("draft", target="")
    supervision_list = complete.supervision_list
    # A missing deadline takes the list's default (the year's end); a missing target takes the title
    # only when the list says so (lists/test_list_defaults.py).
    supervision_list.title_is_target = False
    db.session.commit()

    response = people.client("presidium").post(f"/lists/{supervision_list.id}/confirm", follow_redirects=True)

    page = html_of(response)
    assert f"事项 {no_office.code} 缺少：主办单位。" in page
    assert f"事项 {no_target.code} 缺少：目标/标准。" in page
    assert complete.code + " 缺少" not in page
    for item in (complete, no_office, no_target):
        unchanged(item, "draft", events=0)
    db.session.refresh(supervision_list)
    assert supervision_list.confirmed_at is None


def test_confirming_a_complete_list_lists_every_draft_with_one_event_each(people):
    items = [people.item("draft") for _ in range(3)]
    supervision_list = items[0].supervision_list

    response = people.client("presidium").post(f"/lists/{supervision_list.id}/confirm")

    assert response.status_code == 302
    db.session.refresh(supervision_list)
    assert supervision_list.confirmed_at is not None
    assert supervision_list.confirmed_by_id == people.users["presidium"].id
    for item in items:
        db.session.refresh(item)
        assert item.state is ItemState.listed
        assert [(e.action, e.from_state, e.to_state) for e in events_of(item)] == [
            ("confirm", ItemState.draft, ItemState.listed)
        ]


def test_only_the_townships_presidium_confirms_its_list(people):
    item = people.item("draft")

    response = people.client("presidium_elsewhere").post(f"/lists/{item.supervision_list.id}/confirm")

    assert response.status_code == 404
    unchanged(item, "draft", events=0)


def test_assign_form_refuses_unknown_and_duplicate_deputies(client, login_as, factory):
    login_as("presidium")
    item = factory.item("listed")
    deputy = factory.deputy()
    unknown = client.post(f"/items/{item.id}/actions/assign", data={"deputy_ids": [deputy.id, 999999]})
    assert unknown.status_code == 409 and "所选的代表不存在" in unknown.get_data(as_text=True)
    twice = client.post(f"/items/{item.id}/actions/assign", data={"deputy_ids": [deputy.id, deputy.id]})
    assert twice.status_code == 409 and "不能重复选择" in twice.get_data(as_text=True)
    db.session.refresh(item)
    assert item.state.value == "listed" and item.supervisors == []


def test_the_manual_result_offers_its_grades_in_the_readers_language(people):
    item = people.item("verified")
    chair = people.client("presidium")
    assert chair.post("/language", data={"locale": "en", "next": "/items/"}).status_code == 302

    page = html_of(chair.get(f"/items/{item.id}/actions/record_result"))

    assert "Basically satisfied" in page and "基本满意" not in page
