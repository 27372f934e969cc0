"""One submission per code and one ballot per deputy, even when requests arrive at the same moment
(PostgreSQL, two threads with their own connections, as tests/sheets/test_numbering.py does)."""

from __future__ import annotations

from sqlalchemy import func, select

from supervise.accounts.models import User
from supervise.ballots import paper, phone
from supervise.ballots.models import SealedBallot
from supervise.evaluation import operations as ops
from supervise.evaluation.models import Attendance, Ballot, BallotKind, EvaluationMeeting, Mark
from supervise.extensions import db
from tests.factories import Factory
from tests.helpers import at_the_same_moment


def _voting_meeting(factory=None):
    factory = factory or Factory()
    chair = factory.user("presidium")
    meeting = factory.evaluation_meeting(chair, deputies=4)
    ops.start_roll_call(chair, meeting)
    for row in meeting.roster:
        ops.mark_attendance(chair, meeting, row.deputy_id, True)
    ops.open_voting(chair, meeting)
    db.session.commit()
    return chair, meeting


def test_one_code_submitted_twice_at_the_same_moment_counts_once(postgres_app):
    chair, meeting = _voting_meeting()
    ops.hand_out(chair, meeting, meeting.roster[0].deputy_id, BallotKind.phone)
    (code,) = phone.draw_codes(chair, meeting, 1)
    db.session.commit()
    meeting_id, line_ids = meeting.id, [line.id for line in meeting.lines]

    def submit(index: int) -> None:
        mark = Mark.satisfied if index == 0 else Mark.dissatisfied
        phone.submit_phone_ballot(code, meeting_id, dict.fromkeys(line_ids, mark))

    assert at_the_same_moment(postgres_app, submit) == ["done", "refused"]
    db.session.expire_all()
    # A phone ballot waits in the sealed pool until voting closes.
    assert db.session.execute(select(func.count()).select_from(SealedBallot)).scalar_one() == 1
    assert db.session.execute(select(func.count()).select_from(Ballot)).scalar_one() == 0


def test_two_clerks_handing_a_ballot_to_one_deputy_at_once_record_one(postgres_app):
    factory = Factory()
    chair, meeting = _voting_meeting(factory)
    clerk = factory.user("presidium")
    db.session.commit()
    meeting_id, deputy_id, users = meeting.id, meeting.roster[0].deputy_id, [chair.id, clerk.id]

    def hand_out(index: int) -> None:
        kind = BallotKind.paper if index == 0 else BallotKind.phone
        user = db.session.get(User, users[index])
        ops.hand_out(user, db.session.get(EvaluationMeeting, meeting_id), deputy_id, kind)

    assert at_the_same_moment(postgres_app, hand_out) == ["done", "refused"]
    db.session.expire_all()
    row = db.session.execute(select(Attendance).where(Attendance.deputy_id == deputy_id)).scalar_one()
    assert row.ballot_kind in (BallotKind.paper, BallotKind.phone)


def test_two_clerks_entering_one_sheet_at_once_cast_one_ballot(postgres_app):
    factory = Factory()
    chair, meeting = _voting_meeting(factory)
    clerk = factory.user("presidium")
    ops.hand_out(chair, meeting, meeting.roster[0].deputy_id, BallotKind.paper)
    paper.issue_serials(chair, meeting, [1])
    db.session.commit()
    meeting_id, users = meeting.id, [chair.id, clerk.id]
    line_ids = [line.id for line in meeting.lines]

    def enter(index: int) -> None:
        user = db.session.get(User, users[index])
        ticks = {line_id: [Mark.satisfied] for line_id in line_ids}
        paper.enter_paper(user, db.session.get(EvaluationMeeting, meeting_id), 1, ticks)

    assert at_the_same_moment(postgres_app, enter) == ["done", "done"]  # one entry, one check
    db.session.expire_all()
    assert db.session.execute(select(func.count()).select_from(Ballot)).scalar_one() == 1


def test_a_ballot_cast_while_voting_closes_is_counted_or_refused_never_left_in_the_pool(postgres_app):
    """Closing takes the meeting's lock exclusively and a ballot takes it shared: either the ballot
    goes in first and closing writes it to the ballot table, or closing goes first and the ballot is
    refused. No ballot stays behind in the sealed pool."""
    chair, meeting = _voting_meeting()
    for row in meeting.roster[:2]:
        ops.hand_out(chair, meeting, row.deputy_id, BallotKind.phone)
    early, code = phone.draw_codes(chair, meeting, 2)
    db.session.commit()
    meeting_id, chair_id, line_ids = meeting.id, chair.id, [line.id for line in meeting.lines]
    # One ballot is in before the race: voting with nothing back is never closed (hall.close_voting).
    phone.submit_phone_ballot(early, meeting_id, dict.fromkeys(line_ids, Mark.satisfied))
    db.session.commit()

    def close_or_vote(index: int) -> None:
        if index == 0:
            user = db.session.get(User, chair_id)
            ops.close_voting(user, db.session.get(EvaluationMeeting, meeting_id))
        else:
            phone.submit_phone_ballot(code, meeting_id, dict.fromkeys(line_ids, Mark.satisfied))

    outcomes = at_the_same_moment(postgres_app, close_or_vote)
    assert outcomes in (["done", "done"], ["done", "refused"])
    db.session.expire_all()
    assert db.session.execute(select(func.count()).select_from(SealedBallot)).scalar_one() == 0
    stored = db.session.execute(select(func.count()).select_from(Ballot)).scalar_one()
    assert stored == (2 if outcomes == ["done", "done"] else 1)


def test_a_roll_call_tap_and_a_hand_out_at_once_never_break_the_roster(postgres_app):
    """Marking a deputy absent while another clerk hands them a ballot: one of the two wins; never a
    deputy both absent and holding a ballot (the CHECK would make that a 500)."""
    factory = Factory()
    chair, meeting = _voting_meeting(factory)
    clerk = factory.user("presidium")
    db.session.commit()
    meeting_id, users = meeting.id, [chair.id, clerk.id]
    for row in list(meeting.roster):
        deputy_id = row.deputy_id

        def race(index: int, deputy_id=deputy_id) -> None:
            user = db.session.get(User, users[index])
            current = db.session.get(EvaluationMeeting, meeting_id)
            if index == 0:
                ops.mark_attendance(user, current, deputy_id, False)
            else:
                ops.hand_out(user, current, deputy_id, BallotKind.paper)

        assert at_the_same_moment(postgres_app, race) == ["done", "refused"]
