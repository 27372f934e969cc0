"""The hall: roll call, the quorum, opening the vote, handing out ballots, closing the vote.

Every voting meeting runs through these, whatever its ballot says. Closing checks the
reconciliation and moves the sealed phone ballots into the ballot table at random.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from flask_babel import gettext as _
from sqlalchemy import select, update

from ..core.clock import today, utcnow
from ..core.errors import DomainError
from ..extensions import db
from ..org.models import Deputy
from .guards import flush_or_conflict, lock, require_runner, require_state, roster_row
from .kinds import words
from .models import HALL_STATES, Attendance, BallotKind, Meeting, MeetingState, PaperSerial, SerialState
from .reconciliation import Imbalance
from .sealed import unseal
from .tally import Reconciliation, reconcile, turnout

if TYPE_CHECKING:
    from sqlalchemy.engine import CursorResult

    from ..accounts.models import User


def start_roll_call(user: User, meeting: Meeting) -> None:
    require_runner(user, meeting)
    lock(meeting)
    require_state(meeting, MeetingState.preparing)
    meeting.state = MeetingState.roll_call
    flush_or_conflict(meeting)


def mark_attendance(user: User, meeting: Meeting, deputy_id: int, present: bool) -> Attendance:
    """Roll call: mark a roster deputy present or absent (latecomers may still be marked while voting).

    A shared lock on the meeting, as ballots take: a hand-out (which locks it exclusively) and a tap
    on the same deputy never interleave, and no tap lands after voting closed."""
    require_runner(user, meeting)
    lock(meeting, shared=True)
    require_state(meeting, *HALL_STATES)
    row = roster_row(meeting, deputy_id)
    if not present and row.ballot_kind is not None:
        raise DomainError(_("%(name)s 已领取选票，不能再登记为缺席。", name=row.deputy.name))
    row.present = present
    row.marked_at = utcnow()
    row.marked_by_id = user.id
    db.session.flush()
    return row


def mark_all_present(user: User, meeting: Meeting) -> int:
    """Roll call's shortcut: every roster deputy not called yet is present; those marked absent stay so."""
    require_runner(user, meeting)
    require_state(meeting, *HALL_STATES)
    marked = db.session.execute(
        update(Attendance)
        .where(Attendance.meeting_id == meeting.id, Attendance.present.is_(None))
        .values(present=True, marked_at=utcnow(), marked_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    db.session.expire(meeting, ["roster"])
    return cast("CursorResult[Any]", marked).rowcount


def quorum_problem(meeting: Meeting) -> str | None:
    numbers = turnout(meeting)
    quorum = meeting.quorum
    if quorum.is_met(numbers.present, numbers.roster):
        return None
    return _(
        "未达到法定人数：应到 %(roster)d 人，实到 %(present)d 人，至少需要 %(needed)d 人，还差 %(more)d 人。",
        roster=numbers.roster,
        present=numbers.present,
        needed=quorum.needed(numbers.roster),
        more=quorum.more_needed(numbers.present, numbers.roster),
    )


def open_voting(user: User, meeting: Meeting, early_reason: str = "") -> None:
    """Voting opens only with a quorum present, and not before the meeting's date unless the chair
    starts early with a reason, which is recorded on the meeting."""
    require_runner(user, meeting)
    lock(meeting)
    require_state(meeting, MeetingState.roll_call)
    early = today() < meeting.held_on
    if early and not early_reason.strip():
        raise DomainError(
            _(
                "%(meeting)s定于 %(day)s 举行，今天是 %(today)s：提前开始投票须选择“提前开始”并写明理由。",
                day=meeting.held_on.isoformat(),
                today=today().isoformat(),
                **words(meeting),
            )
        )
    problem = quorum_problem(meeting)
    if problem:
        raise DomainError(problem)
    meeting.state = MeetingState.voting
    meeting.voting_opened_at = utcnow()
    meeting.early_start_reason = None
    if early:
        # The meeting is held today: every document, the published results and the ratings on the
        # items carry the day it was held, and the record keeps the day it had been set for.
        meeting.early_start_reason = f"原定 {meeting.held_on.isoformat()} 召开。{early_reason.strip()}"
        meeting.held_on = today()
    flush_or_conflict(meeting)


def hand_out(user: User, meeting: Meeting, deputy_id: int, kind: BallotKind) -> None:
    """Record that a present deputy received a paper sheet or a phone code: one or the other, once.

    One conditional UPDATE: of two clerks handing a ballot to the same deputy at once, one wins.
    """
    require_runner(user, meeting)
    lock(meeting)
    require_state(meeting, *HALL_STATES)
    row = roster_row(meeting, deputy_id)
    if not row.present:
        raise DomainError(_("%(name)s 还没有登记到会，不能领取选票。", name=row.deputy.name))
    taken = db.session.execute(
        update(Attendance)
        .where(Attendance.id == row.id, Attendance.ballot_kind.is_(None), Attendance.present.is_(True))
        .values(ballot_kind=kind)
        .execution_options(synchronize_session=False)
    )
    if cast("CursorResult[Any]", taken).rowcount != 1:
        db.session.refresh(row)
        received = row.ballot_kind.label if row.ballot_kind else _("选票")
        raise DomainError(
            _("%(name)s 已领取%(kind)s，每位代表只能领一张选票。", name=row.deputy.name, kind=received)
        )
    db.session.refresh(row)


def close_voting(user: User, meeting: Meeting) -> Reconciliation:
    """Close voting, only when the paper reconciliation balances; else say exactly what is off."""
    require_runner(user, meeting)
    lock(meeting)
    require_state(meeting, MeetingState.voting)
    check = reconcile(meeting)
    if not check.balances:
        # Sheets still to be checked by a second clerk are work to finish, not counts that are off.
        checking = set(check.imbalances()) <= {Imbalance.unchecked, Imbalance.mismatched}
        prefix = _("还不能结束投票：") if checking else _("账目不平，不能结束投票：")
        raise DomainError(prefix + " ".join(check.problems))
    if check.ballots_returned == 0:
        # Closing decides every line (none passes, a run-off is spent): nothing came back to decide on.
        raise DomainError(_("还没有收回任何选票（没有录入纸质票，也没有手机投票），不能结束投票。"))
    unseal(meeting)  # the phone ballots take their places among the ballots now, at random
    meeting.state = MeetingState.closed
    meeting.closed_at = utcnow()
    meeting.closed_by_id = user.id
    flush_or_conflict(meeting)
    return check


def active_deputies(township_id: int) -> list[Deputy]:
    """The township's deputies in office: the roster a meeting is set up with."""
    query = select(Deputy).where(Deputy.township_id == township_id, Deputy.is_active).order_by(Deputy.id)
    return list(db.session.execute(query).scalars())


def number_sheets(meeting: Meeting, count: int) -> None:
    """The meeting's numbered paper sheets 1..count (one per deputy on the roster), none handed out."""
    db.session.add_all(
        PaperSerial(meeting_id=meeting.id, serial=n, state=SerialState.printed) for n in range(1, count + 1)
    )
    db.session.flush()
