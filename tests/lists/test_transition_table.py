"""The whole transition table over HTTP: every action × every state × every kind of person.

Cases are generated from workflow.TRANSITIONS, so a new action is covered as soon as it is in the
table. What is expected comes from the design, not from the engine's own checks:
- a person of a role the action does not name, or the wrong one of the right role (a deputy who does
  not supervise the item, a clerk of another office) is refused with 403, in every state;
- another township's presidium gets 404: its items do not exist for them;
- the right person in a state the action does not start from is refused with 409;
- otherwise the action succeeds: 302, the item in its next state, exactly one new event.
"""

from __future__ import annotations

import pytest

from supervise.core.clock import utcnow
from supervise.core.permissions import Role
from supervise.extensions import db
from supervise.lists.models import ItemState, Rating
from supervise.lists.workflow import TRANSITIONS, ItemInput

from .conftest import ELSEWHERE, INSIDERS, PERSONAS, event_count, events_of

S = ItemState
# The actions fired from the item page's buttons (amend and answer have pages of their own).
PANEL = {action: t for action, t in TRANSITIONS.items() if t.on_panel}

# The designed life of an item (the diagram atop lists/workflow.py): for each action, the state each source
# state leads to, and whose action it is. A new action must be added here too, so that the table
# is checked against what the township does and not only against itself.
BEFORE_CLOSING = (S.draft, S.listed, S.supervising, S.consulting, S.completed, S.verified)
UNDER_WAY = (S.listed, S.supervising, S.consulting)
DESIGN = {
    "confirm": ({S.draft: S.listed}, {"presidium"}),
    # Amending an item's fields and answering a suggestion leave its state as it is.
    "amend": ({s: s for s in (S.draft, *UNDER_WAY)}, {"presidium"}),
    "answer": ({s: s for s in UNDER_WAY}, {"government"}),
    # Changing supervisors during a consultation leaves the item in consultation.
    "assign": (
        {S.listed: S.supervising, S.supervising: S.supervising, S.consulting: S.consulting},
        {"presidium"},
    ),
    "open_consultation": ({S.supervising: S.consulting}, {"presidium"}),
    "conclude_consultation": ({S.consulting: S.supervising}, {"presidium"}),
    "report_done": ({S.supervising: S.completed}, {"government"}),
    "confirm_done": ({S.completed: S.completed}, {"deputy"}),
    "reject": ({S.completed: S.supervising}, {"deputy"}),
    "verify": ({S.completed: S.verified}, {"presidium"}),
    # The evaluation meeting rates items in any open state; a satisfied result keeps the state (a
    # verified item may then be closed); a dissatisfied one: see the next test.
    "record_result": ({s: s for s in (*UNDER_WAY, S.completed, S.verified)}, {"presidium"}),
    "close": ({S.verified: S.closed}, {"presidium"}),
    # A proposer judges a suggestion's answer; 满意 keeps the state, 不满意: see the test below.
    "answer_opinion": ({s: s for s in (*UNDER_WAY, S.completed)}, {"deputy"}),
    # The presidium moves the answer deadline of a suggestion handled afresh (重新办理).
    "reanswer_deadline": ({s: s for s in UNDER_WAY}, {"presidium"}),
    "withdraw": (dict.fromkeys(BEFORE_CLOSING, S.withdrawn), {"presidium"}),
    "carry_over": (
        dict.fromkeys((S.listed, S.supervising, S.consulting, S.completed), S.carried_over),
        {"presidium"},
    ),
}


def test_the_table_is_the_designed_workflow():
    table = {
        action: ({state: t.next_state(state) for state in t.sources}, {role.value for role in t.roles})
        for action, t in TRANSITIONS.items()
    }
    assert table == DESIGN


def test_a_proposers_dissatisfaction_puts_a_suggestion_reported_done_back_under_supervision():
    opinion = TRANSITIONS["answer_opinion"]
    bad, fair = ItemInput(rating=Rating.dissatisfied), ItemInput(rating=Rating.satisfied)
    assert opinion.next_state(S.completed, bad) is S.supervising
    assert opinion.next_state(S.completed, fair) is S.completed
    for state in UNDER_WAY:
        assert opinion.next_state(state, bad) is state


def test_a_dissatisfied_result_goes_back_to_supervising_by_the_table():
    record_result = TRANSITIONS["record_result"]
    bad, fair = ItemInput(rating=Rating.dissatisfied), ItemInput(rating=Rating.basically_satisfied)
    # Reported done (completed or verified): back to supervising, to be re-rated.
    assert record_result.next_state(S.verified, bad) is S.supervising
    assert record_result.next_state(S.completed, bad) is S.supervising
    assert record_result.next_state(S.verified, fair) is S.verified
    assert record_result.next_state(S.completed, fair) is S.completed
    # Still under way: the item keeps its state (a listed item gets no supervising without supervisors).
    for state in UNDER_WAY:
        assert record_result.next_state(state, bad) is state
        assert record_result.next_state(state, fair) is state
    assert record_result.targets() == {S.supervising, *UNDER_WAY}


def test_nothing_leaves_a_closed_withdrawn_or_carried_over_item():
    final = {S.closed, S.withdrawn, S.carried_over}
    assert [t.action for t in TRANSITIONS.values() if t.sources & final] == []


# Everything any action's form may need, filled so that the guards hold.
GOOD_FORM = {
    "reason": "经主席团会议研究同意。",
    "decision": "江口镇人大〔2026〕3号决定",
    "report": "道路硬化 2.3 公里已全部完工。",
    "evidence": "竣工验收报告、现场照片 12 张。",
    "comment": "现场查看属实。",
    "rating": Rating.satisfied.value,
}


def _all_supervisors_confirmed(item) -> None:
    for assignment in item.assignments:
        assignment.confirmed_at = utcnow()


def _rated_satisfied(item) -> None:
    item.result = Rating.satisfied


# Actions whose guard needs more than a filled form: what a township has done before.
PREPARE = {"verify": _all_supervisors_confirmed, "close": _rated_satisfied}


# Transitions that belong to a record: the whole list, or a consultation with its minutes. Fired
# bare from the item's page they are refused (409); tests/meetings and the list tests fire them.
WITH_RECORD = {"confirm", "open_consultation", "conclude_consultation"}


def expected(action: str, state: ItemState, persona: str):
    """(status, state afterwards, new events) as the design says."""
    transition = TRANSITIONS[action]
    if persona in ELSEWHERE:
        return 404, state, 0
    if Role(PERSONAS[persona]) not in transition.roles or persona not in INSIDERS:
        return 403, state, 0
    if state not in transition.sources or action in WITH_RECORD:
        return 409, state, 0
    return 302, transition.next_state(state), 1


def _item_in(people, state: ItemState):
    # Closed items carry their result (a database CHECK), as they do in life.
    extra = {"result": Rating.satisfied} if state is S.closed else {}
    return people.item(state.value, **extra)


@pytest.mark.parametrize("action", list(PANEL))
def test_each_person_may_fire_exactly_what_the_table_allows(people, action):
    outcome, wanted = {}, {}
    # Not yet the items' supervisor: choosing the same supervisors again changes nothing (a 409).
    newcomer = people.factory.deputy()
    for state in ItemState:
        for persona in PERSONAS:
            item = _item_in(people, state)
            PREPARE.get(action, lambda _item: None)(item)
            before = event_count(item)

            response = people.act(persona, item, action, **GOOD_FORM, deputy_ids=[newcomer.id])

            db.session.refresh(item)
            case = f"{state.value} / {persona}"
            outcome[case] = (response.status_code, item.state, event_count(item) - before)
            wanted[case] = expected(action, state, persona)
            if response.status_code == 302:
                last = events_of(item)[-1]
                assert (last.action, last.from_state, last.to_state, last.actor_id) == (
                    action,
                    state,
                    item.state,
                    people.users[persona].id,
                ), case
    assert outcome == wanted


@pytest.mark.parametrize("action", sorted(PANEL))
def test_a_refusal_explains_itself(people, action):
    """A 409 is a page that says what stands in the way, in the user's words."""
    wrong = next(s for s in (S.closed, S.withdrawn, S.draft) if s not in TRANSITIONS[action].sources)
    item = _item_in(people, wrong)
    insider = next(p for p in INSIDERS if Role(PERSONAS[p]) in TRANSITIONS[action].roles)

    response = people.act(insider, item, action, **GOOD_FORM, deputy_ids=[people.supervisor.id])

    assert response.status_code == 409
    assert f"事项当前为“{wrong.label}”，不能“{TRANSITIONS[action].label}”" in response.get_data(as_text=True)


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - ELSEWHERE))
def test_the_buttons_are_the_actions_the_person_may_fire(people, persona):
    shown, allowed = {}, {}
    for state in ItemState:
        item = _item_in(people, state)
        page = people.client(persona).get(f"/items/{item.id}").get_data(as_text=True)

        shown[state] = {action for action in PANEL if f'/items/{item.id}/actions/{action}"' in page}
        allowed[state] = {action for action in PANEL if expected(action, state, persona)[0] == 302}
    assert shown == allowed
