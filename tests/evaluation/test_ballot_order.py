"""Secrecy: phone ballots are stored, pooled and counted without the order they were cast in."""

from __future__ import annotations

import random
import re

import pytest
from sqlalchemy import Date, DateTime, Time, func, inspect, select, text
from sqlalchemy.exc import OperationalError

from supervise.ballots import phone
from supervise.ballots.models import SealedBallot, SealedMark
from supervise.ballots.tally import reconcile, turnout
from supervise.evaluation import operations as ops
from supervise.evaluation.models import Ballot, BallotKind, BallotMark, EvaluationMeeting, Mark
from supervise.evaluation.rules import Counts
from supervise.evaluation.tally import results
from supervise.extensions import db
from tests.conftest import own_app
from tests.factories import Factory

# ---- phone ballots keep no order of casting ----------------------------------------------------------

DIGITS = (Mark.satisfied, Mark.basic, Mark.dissatisfied)


def _ballot_saying(number: int, lines) -> dict[int, Mark]:
    """A phone ballot whose marks spell ``number`` in base 3, one digit a line: each its own content."""
    marks = {}
    for line in lines:
        number, digit = divmod(number, 3)
        marks[line.id] = DIGITS[digit]
    return marks


def _number_of(marks: dict[int, Mark], lines) -> int:
    return sum(DIGITS.index(marks[line.id]) * 3**place for place, line in enumerate(lines))


def _voting(factory, chair, voters: int, **rules) -> EvaluationMeeting:
    """A meeting of the chair's township with every deputy present, voting, ``voters`` phone codes
    handed out (the codes are returned on ``meeting.codes``)."""
    meeting = factory.evaluation_meeting(chair, deputies=voters, **rules)
    ops.start_roll_call(chair, meeting)
    for row in meeting.roster:
        ops.mark_attendance(chair, meeting, row.deputy_id, True)
    ops.open_voting(chair, meeting)
    for row in meeting.roster[:voters]:
        ops.hand_out(chair, meeting, row.deputy_id, BallotKind.phone)
    meeting.codes = phone.draw_codes(chair, meeting, voters)  # type: ignore[attr-defined]
    db.session.commit()
    return meeting


def _cast_in_order(meeting: EvaluationMeeting, casting: list[int]) -> None:
    """One ballot per number, in this order, each in a transaction of its own (as requests are)."""
    assert len(meeting.lines) >= 4 and max(casting) < 3 ** len(meeting.lines)
    for code, number in zip(meeting.codes, casting, strict=True):  # type: ignore[attr-defined]
        phone.submit_phone_ballot(code, meeting.id, _ballot_saying(number, meeting.lines))
        db.session.commit()


def _physical_order() -> str:
    """The rows' place in the table file: ctid on PostgreSQL, rowid on SQLite."""
    return "ctid" if db.engine.dialect.name == "postgresql" else "rowid"


def _stored_orders(meeting: EvaluationMeeting) -> dict[str, list[int]]:
    """The meeting's phone ballots (as the numbers they spell) in every order the storage could keep:
    by ballot id, by the rows' place in the table file, by their marks' ids and marks' rows."""
    rows = db.session.execute(
        select(BallotMark.ballot_id, BallotMark.line_id, BallotMark.mark, BallotMark.id)
        .join(Ballot, Ballot.id == BallotMark.ballot_id)
        .where(Ballot.meeting_id == meeting.id, Ballot.source == BallotKind.phone)
    ).all()
    marks: dict[int, dict[int, Mark]] = {}
    first_mark: dict[int, int] = {}
    for ballot_id, line_id, mark, mark_id in rows:
        marks.setdefault(ballot_id, {})[line_id] = Mark(mark)
        first_mark[ballot_id] = min(mark_id, first_mark.get(ballot_id, mark_id))
    number = {ballot_id: _number_of(m, meeting.lines) for ballot_id, m in marks.items()}
    by_rows = db.session.execute(
        text(
            f"SELECT id FROM ballot WHERE meeting_id = :m AND source = 'phone' ORDER BY {_physical_order()}"
        ),
        {"m": meeting.id},
    ).scalars()
    mark_rows = db.session.execute(
        text(f"SELECT ballot_id FROM ballot_mark ORDER BY {_physical_order()}")
    ).scalars()
    in_mark_rows = list(dict.fromkeys(b for b in mark_rows if b in number))
    return {
        "ballot id": [number[b] for b in sorted(number)],
        "ballot rows": [number[b] for b in by_rows],
        "mark ids": [number[b] for b in sorted(number, key=first_mark.__getitem__)],
        "mark rows": [number[b] for b in in_mark_rows],
    }


def test_stored_phone_ballots_say_nothing_of_the_order_they_were_cast_in(app, factory):
    """Twenty ballots, each of its own content, cast one by one in a known order; after closing,
    neither the ballot ids, the marks' ids, nor the rows' order in the tables follows the casting
    order (1 chance in 20!/2 that a random order does), no column keeps a time, the pool is empty,
    and two meetings whose ballots came in the same order store them in different orders."""
    chair = factory.user("presidium")
    casting = random.Random(11).sample(range(81), 20)
    stored = []
    for _meeting in range(2):
        meeting = _voting(factory, chair, len(casting))
        _cast_in_order(meeting, casting)
        # While voting is open, the ballot table holds no phone ballot at all: the pool does.
        in_table = select(func.count()).select_from(Ballot).where(Ballot.meeting_id == meeting.id)
        assert db.session.execute(in_table).scalar_one() == 0
        ops.close_voting(chair, meeting)
        db.session.commit()
        orders = _stored_orders(meeting)
        for how, order in orders.items():
            assert sorted(order) == sorted(casting), how  # every ballot is there, once
            assert order != casting, how
            assert order != casting[::-1], how
        assert orders["ballot rows"] == orders["ballot id"]  # written in the order of their ids
        stored.append(orders["ballot id"])
        assert db.session.execute(select(func.count()).select_from(SealedBallot)).scalar_one() == 0
        assert db.session.execute(select(func.count()).select_from(SealedMark)).scalar_one() == 0
    assert stored[0] != stored[1]  # drawn at random, not a fixed function of the casting order
    if db.engine.dialect.name == "postgresql":
        # Every phone ballot and mark was written by the one transaction that closed voting.
        for table in ("ballot", "ballot_mark"):
            xmins = db.session.execute(
                text(
                    f"SELECT COUNT(DISTINCT t.xmin::text) FROM {table} t"
                    " JOIN ballot b ON b.id = "
                    + ("t.id" if table == "ballot" else "t.ballot_id")
                    + " WHERE b.meeting_id = :m AND b.source = 'phone'"
                ),
                {"m": meeting.id},
            ).scalar_one()
            assert xmins == 1, table
    schema = inspect(db.engine)
    for table in (
        "ballot",
        "ballot_mark",
        "ballot_sealed",
        "ballot_sealed_mark",
    ):
        for column in schema.get_columns(table):
            assert not isinstance(column["type"], DateTime | Date | Time), (table, column["name"])


def test_a_pooled_ballot_keeps_no_code_no_time_and_no_sequence(app, factory):
    """While voting is open a phone ballot is a random key with its marks: nothing numbers it."""
    chair = factory.user("presidium")
    meeting = _voting(factory, chair, 3)
    _cast_in_order(meeting, [5, 7, 9])
    schema = inspect(db.engine)
    assert {c["name"] for c in schema.get_columns("ballot_sealed")} == {"token", "meeting_id"}
    assert {c["name"] for c in schema.get_columns("ballot_sealed_mark")} == {
        "ballot_token",
        "line_id",
        "mark",
    }
    tokens = db.session.execute(select(SealedBallot.token)).scalars().all()
    assert len(tokens) == 3 and all(re.fullmatch(r"[0-9a-f]{32}", token) for token in tokens)
    if db.engine.dialect.name == "sqlite":  # no hidden rowid numbering the rows as they came in
        for table in ("ballot_sealed", "ballot_sealed_mark"):
            with pytest.raises(OperationalError):
                db.session.execute(text(f"SELECT rowid FROM {table}"))
            db.session.rollback()


def test_live_counts_and_the_reconciliation_count_the_pooled_ballots(app, factory, client, login_as):
    """A meeting that shows its results while voting: the pooled phone ballots are counted, the
    reconciliation balances, and closing changes no number."""
    chair = login_as("presidium")
    meeting = _voting(factory, chair, 3, results_hidden_until_closed=False)
    _cast_in_order(meeting, [0, 1, 2])  # first line: 满意, 基本满意, 不满意; the rest 满意
    first = meeting.lines[0].id

    def numbers():
        m = db.session.get(EvaluationMeeting, meeting.id)
        counts = {r.line.id: r.counts for r in results(m)}
        return turnout(m).phone_ballots, counts, reconcile(m)

    ballots, counts, check = numbers()
    assert ballots == 3 and check.phone_ballots == 3 and check.balances, check.problems
    assert counts[first] == Counts(satisfied=1, basic=1, dissatisfied=1)
    assert all(counts[line.id] == Counts(satisfied=3) for line in meeting.lines[1:])
    page = client.get(f"/evaluation/{meeting.id}/results")
    assert page.status_code == 200
    ops.close_voting(chair, db.session.get(EvaluationMeeting, meeting.id))
    db.session.commit()
    after, counts_after, check_after = numbers()
    assert (after, counts_after) == (ballots, counts) and check_after.balances


def test_on_sqlite_the_emptied_pool_leaves_nothing_in_the_database_files(tmp_path):
    """The pool's keys are in no byte of the database file or its write-ahead log once voting is
    closed: deleted rows are overwritten (secure_delete) and the log is checkpointed and truncated."""
    with own_app(f"sqlite:///{tmp_path / 'vote.db'}"):
        factory = Factory()
        chair = factory.user("presidium")
        meeting = _voting(factory, chair, 6)
        _cast_in_order(meeting, [1, 2, 3, 4, 5, 6])
        tokens = db.session.execute(select(SealedBallot.token)).scalars().all()
        assert len(tokens) == 6
        written = b"".join(path.read_bytes() for path in tmp_path.iterdir())
        assert all(token.encode() in written for token in tokens)  # the check below means something
        ops.close_voting(chair, meeting)
        db.session.commit()
        written = b"".join(path.read_bytes() for path in tmp_path.iterdir())
        for token in tokens:
            assert token.encode() not in written
