"""Results as the hall and the chair see them: live results, corrections that void and restore a
sheet, a recount from the raw marks, the summary before closing, closing items (销号) from the
results page, and what the pages cost."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest
from sqlalchemy import select

from supervise.ballots import paper, phone
from supervise.ballots import tally as ballots_tally
from supervise.ballots.models import SealedBallot, SealedMark
from supervise.ballots.tally import turnout
from supervise.evaluation import operations as ops
from supervise.evaluation.models import BallotCorrection, BallotKind, BallotMark, EvaluationMeeting, Mark
from supervise.evaluation.rules import Counts
from supervise.evaluation.tally import line_counts, results
from supervise.extensions import db
from supervise.lists.models import ItemState
from tests.helpers import pdf_text, refused, text_of

from .conftest import B, D, Hall, S


def boxes(hall, *ticks):
    return {line.id: ([] if t is None else [t]) for line, t in zip(hall.lines, ticks)}


def test_live_results_show_while_voting_when_the_meeting_allows_it(client, factory, login_as):
    hall = Hall(factory, results_hidden_until_closed=False)
    login_as(hall.chair)
    ids = hall.open()
    (code,) = hall.phone_codes(ids[:1])
    hall.vote(code, S, B, D, S)
    b = f"/evaluation/{hall.meeting.id}"
    page = client.get(f"{b}/results").get_data(as_text=True)
    assert "测评结果在结束投票后显示" not in page
    rows = re.findall(r'<tr data-line="(\d+)">(.*?)</tr>', page, flags=re.S)
    assert len(rows) == len(hall.lines)
    assert re.findall(r'<td class="text-end">([^<]*)</td>', rows[1][1])[:5] == ["0", "1", "0", "0", "1"]
    projection = client.get(f"{b}/projection", query_string={"partial": "1"}).get_data(as_text=True)
    assert 'id="results"' in projection and "测评结果将在主持人宣布结束投票后显示" not in projection


def test_a_correction_voids_a_sheet_and_a_later_one_restores_it(hall):
    ids = hall.open()
    (serial,) = hall.paper(ids[:1])
    hall.enter(serial, S, S, B, D)
    first = hall.lines[0].id
    assert line_counts(hall.meeting)[first] == Counts(satisfied=1)
    paper.correct_ballot(hall.chair, hall.meeting, serial, boxes(hall, S, S, B, D), True, "非正式测评表")
    db.session.commit()
    assert turnout(hall.meeting).void_ballots == 1
    assert all(c == Counts(invalid=1) for c in line_counts(hall.meeting).values())
    check = ballots_tally.reconcile(hall.meeting)
    assert (check.valid, check.invalid) == (0, 1) and check.returned == check.valid + check.invalid
    paper.correct_ballot(
        hall.clerk, hall.meeting, serial, boxes(hall, B, S, B, D), False, "核对原件，是正式表"
    )
    db.session.commit()
    assert turnout(hall.meeting).void_ballots == 0
    assert line_counts(hall.meeting)[first] == Counts(basic=1)
    ballot = paper.ballot_of(hall.meeting, serial)
    # Nothing was overwritten: the entry's marks and both corrections are all still there.
    assert len(ballot.corrections) == 2 and len(ballot.marks) == 3 * len(hall.lines)
    assert [c.made_by_id for c in ballot.corrections] == [hall.chair.id, hall.clerk.id]


def test_the_roll_call_finds_deputies_by_station(client, factory, login_as):
    chair = login_as("presidium")
    station = factory.station(name="高桥村代表联络点")
    on_station = factory.deputy(name="石正刚", station_id=station.id)
    elsewhere = factory.deputy(name="罗文秀")
    meeting = factory.evaluation_meeting(chair, deputies=2)
    db.session.commit()
    b = f"/evaluation/{meeting.id}"
    assert client.post(f"{b}/actions/start_roll_call").status_code == 302
    found = text_of(client.get(f"{b}/roll-call", query_string={"q": "高桥"}))
    assert on_station.name in found and "高桥村代表联络点" in found and elsewhere.name not in found


def test_a_code_of_another_meeting_of_the_same_township_is_refused(hall, factory):
    ids = hall.open()
    (mine,) = hall.phone_codes(ids[:1])
    other = factory.evaluation_meeting(hall.chair, deputies=0, items=[])
    ops.start_roll_call(hall.chair, other)
    for row in other.roster:
        ops.mark_attendance(hall.chair, other, row.deputy_id, True)
    ops.open_voting(hall.chair, other)
    ops.hand_out(hall.chair, other, other.roster[0].deputy_id, BallotKind.phone)
    (theirs,) = phone.draw_codes(hall.chair, other, 1)
    db.session.commit()
    refused(lambda: hall.vote(theirs, S, S, S, S), "不属于这次评议会")
    chosen = {line.id: S for line in other.lines}
    refused(lambda: phone.submit_phone_ballot(mine, other.id, chosen), "不属于这次评议会")
    hall.vote(mine, S, S, S, S)  # the refusals spent nothing
    assert db.session.execute(select(SealedBallot.meeting_id)).scalars().all() == [hall.meeting.id]


def test_a_correction_over_http_is_kept_with_who_and_why(client, login_as, hall):
    login_as(hall.chair)
    ids = hall.open()
    (serial,) = hall.paper(ids[:1])
    hall.enter(serial, S, S, S, S)
    b = f"/evaluation/{hall.meeting.id}"
    marks = {f"line-{line.id}": "dissatisfied" for line in hall.lines}
    done = client.post(f"{b}/paper/{serial}", data={"reason": "核对原件，第一项勾的是不满意", **marks})
    assert done.status_code == 302 and done.location.endswith(f"{b}/paper/{serial}")
    page = text_of(client.get(done.location))
    assert "已更正，原录入保留在记录中" in page and "核对原件，第一项勾的是不满意" in page
    assert hall.chair.display_name in page
    correction = db.session.execute(select(BallotCorrection)).scalar_one()
    assert (correction.made_by_id, correction.is_void) == (hall.chair.id, False)
    assert line_counts(hall.meeting)[hall.lines[0].id] == Counts(dissatisfied=1)


@pytest.mark.usefixtures("pdf_tools")
def test_the_summary_before_closing_leaves_the_results_blank_even_when_shown_live(app, factory, tmp_path):
    hall = Hall(factory, results_hidden_until_closed=False)
    ids = hall.open()
    codes = hall.phone_codes(ids[:2])
    for code in codes:
        hall.vote(code, S, S, S, S)
    with app.test_request_context():
        from supervise.evaluation import documents

        data, _fresh = documents.summary_pdf(hall.meeting)
    text = "".join(pdf_text(data, tmp_path).split())
    assert "测评结果汇总表" in text and "投票结束后填入测评结果" in text
    assert "100%" not in text and "评议事项1" not in text


def test_the_close_button_on_the_results_page_closes_a_satisfied_item(client, login_as, factory):
    chair = login_as("presidium")
    meeting = factory.closed_evaluation(chair, voters=3)
    db.session.commit()
    b = f"/evaluation/{meeting.id}"
    item_line = next(line for line in meeting.lines if line.item_id)
    action = f"/items/{item_line.item_id}/actions/close"
    assert action not in client.get(f"{b}/results").get_data(as_text=True)  # not before it is applied
    assert client.post(f"{b}/actions/apply_results").status_code == 302
    page = client.get(f"{b}/results").get_data(as_text=True)
    assert action in page and ">销号</button>" in page
    assert client.post(action).status_code == 302
    db.session.expire_all()
    line = next(line for line in db.session.get(EvaluationMeeting, meeting.id).lines if line.item_id)
    assert line.item.state is ItemState.closed
    assert action not in client.get(f"{b}/results").get_data(as_text=True)


def test_results_equal_an_independent_recount_of_the_raw_marks(hall):
    """Random phone ballots, paper sheets with blanks and double marks, void sheets and corrections:
    results() agrees with a count made here from the stored marks alone."""
    rng = random.Random(6)
    ids = hall.open()
    codes = hall.phone_codes(ids[:4])
    serials = hall.paper(ids[4:8])
    choices = [S, B, D]
    for code in codes:
        hall.vote(code, *[rng.choice(choices) for _line in hall.lines])
    for serial in serials:
        ticks = [rng.choice([S, B, D, None, [S, D]]) for _line in hall.lines]
        hall.enter(serial, *ticks, void=serial == serials[-1])
    for serial in serials[:3]:
        for _n in range(rng.randint(1, 3)):
            ticks = {line.id: rng.choice([[S], [B], [D], [], [S, B]]) for line in hall.lines}
            paper.correct_ballot(hall.chair, hall.meeting, serial, ticks, rng.random() < 0.3, "核对原件")
    db.session.commit()

    newest: dict[int, int | None] = {}
    for ballot_id, correction_id in db.session.execute(
        select(BallotCorrection.ballot_id, BallotCorrection.id)
    ):
        newest[ballot_id] = max(correction_id, newest.get(ballot_id) or 0)
    counted: dict[int, Counter] = {line.id: Counter() for line in hall.lines}
    for ballot_id, line_id, mark, correction_id in db.session.execute(
        select(BallotMark.ballot_id, BallotMark.line_id, BallotMark.mark, BallotMark.correction_id)
    ):
        if correction_id == newest.get(ballot_id):
            counted[line_id][Mark(mark)] += 1
    # The phone ballots wait in the sealed pool while voting is open (and are counted live).
    for line_id, mark in db.session.execute(select(SealedMark.line_id, SealedMark.mark)):
        counted[line_id][Mark(mark)] += 1
    shown = results(db.session.get(EvaluationMeeting, hall.meeting.id))
    assert len(shown) == len(hall.lines)
    for result in shown:
        c = counted[result.line.id]
        assert result.counts == Counts(
            satisfied=c[Mark.satisfied],
            basic=c[Mark.basic],
            dissatisfied=c[Mark.dissatisfied],
            invalid=c[Mark.invalid],
        )
        assert result.counts.valid + result.counts.invalid == 8  # every ballot counts once per line
    hall.check()
    ops.close_voting(hall.chair, hall.meeting)
    db.session.commit()
    assert [r.counts for r in results(hall.meeting)] == [r.counts for r in shown]


def test_the_results_page_costs_the_same_queries_for_many_rated_items(
    client, login_as, factory, count_queries
):
    chair = login_as("presidium")
    few = factory.closed_evaluation(chair, voters=2)
    ops.apply_results(chair, few)
    db.session.commit()
    client.get(f"/evaluation/{few.id}/results")  # first sight of the page after the setup's commits
    with count_queries() as first:
        assert client.get(f"/evaluation/{few.id}/results").status_code == 200
    for n in range(6):
        factory.item("verified", township=chair.township, title=f"更多事项{n}")
    many = factory.closed_evaluation(chair, voters=2)
    ops.apply_results(chair, many)
    db.session.commit()
    assert (
        len([line for line in many.lines if line.item_id])
        >= len([line for line in few.lines if line.item_id]) + 6
    )
    client.get(f"/evaluation/{many.id}/results")
    with count_queries() as second:
        assert client.get(f"/evaluation/{many.id}/results").status_code == 200
    assert second.count == first.count
