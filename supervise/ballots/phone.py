"""Phone ballots: the meeting's pool of one-time codes and the ballots they cast (at /vote, no login).

A code is stored only as a keyed hash; the hand-out records that a deputy received a code, never
which; a code is spent by one conditional UPDATE, and the ballot it casts does not name it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from ..core.errors import DomainError
from ..extensions import db
from .codes import code_hash, new_codes, normalise_code, show_code
from .guards import lock, require_runner, require_state
from .kinds import words
from .models import HALL_STATES, BallotKind, CodeState, Meeting, MeetingState, PhoneCode
from .records import check_marks, handed_out
from .sealed import seal

if TYPE_CHECKING:
    from sqlalchemy.engine import CursorResult

    from ..accounts.models import User

MAX_CODES_PER_DRAW = 300
# The purpose the evaluation's code hashes are keyed with (codes already drawn depend on it).
CODE_PURPOSE = "evaluation-code"


def _code_hash(code: str) -> str:
    return code_hash(code, CODE_PURPOSE)


def live_codes(meeting: Meeting) -> int:
    """Codes of the meeting that are not void: at most one per deputy who received a phone code."""
    return db.session.execute(
        select(func.count())
        .select_from(PhoneCode)
        .where(PhoneCode.meeting_id == meeting.id, PhoneCode.state != CodeState.void)
    ).scalar_one()


def _any_unused(meeting: Meeting) -> bool:
    return (
        db.session.execute(
            select(PhoneCode.id).where(
                PhoneCode.meeting_id == meeting.id, PhoneCode.state == CodeState.unused
            )
        ).first()
        is not None
    )


def draw_codes(user: User, meeting: Meeting, count: int) -> list[str]:
    """Add ``count`` one-time codes to the meeting's pool. They are shown once (for slips or the
    screen) and stored only as keyed hashes. No more codes than deputies recorded as receiving
    one: a spare code would be a ballot nobody accounts for."""
    require_runner(user, meeting)
    lock(meeting)
    require_state(meeting, *HALL_STATES)
    if not 1 <= count <= MAX_CODES_PER_DRAW:
        raise DomainError(_("每次可生成 1 到 %(n)d 个投票码。", n=MAX_CODES_PER_DRAW))
    handed = handed_out(meeting, BallotKind.phone)
    drawn = live_codes(meeting)
    if drawn + count > handed:
        raise DomainError(
            _(
                "登记领取投票码的代表 %(handed)d 人，已生成投票码 %(drawn)d 个，最多还能生成 %(left)d 个："
                "请先在名单中登记领取投票码的代表。",
                handed=handed,
                drawn=drawn,
                left=max(handed - drawn, 0),
            )
            + (_("投票码遗失的，可先“作废全部未使用的投票码”，再重新生成。") if _any_unused(meeting) else "")
        )
    codes = new_codes(count)
    db.session.add_all(PhoneCode(meeting_id=meeting.id, code_hash=_code_hash(code)) for code in codes)
    db.session.flush()
    return [show_code(code) for code in codes]


def retire_unused_code(code: PhoneCode, state: CodeState) -> bool:
    """Move an unused code to ``state`` (used or void) in one conditional UPDATE; False if another
    request moved it first: of two requests with one code, exactly one succeeds."""
    changed = db.session.execute(
        update(PhoneCode)
        .where(PhoneCode.id == code.id, PhoneCode.state == CodeState.unused)
        .values(state=state)
        .execution_options(synchronize_session=False)
    )
    return cast("CursorResult[Any]", changed).rowcount == 1


class CodeRefused(DomainError):
    """The code cannot cast a ballot (unknown, spent, another meeting's, or not voting now)."""

    status_code = 400


class UnknownCode(CodeRefused):
    """No such code: what a guess looks like, so the page counts it against the address."""


def find_meeting_code(meeting: Meeting, text: str) -> PhoneCode:
    """A code of this meeting, as typed by a clerk (a slip handed back); else a DomainError."""
    code = normalise_code(text)
    found = (
        db.session.execute(
            select(PhoneCode).where(
                PhoneCode.code_hash == _code_hash(code), PhoneCode.meeting_id == meeting.id
            )
        ).scalar_one_or_none()
        if code
        else None
    )
    if found is None:
        raise DomainError(_("请填写退回的投票码（本次会议的 8 位投票码，如 ABCD-2345）。"))
    return found


def find_code(text: str) -> PhoneCode:
    """The unused code a deputy typed, of a meeting that is voting; else a DomainError saying why."""
    code = normalise_code(text)
    if not code:
        raise UnknownCode(_("投票码是 8 位字母和数字，如 ABCD-2345，请核对后重新输入。"))
    found = db.session.execute(
        select(PhoneCode).where(PhoneCode.code_hash == _code_hash(code))
    ).scalar_one_or_none()
    if found is None:
        raise UnknownCode(_("没有这个投票码，请核对后重新输入。"))
    if found.state is CodeState.void:
        raise CodeRefused(_("这个投票码已作废，请向工作人员领取新的投票码。"))
    if found.state is not CodeState.unused:
        raise CodeRefused(_("这个投票码已经投过票了，每个投票码只能投一次。"))
    meeting = db.session.get_one(Meeting, found.meeting_id)
    if meeting.state is not MeetingState.voting:
        raise CodeRefused(_("%(meeting)s现在不在投票时间，请听主持人的安排。", **words(meeting)))
    return found


def submit_phone_ballot(code_text: str, meeting_id: int, chosen: dict[int, str]) -> None:
    """Cast a phone ballot with a one-time code: one submission per code, even at the same moment.

    The code is spent by ``UPDATE … WHERE state = 'unused'``; only the request whose UPDATE changed
    the row casts the ballot. The ballot does not name the code, and neither keeps a time. It goes
    into the meeting's sealed pool (sealed.py), not the ballot table: it gets its place among the
    ballots only when voting closes, at random, so that no id or row says when it was cast.
    """
    code = normalise_code(code_text)
    found = (
        db.session.execute(
            select(PhoneCode).where(PhoneCode.code_hash == _code_hash(code))
        ).scalar_one_or_none()
        if code
        else None
    )
    if found is None:
        raise UnknownCode(_("没有这个投票码，请核对后重新输入。"))
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise CodeRefused(_("这个投票码不属于这次会议。"))
    if found.meeting_id != meeting_id:
        raise CodeRefused(_("这个投票码不属于这次%(meeting)s。", **words(meeting)))
    lock(meeting, shared=True)
    if meeting.state is not MeetingState.voting:
        raise CodeRefused(_("%(meeting)s现在不在投票时间，您的选票没有计入。", **words(meeting)))
    marks = check_marks(meeting, chosen, complete=True)
    if not retire_unused_code(found, CodeState.used):
        db.session.refresh(found, ["state"])
        if found.state is CodeState.void:
            raise CodeRefused(_("这个投票码已作废，请向工作人员领取新的投票码。"))
        raise CodeRefused(_("这个投票码已经投过票了，每个投票码只能投一次。"))
    seal(meeting, marks)
