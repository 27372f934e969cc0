"""The meeting's results on the items: every rated item, in any open state, gets its result, and its
state follows the result; the escalation page shows the newest rating only."""

from __future__ import annotations

from datetime import date

from supervise.ballots import phone
from supervise.ballots.models import BallotKind
from supervise.evaluation import operations as ops
from supervise.evaluation.models import EvaluationMeeting, Mark
from supervise.evaluation.rules import Denominator
from supervise.extensions import db
from supervise.lists import operations as item_ops
from supervise.lists.models import ItemState, Rating
from tests.helpers import text_of
from tests.meetings.test_escalation import rows

S, D = Mark.satisfied, Mark.dissatisfied
FAR = date(2030, 12, 31)  # no deadline passes while these tests are run


def _meeting(factory, chair, marks, held_on=None):
    """A closed meeting of the chair's township rating every open item of 2026 (and nothing else),
    graded on the valid votes: each item's line all ``marks[title]`` (default 满意)."""
    return factory.closed_evaluation(
        chair, voters=3, marks=marks, items=[], held_on=held_on, denominator=Denominator.valid
    )


def test_a_meeting_rates_items_in_every_open_state_and_records_each_result(factory):
    chair = factory.user("presidium")
    good = {state: factory.item(state, title=f"好·{state}", deadline=FAR) for state in OPEN}
    bad = {state: factory.item(state, title=f"差·{state}", deadline=FAR) for state in OPEN}
    meeting = _meeting(factory, chair, {item.title: D for item in bad.values()})
    rated = {line.item_id for line in meeting.lines if line.item_id}
    assert rated == {item.id for item in [*good.values(), *bad.values()]}

    applied, not_recorded = ops.apply_results(chair, meeting)
    db.session.commit()
    assert (applied, not_recorded) == (2 * len(OPEN), [])
    for state, item in good.items():
        # 满意: every item keeps its state and shows the rating.
        assert (item.state.value, item.result, item.result_on) == (state, Rating.satisfied, meeting.held_on)
        assert item.events[-1].action == "record_result"
        assert item.events[-1].details["meeting_id"] == meeting.id
    for state, item in bad.items():
        # 不满意: reported done goes back to supervising; still under way keeps its state.
        expected = "supervising" if state in ("completed", "verified") else state
        assert (item.state.value, item.result) == (expected, Rating.dissatisfied)
        assert item.rerate_deadline is not None
    # A verified 满意 item may now be closed (销号).
    item_ops.fire(chair, good["verified"], "close")
    assert good["verified"].state is ItemState.closed


OPEN = ("listed", "supervising", "consulting", "completed", "verified")


def test_an_item_under_supervision_shows_its_rating_on_its_page(client, login_as, factory):
    chair = login_as("presidium")
    item = factory.item("supervising", title="沙坪村产业路硬化", deadline=FAR)
    meeting = _meeting(factory, chair, {})
    ops.apply_results(chair, meeting)
    db.session.commit()
    text = text_of(client.get(f"/items/{item.id}"))
    assert "监督中" in text and "测评结果 满意" in text.replace("：", " ")
    assert "2026-10-15 测评" in text
    # The timeline names the step and carries the meeting's tally.
    assert "登记测评结果" in text and "满意 3、基本满意 0、不满意 0" in text


def _escalation_reasons(client, item) -> str:
    return rows(client.get("/escalation")).get(item.id, "")


def test_the_escalation_page_shows_only_the_newest_rating(client, login_as, factory):
    chair = login_as("presidium")
    item = factory.item("verified", title="镇村道路安全隐患排查整治", deadline=FAR)
    october = _meeting(factory, chair, {item.title: D})
    ops.apply_results(chair, october)
    db.session.commit()
    assert item.state is ItemState.supervising
    assert "测评结果为“不满意”" in _escalation_reasons(client, item)

    # Re-rated while still under supervision, in November: 满意 is recorded, the warning goes.
    november = _meeting(factory, chair, {}, held_on=date(2026, 11, 20))
    assert item.id in {line.item_id for line in november.lines}
    assert ops.apply_results(chair, november)[0] >= 1
    db.session.commit()
    assert (item.state, item.result) == (ItemState.supervising, Rating.satisfied)
    assert item.result_on == date(2026, 11, 20)
    assert "测评结果为“不满意”" not in _escalation_reasons(client, item)

    # A meeting held earlier but closed later cannot put its older 不满意 back: it says why.
    earlier = _meeting(factory, chair, {item.title: D}, held_on=date(2026, 11, 1))
    applied, not_recorded = ops.apply_results(chair, earlier)
    db.session.commit()
    assert any("已有 2026-11-20 的测评结果" in message for message in not_recorded)
    assert item.result is Rating.satisfied
    assert "测评结果为“不满意”" not in _escalation_reasons(client, item)
    results = text_of(client.get(f"/evaluation/{earlier.id}/results"))
    assert "已有 2026-11-20 的测评结果" in results


def test_a_rated_item_that_ended_since_is_named_before_voting_and_after(client, login_as, factory):
    chair = login_as("presidium")
    item = factory.item("listed", title="村级活动场所改造", deadline=FAR)
    meeting = factory.evaluation_meeting(chair, deputies=3)
    db.session.commit()
    assert "不能登记测评结果" not in text_of(client.get(f"/evaluation/{meeting.id}"))
    item_ops.fire(chair, item, "withdraw", reason="并入县级项目")
    db.session.commit()
    # Before voting opens, the meeting's page says this line's result cannot be recorded.
    page = text_of(client.get(f"/evaluation/{meeting.id}"))
    assert f"{item.code}：事项当前为“已撤销”，不能登记测评结果" in page
    # After closing, recording skips it and says so: never a silent 0.
    response = client.post(f"/evaluation/{meeting.id}/actions/start_roll_call")
    assert response.status_code == 302
    meeting = db.session.get(EvaluationMeeting, meeting.id)
    for row in meeting.roster:
        ops.mark_attendance(chair, meeting, row.deputy_id, True)
    ops.open_voting(chair, meeting)
    ops.hand_out(chair, meeting, meeting.roster[0].deputy_id, BallotKind.phone)
    [code] = phone.draw_codes(chair, meeting, 1)
    phone.submit_phone_ballot(code, meeting.id, {line.id: Mark.satisfied for line in meeting.lines})
    ops.close_voting(chair, meeting)
    db.session.commit()
    flashed = text_of(client.post(f"/evaluation/{meeting.id}/actions/apply_results", follow_redirects=True))
    assert f"{item.code}：事项当前为“已撤销”，不能登记测评结果" in flashed
