"""What every evaluation operation checks first: who runs the meeting, its state, the meeting lock,
and that a deputy is on its roster."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from ..core.errors import DomainError, PermissionDenied
from ..extensions import db
from .models import Attendance, EvaluationMeeting, MeetingState


def require_runner(user, meeting: EvaluationMeeting) -> None:
    if not meeting.is_run_by(user):
        raise PermissionDenied(_("只有本镇主席团可以主持民主评议会。"))


def require_state(meeting: EvaluationMeeting, *states: MeetingState) -> None:
    if meeting.state not in states:
        raise DomainError(_("评议会当前为“%(state)s”，不能进行这项操作。", state=meeting.state.label))


def roster_row(meeting: EvaluationMeeting, deputy_id: int) -> Attendance:
    """The deputy's row of the meeting's roster; a DomainError if the deputy is not on it."""
    row = db.session.execute(
        select(Attendance).where(Attendance.meeting_id == meeting.id, Attendance.deputy_id == deputy_id)
    ).scalar_one_or_none()
    if row is None:
        raise DomainError(_("这位代表不在本次评议会的名册上。"))
    return row


def lock(meeting: EvaluationMeeting, *, shared: bool = False) -> None:
    """Lock the meeting row and re-read its state. Ballots and entries take a shared lock, closing
    an exclusive one: closing waits for ballots being cast, and a ballot after closing is refused."""
    db.session.execute(
        select(EvaluationMeeting.id).where(EvaluationMeeting.id == meeting.id).with_for_update(read=shared)
    )
    db.session.refresh(meeting, ["state", "version"])


def flush_or_conflict() -> None:
    try:
        db.session.flush()
    except StaleDataError as error:
        raise DomainError(_("在您操作的同时，其他人已改变了评议会的状态。请刷新页面后再操作。")) from error


def link(meeting: EvaluationMeeting, endpoint: str = "evaluation.results_page") -> str:
    if has_request_context():
        return url_for(endpoint, meeting_id=meeting.id)
    with current_app.test_request_context():
        return url_for(endpoint, meeting_id=meeting.id)
