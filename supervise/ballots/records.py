"""Checking a ballot's marks against the meeting's lines and casting it, and counting the deputies
handed a ballot of one kind: shared by paper and phone.

A cast ballot names neither a deputy nor a code: a paper ballot carries its sheet's serial only.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..core.errors import DomainError
from ..extensions import db
from .kinds import shape_of, words
from .models import Attendance, Ballot, BallotKind, BallotMark, Meeting
from .shape import plain


def handed_out(meeting: Meeting, kind: BallotKind) -> int:
    """Deputies recorded as receiving a ballot of this kind: as many sheets or codes may be issued."""
    return db.session.execute(
        select(func.count()).where(Attendance.meeting_id == meeting.id, Attendance.ballot_kind == kind)
    ).scalar_one()


def check_marks(meeting: Meeting, chosen: dict[int, str], *, complete: bool) -> dict[int, str]:
    """Check a ballot's marks against the meeting's lines: {line id: mark} for every line, a blank
    line read by the ballot's shape. ``complete``: every line must carry a valid mark (phones)."""
    shape = shape_of(meeting)
    line_ids = [line.id for line in meeting.lines]
    foreign = set(chosen) - set(line_ids)
    if foreign:
        raise DomainError(_("选票内容与本次会议的%(line)s不符，请刷新页面后重新填写。", **words(meeting)))
    if complete:
        unanswered = set(shape.unanswered(line_ids, chosen))
        missing = [line.position for line in meeting.lines if line.id in unanswered]
        if missing:
            raise DomainError(
                _(
                    "还有 %(n)d 项没有选择：第 %(positions)s 项。",
                    n=len(missing),
                    positions=_("、").join(str(p) for p in missing[:20]),
                )
            )
    marks = shape.fill(line_ids, chosen)
    if complete:  # a phone refuses a ballot its shape would void, casts nothing, and says why
        reason = shape.phone_refusal(marks)
        if reason is not None:
            raise DomainError(reason)
    return marks


def cast_ballot(
    meeting: Meeting, source: BallotKind, serial: int | None, marks: dict[int, str], void: bool
) -> Ballot:
    """Store a ballot and its marks (already checked by check_marks)."""
    ballot = Ballot(meeting_id=meeting.id, source=source, serial=serial, is_void=void)
    db.session.add(ballot)
    db.session.flush()
    db.session.add_all(
        BallotMark(ballot_id=ballot.id, line_id=line_id, mark=plain(mark)) for line_id, mark in marks.items()
    )
    db.session.flush()
    return ballot


def effective(ballot: Ballot) -> tuple[dict[int, str], bool]:
    """A ballot's marks and void flag as they now stand (its newest correction, if any)."""
    correction = ballot.corrections[-1] if ballot.corrections else None
    wanted = correction.id if correction else None
    marks = {m.line_id: m.mark for m in ballot.marks if m.correction_id == wanted}
    return marks, (correction.is_void if correction else ballot.is_void)


def ballot_of(meeting: Meeting, serial: int) -> Ballot | None:
    return db.session.execute(
        select(Ballot).where(Ballot.meeting_id == meeting.id, Ballot.serial == serial)
    ).scalar_one_or_none()
