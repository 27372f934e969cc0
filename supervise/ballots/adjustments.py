"""Undoing a clerk's mistake in the hall, so that a meeting can always be reconciled and closed: a
serial registered as issued by mistake, a spoiled sheet exchanged for a fresh one, a hand-out
undone (its sheet or code handed back unused), a phone code voided, or every unused one at once.
Each is recorded with who and why (HandOutAdjustment, append-only). Check, change, flush; never commits.

Secrecy: an undone hand-out names the deputy and the kind of ballot, never the serial or the code
handed back; the serials and codes are changed without naming anyone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from ..core.enums import N_
from ..core.errors import DomainError
from ..extensions import db
from .forms import parse_serial
from .guards import lock, require_runner, require_state, roster_row
from .kinds import words
from .models import (
    HALL_STATES,
    AdjustmentKind,
    Attendance,
    BallotKind,
    CodeState,
    HandOutAdjustment,
    Meeting,
    PhoneCode,
    SerialState,
)
from .paper import format_serials, handed_sheets, issued_serials, paper_serial
from .phone import find_meeting_code, live_codes, retire_unused_code
from .tally import turnout

if TYPE_CHECKING:
    from sqlalchemy.engine import CursorResult

    from ..accounts.models import User


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请写明原因。"))
    return reason[:1000]


def _record(
    user: User, meeting: Meeting, action: AdjustmentKind, reason: str, **fields: object
) -> HandOutAdjustment:
    row = HandOutAdjustment(meeting_id=meeting.id, action=action, reason=reason, made_by_id=user.id, **fields)
    db.session.add(row)
    return row


def unissue_serials(user: User, meeting: Meeting, serials: list[int], reason: str) -> int:
    """Serials registered as issued by mistake go back to printed, only while no sheet is entered."""
    require_runner(user, meeting)
    lock(meeting)
    require_state(meeting, *HALL_STATES)
    reason = _reason(reason)
    refusal = N_("只有已发出、尚未录入的%(sheet)s才能撤回发出登记：%(serials)s。")
    rows = issued_serials(meeting, serials, refusal)
    for row in rows:
        row.state = SerialState.printed
    _record(user, meeting, AdjustmentKind.unissue, reason, detail=format_serials(sorted(serials)))
    db.session.flush()
    return len(rows)


def exchange_serial(user: User, meeting: Meeting, spoiled: int, replacement: int, reason: str) -> None:
    """A deputy spoiled a sheet before handing it in: it is set aside (spoiled), a fresh one issued."""
    require_runner(user, meeting)
    lock(meeting)
    require_state(meeting, *HALL_STATES)
    reason = _reason(reason)
    old, new = paper_serial(meeting, spoiled), paper_serial(meeting, replacement)
    if old.state is not SerialState.issued:
        raise DomainError(
            _(
                "%(sheet)s %(serial)03d 不是已发出、尚未录入的%(sheet)s，不能作废调换。",
                serial=spoiled,
                **words(meeting),
            )
        )
    if new.state is not SerialState.printed:
        raise DomainError(
            _(
                "换发的%(sheet)s %(serial)03d 已经发出过，请换一张未发出的。",
                serial=replacement,
                **words(meeting),
            )
        )
    old.state = SerialState.spoiled
    new.state = SerialState.issued
    _record(user, meeting, AdjustmentKind.exchange, reason, detail=f"{spoiled:03d} → {replacement:03d}")
    db.session.flush()


def undo_hand_out(
    user: User, meeting: Meeting, deputy_id: int, reason: str, returned: str | None = None
) -> Attendance:
    """Undo a deputy's hand-out while nothing has been cast with it: the sheet (its serial, still
    unentered) or the code slip (still unused) is handed back in the same step, so the deputy holds
    no ballot any more. Only when fewer serials or codes are registered than hand-outs (the mistake
    was the hand-out itself) is there nothing to hand back."""
    require_runner(user, meeting)
    lock(meeting)
    require_state(meeting, *HALL_STATES)
    reason = _reason(reason)
    row = roster_row(meeting, deputy_id)
    kind = row.ballot_kind
    if kind is None:
        raise DomainError(_("%(name)s 没有领取选票，无需撤销。", name=row.deputy.name))
    numbers = turnout(meeting)
    returned = (returned or "").strip()
    if kind is BallotKind.paper:
        if handed_sheets(meeting) >= numbers.paper_handed:
            _hand_back_sheet(meeting, returned)
    else:
        if live_codes(meeting) >= numbers.phone_handed:
            _hand_back_code(meeting, returned)
        if numbers.phone_ballots > numbers.phone_handed - 1:
            raise DomainError(_("手机票数已等于领取投票码的人数，不能撤销：可能已经有人用这张投票码投票。"))
    taken = db.session.execute(
        update(Attendance)
        .where(Attendance.id == row.id, Attendance.ballot_kind == kind)
        .values(ballot_kind=None)
        .execution_options(synchronize_session=False)
    )
    if cast("CursorResult[Any]", taken).rowcount != 1:
        raise DomainError(_("在您操作的同时，其他人已改变了这位代表的领票登记。请刷新页面后再操作。"))
    _record(user, meeting, AdjustmentKind.undo_hand_out, reason, deputy_id=deputy_id, ballot_kind=kind)
    db.session.flush()
    db.session.refresh(row)
    return row


def _hand_back_sheet(meeting: Meeting, returned: str) -> None:
    serial = parse_serial(returned)
    if serial is None:
        raise DomainError(
            _("请填写退回的%(sheet)s编号：撤销领表时，须收回那张尚未录入的%(sheet)s。", **words(meeting))
        )
    sheet = paper_serial(meeting, serial)
    if sheet.state is not SerialState.issued:
        raise DomainError(
            _(
                "%(sheet)s %(serial)03d 不是已发出、尚未录入的%(sheet)s，不能作为退回的%(sheet)s。",
                serial=serial,
                **words(meeting),
            )
        )
    sheet.state = SerialState.printed


def _hand_back_code(meeting: Meeting, returned: str) -> None:
    if not retire_unused_code(find_meeting_code(meeting, returned), CodeState.void):
        raise DomainError(_("这个投票码已经使用或作废，不能作为退回的投票码。"))


def void_code(user: User, meeting: Meeting, code_text: str, reason: str) -> None:
    """Void an unused code (a torn or mistyped slip handed back): a new code may then be drawn."""
    require_runner(user, meeting)
    lock(meeting)
    require_state(meeting, *HALL_STATES)
    reason = _reason(reason)
    _hand_back_code(meeting, code_text)
    _record(user, meeting, AdjustmentKind.void_code, reason, detail=_("1 个投票码"))
    db.session.flush()


def void_unused_codes(user: User, meeting: Meeting, reason: str) -> int:
    """Void every code of the meeting drawn and not yet used (slips lost, or the page left before
    they were printed): as many new codes may then be drawn for the deputies holding none. No code
    needs typing, and none is named: the hashes change state only. A voided code was never a ballot
    (the hand-outs, not the codes, are the ballots issued), so the reconciliation is unchanged."""
    require_runner(user, meeting)
    lock(meeting)
    require_state(meeting, *HALL_STATES)
    reason = _reason(reason)
    voided = db.session.execute(
        update(PhoneCode)
        .where(PhoneCode.meeting_id == meeting.id, PhoneCode.state == CodeState.unused)
        .values(state=CodeState.void)
        .execution_options(synchronize_session=False)
    )
    count = cast("CursorResult[Any]", voided).rowcount
    if not count:
        raise DomainError(_("没有尚未使用的投票码，无需作废。"))
    detail = _("全部未使用的投票码，共 %(n)d 个", n=count)
    _record(user, meeting, AdjustmentKind.void_code, reason, detail=detail)
    db.session.flush()
    return count


def adjustments_of(meeting: Meeting) -> list[HandOutAdjustment]:
    return list(
        db.session.execute(
            select(HandOutAdjustment)
            .where(HandOutAdjustment.meeting_id == meeting.id)
            .options(joinedload(HandOutAdjustment.deputy), joinedload(HandOutAdjustment.made_by))
            .order_by(HandOutAdjustment.id)
        ).scalars()
    )
