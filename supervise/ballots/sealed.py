"""Phone ballots keep no order of casting: they wait in a sealed pool while voting is open and are
written to the ballot table only when voting closes, in an order drawn with ``secrets``.

Why: a phone ballot was written as the next ballot id, in the transaction that spent its code. A web
server's access log (which phone posted a ballot, and when) then said whose the n-th ballot was.
Now the ballot table says only which phone ballots the meeting received, all written in the one
transaction that closes voting, in a random order; the pool, whose rows on PostgreSQL still follow
the order of casting in the table file and in their transaction ids, is emptied in that transaction.
On SQLite, deleted pool rows are overwritten with zeros and the write-ahead log is truncated after
the commit (ballots/sealing.py).

What no storage scheme can do: someone who reads the database while the vote is open (or keeps its
write-ahead log, statement log or a backup taken during the vote) sees ballots as they come in.
README.md says what an operator must turn off.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select

from ..extensions import db
from .models import BallotKind, Meeting, SealedBallot, SealedMark
from .records import cast_ballot
from .sealing import scrub_deletes
from .shape import plain

if TYPE_CHECKING:
    from sqlalchemy import ScalarSelect, Select


def seal(meeting: Meeting, marks: dict[int, str]) -> None:
    """Put a cast phone ballot (marks already checked) into the meeting's pool, under a random key."""
    token = secrets.token_hex(16)
    db.session.add(SealedBallot(token=token, meeting_id=meeting.id))
    db.session.add_all(
        SealedMark(ballot_token=token, line_id=line, mark=plain(mark)) for line, mark in marks.items()
    )
    db.session.flush()


def pooled_count(meeting_id: int) -> ScalarSelect[int]:
    """A scalar subquery: how many phone ballots of the meeting wait in the pool."""
    return (
        select(func.count())
        .select_from(SealedBallot)
        .where(SealedBallot.meeting_id == meeting_id)
        .scalar_subquery()
    )


def pooled_marks(meeting_id: int) -> Select[int, str]:
    """A select of (line_id, mark) for every mark of the meeting's pooled ballots (live counts)."""
    return (
        select(SealedMark.line_id.label("line_id"), SealedMark.mark.label("mark"))
        .join(SealedBallot, SealedBallot.token == SealedMark.ballot_token)
        .where(SealedBallot.meeting_id == meeting_id)
    )


def unseal(meeting: Meeting) -> int:
    """At closing (under the meeting's exclusive lock): write the pooled ballots to the ballot table
    in a random order, so that their ids and rows are numbered only then, and empty the pool.
    Returns how many ballots were written."""
    rows = db.session.execute(
        select(SealedMark.ballot_token, SealedMark.line_id, SealedMark.mark)
        .join(SealedBallot, SealedBallot.token == SealedMark.ballot_token)
        .where(SealedBallot.meeting_id == meeting.id)
    ).all()
    ballots: dict[str, dict[int, str]] = {}
    for token, line_id, mark in rows:
        ballots.setdefault(token, {})[line_id] = mark
    tokens = db.session.execute(
        select(SealedBallot.token).where(SealedBallot.meeting_id == meeting.id)
    ).scalars()
    order = [ballots.get(token, {}) for token in tokens]
    secrets.SystemRandom().shuffle(order)
    for marks in order:
        cast_ballot(meeting, BallotKind.phone, None, marks, False)
    _empty_pool(meeting.id)
    return len(order)


def _empty_pool(meeting_id: int) -> None:
    scrub_deletes()
    tokens = select(SealedBallot.token).where(SealedBallot.meeting_id == meeting_id)
    db.session.execute(delete(SealedMark).where(SealedMark.ballot_token.in_(tokens)))
    db.session.execute(delete(SealedBallot).where(SealedBallot.meeting_id == meeting_id))
    db.session.flush()
