"""Paper ballots: the numbered sheets (the evaluation's 测评表, the vote's 表决票) handed out,
returned, entered and corrected.

Which serials were handed out is recorded, never to whom. The first clerk's entry of a returned
sheet casts its ballot; a second clerk's entry checks it; a correction is a new record (who, why).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..core.enums import N_
from ..core.errors import DomainError
from ..extensions import db
from .guards import lock, require_runner, require_state
from .kinds import shape_of, words
from .models import (
    HALL_STATES,
    Ballot,
    BallotCorrection,
    BallotKind,
    BallotMark,
    Meeting,
    MeetingState,
    PaperEntry,
    PaperSerial,
    SerialState,
)
from .records import ballot_of, cast_ballot, check_marks, effective, handed_out
from .shape import plain

if TYPE_CHECKING:
    from sqlalchemy.engine import CursorResult

    from ..accounts.models import User

MAX_SERIAL = 100_000
SERIAL_PART = re.compile(r"^\s*(\d{1,6})\s*(?:[-–~至到]\s*(\d{1,6})\s*)?$")


def parse_serials(text: str) -> list[int]:
    """ "1-20, 25、27" → [1, …, 20, 25, 27]; anything else raises DomainError naming the bad part."""
    numbers: list[int] = []
    joined = re.sub(r"\s*([-–~至到])\s*", r"\1", (text or "").strip())
    parts = [p for p in re.split(r"[,，、;；\s]+", joined) if p]
    if not parts:
        raise DomainError(_("请填写纸质票编号，如 1-20, 25。"))
    for part in parts:
        match = SERIAL_PART.match(part)
        if not match:
            raise DomainError(_("无法识别的编号：%(part)s。请按 1-20, 25 的格式填写。", part=part))
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if last < first or last - first > MAX_SERIAL:
            raise DomainError(_("编号范围不正确：%(part)s。", part=part))
        numbers.extend(range(first, last + 1))
    return sorted(set(numbers))


def paper_serials(meeting: Meeting, serials: list[int]) -> list[PaperSerial]:
    """The meeting's sheets with these serials; a DomainError names any the meeting does not have."""
    rows = (
        db.session.execute(
            select(PaperSerial).where(PaperSerial.meeting_id == meeting.id, PaperSerial.serial.in_(serials))
        )
        .scalars()
        .all()
    )
    unknown = sorted(set(serials) - {row.serial for row in rows})
    if unknown:
        raise DomainError(
            _(
                "本次会议没有这些编号的%(sheet)s：%(serials)s。",
                serials=format_serials(unknown),
                **words(meeting),
            )
        )
    return list(rows)


def format_serials(serials: list[int]) -> str:
    return _("、").join(f"{n:03d}" for n in serials[:30]) + (_("等") if len(serials) > 30 else "")


def handed_sheets(meeting: Meeting) -> int:
    """Serials registered as handed out and not set aside: at most one per deputy given a sheet.
    A spoiled sheet does not count; the fresh one exchanged for it does."""
    return db.session.execute(
        select(func.count())
        .select_from(PaperSerial)
        .where(
            PaperSerial.meeting_id == meeting.id,
            PaperSerial.state.in_([SerialState.issued, SerialState.returned, SerialState.not_returned]),
        )
    ).scalar_one()


def issue_serials(user: User, meeting: Meeting, serials: list[int]) -> int:
    """Record which numbered sheets were handed out (not to whom). No more serials than deputies
    recorded as receiving a sheet: a spare sheet would be a ballot nobody accounts for."""
    require_runner(user, meeting)
    lock(meeting)
    require_state(meeting, *HALL_STATES)
    rows = paper_serials(meeting, serials)
    again = sorted(row.serial for row in rows if row.state is not SerialState.printed)
    if again:
        raise DomainError(
            _("这些%(sheet)s已经登记过发出：%(serials)s。", serials=format_serials(again), **words(meeting))
        )
    handed = handed_out(meeting, BallotKind.paper)
    issued = handed_sheets(meeting)
    if issued + len(rows) > handed:
        raise DomainError(
            _(
                "登记领表的代表 %(handed)d 人，已登记发出%(sheet)s %(issued)d 张，最多还能登记 %(left)d 张，"
                "这次登记了 %(count)d 张：还须先在名单中登记 %(more)d 位代表领表。",
                handed=handed,
                issued=issued,
                left=max(handed - issued, 0),
                count=len(rows),
                more=issued + len(rows) - handed,
                **words(meeting),
            )
        )
    for row in rows:
        row.state = SerialState.issued
    db.session.flush()
    return len(rows)


def issued_serials(meeting: Meeting, serials: list[int], refusal: str) -> list[PaperSerial]:
    """The meeting's sheets with these serials, each handed out and not yet entered; else the
    ``refusal`` (a msgid with %(sheet)s and %(serials)s) names the others."""
    rows = paper_serials(meeting, serials)
    wrong = sorted(row.serial for row in rows if row.state is not SerialState.issued)
    if wrong:
        raise DomainError(_(refusal, serials=format_serials(wrong), **words(meeting)))
    return rows


def mark_not_returned(user: User, meeting: Meeting, serials: list[int]) -> int:
    """Record handed-out sheets that did not come back (for the reconciliation)."""
    require_runner(user, meeting)
    require_state(meeting, MeetingState.voting)
    rows = issued_serials(
        meeting, serials, N_("只有已发出且尚未录入的%(sheet)s才能登记为未收回：%(serials)s。")
    )
    for row in rows:
        row.state = SerialState.not_returned
    db.session.flush()
    return len(rows)


def mark_from_ticks(meeting: Meeting, ticks: Iterable[object]) -> str:
    """What a clerk saw on the sheet: exactly one ticked box is that grade; none or several, invalid."""
    return shape_of(meeting).read_line({str(t) for t in ticks})


def _paper_marks(meeting: Meeting, ticks: dict[int, list], void: bool) -> tuple[dict[int, str], bool]:
    """The sheet's marks and whether it is void: spoiled (voided by the clerk: every line
    invalid), or by the ballot's shape (the evaluation's never is; the vote's is when it carries
    more 赞成 than places). A sheet void by its marks keeps them as entered, so that the second
    entry is compared with what the sheet says; the tally counts its lines as invalid."""
    chosen = {line_id: mark_from_ticks(meeting, marks) for line_id, marks in ticks.items()}
    marks = check_marks(meeting, chosen, complete=False)
    shape = shape_of(meeting)
    if void:
        return dict.fromkeys(marks, shape.invalid), True
    return marks, shape.void_reason(marks) is not None


def void_reason(meeting: Meeting, marks: dict[int, str], void: bool) -> str | None:
    """Why a sheet with these marks (as it stands) is invalid as a whole by its marks; None when it
    is valid, or void because the clerk set it aside as spoiled."""
    if not void:
        return None
    return shape_of(meeting).void_reason(marks)


def paper_serial(meeting: Meeting, serial: int) -> PaperSerial:
    """The meeting's sheet with this serial; a DomainError says the meeting's range if it has none."""
    row = db.session.execute(
        select(PaperSerial).where(PaperSerial.meeting_id == meeting.id, PaperSerial.serial == serial)
    ).scalar_one_or_none()
    if row is None:
        count = db.session.execute(
            select(func.count()).select_from(PaperSerial).where(PaperSerial.meeting_id == meeting.id)
        ).scalar_one()
        raise DomainError(
            _(
                "本次会议没有编号为 %(serial)s 的%(sheet)s（编号 001 至 %(last)03d）。",
                serial=serial,
                last=count,
                **words(meeting),
            )
        )
    return row


@dataclass
class EntryOutcome:
    entry: PaperEntry
    first: bool
    # (line, mark as it stands, mark in this entry) where they differ; void differs: line None.
    differences: list[tuple] = field(default_factory=list)
    # Why the sheet is invalid as a whole by its marks (more 赞成 than places), if it is.
    void_reason: str | None = None


def _differences(meeting: Meeting, ballot: Ballot | None, marks: dict[int, str], void: bool) -> list[tuple]:
    if ballot is None:
        return []
    standing, standing_void = effective(ballot)
    out: list[tuple] = []
    if standing_void != void:
        out.append((None, standing_void, void))
    lines = {line.id: line for line in meeting.lines}
    for line_id, mark in marks.items():
        if standing.get(line_id) != mark:
            out.append((lines[line_id], standing.get(line_id), mark))
    return out


def enter_paper(
    user: User, meeting: Meeting, serial: int, ticks: dict[int, list], void: bool = False
) -> EntryOutcome:
    """Type in a returned sheet by its serial. The first entry casts the ballot; a later entry by
    another clerk checks it and reports every difference."""
    require_runner(user, meeting)
    lock(meeting, shared=True)
    require_state(meeting, MeetingState.voting)
    marks, void = _paper_marks(meeting, ticks, void)
    row = paper_serial(meeting, serial)
    if row.state is SerialState.printed:
        raise DomainError(
            _(
                "%(sheet)s %(serial)03d 没有登记发出：请先在“发放选票”页登记发出的编号。",
                serial=serial,
                **words(meeting),
            )
        )
    if row.state is SerialState.spoiled:
        raise DomainError(_("%(sheet)s %(serial)03d 已作废调换，不能录入。", serial=serial, **words(meeting)))
    mine = db.session.execute(
        select(PaperEntry.id).where(
            PaperEntry.meeting_id == meeting.id,
            PaperEntry.serial == serial,
            PaperEntry.entered_by_id == user.id,
        )
    ).first()
    if mine:
        raise DomainError(
            _(
                "您已录入过%(sheet)s %(serial)03d；复核须由另一名工作人员录入。",
                serial=serial,
                **words(meeting),
            )
        )
    stored = {str(line_id): plain(mark) for line_id, mark in marks.items()}
    taken = db.session.execute(
        update(PaperSerial)
        .where(
            PaperSerial.id == row.id,
            PaperSerial.state.in_([SerialState.issued, SerialState.not_returned]),
        )
        .values(state=SerialState.returned)
        .execution_options(synchronize_session=False)
    )
    first = cast("CursorResult[Any]", taken).rowcount == 1
    entry = PaperEntry(
        meeting_id=meeting.id,
        serial=serial,
        entered_by_id=user.id,
        is_first=first,
        is_void=void,
        marks=stored,
    )
    db.session.add(entry)
    try:
        if first:
            cast_ballot(meeting, BallotKind.paper, serial, marks, void)
        db.session.flush()
    except IntegrityError as error:
        raise DomainError(
            _("%(sheet)s %(serial)03d 刚被录入，请刷新后再试。", serial=serial, **words(meeting))
        ) from error
    db.session.refresh(row)
    if first:
        return EntryOutcome(entry, True, void_reason=void_reason(meeting, marks, void))
    ballot = ballot_of(meeting, serial)
    return EntryOutcome(entry, False, _differences(meeting, ballot, marks, void))


def correct_ballot(
    user: User, meeting: Meeting, serial: int, ticks: dict[int, list], void: bool, reason: str
) -> Ballot:
    """Correct an entered sheet: a new record with the marks, who and why; nothing is overwritten."""
    require_runner(user, meeting)
    lock(meeting, shared=True)
    require_state(meeting, MeetingState.voting)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("更正须写明理由。"))
    marks, void = _paper_marks(meeting, ticks, void)
    ballot = ballot_of(meeting, serial)
    if ballot is None:
        raise DomainError(_("%(sheet)s %(serial)03d 还没有录入，无需更正。", serial=serial, **words(meeting)))
    correction = BallotCorrection(ballot_id=ballot.id, made_by_id=user.id, reason=reason, is_void=void)
    db.session.add(correction)
    db.session.flush()
    db.session.add_all(
        BallotMark(ballot_id=ballot.id, line_id=line_id, mark=plain(mark), correction_id=correction.id)
        for line_id, mark in marks.items()
    )
    db.session.flush()
    db.session.expire(ballot, ["corrections", "marks"])
    return correction


def unresolved_serials(meeting: Meeting) -> list[int]:
    """Sheets whose check entry differs from the ballot as it stands, with no correction since."""
    entries = (
        db.session.execute(
            select(PaperEntry).where(PaperEntry.meeting_id == meeting.id, PaperEntry.is_first.is_(False))
        )
        .scalars()
        .all()
    )
    if not entries:
        return []
    ballots = {
        b.serial: b
        for b in db.session.execute(
            select(Ballot)
            .where(Ballot.meeting_id == meeting.id, Ballot.serial.in_({e.serial for e in entries}))
            .options(selectinload(Ballot.corrections), selectinload(Ballot.marks))
        ).scalars()
    }
    out = set()
    for entry in entries:
        ballot = ballots.get(entry.serial)
        if ballot is None:
            continue
        if any(c.made_at >= entry.entered_at for c in ballot.corrections):
            continue  # a correction after the check settled it
        marks = {int(k): v for k, v in entry.marks.items()}
        if _differences(meeting, ballot, marks, entry.is_void):
            out.add(entry.serial)
    return sorted(out)
