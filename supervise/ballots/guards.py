"""What every operation of a voting meeting checks first: who runs the meeting, its state, the
meeting lock, and that a deputy is on its roster."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from ..core.errors import DomainError, PermissionDenied
from ..extensions import db
from .kinds import endpoint as kind_endpoint
from .kinds import words
from .models import Attendance, Meeting, MeetingState

if TYPE_CHECKING:
    from ..accounts.models import User


def require_runner(user: User, meeting: Meeting) -> None:
    if not meeting.is_run_by(user):
        raise PermissionDenied(_("只有本镇主席团可以主持%(meeting)s。", **words(meeting)))


def require_state(meeting: Meeting, *states: MeetingState) -> None:
    if meeting.state not in states:
        raise DomainError(
            _("%(meeting)s当前为“%(state)s”，不能进行这项操作。", state=meeting.state.label, **words(meeting))
        )


def roster_row(meeting: Meeting, deputy_id: int) -> Attendance:
    """The deputy's row of the meeting's roster; a DomainError if the deputy is not on it."""
    row = db.session.execute(
        select(Attendance).where(Attendance.meeting_id == meeting.id, Attendance.deputy_id == deputy_id)
    ).scalar_one_or_none()
    if row is None:
        raise DomainError(_("这位代表不在本次%(meeting)s的名册上。", **words(meeting)))
    return row


def lock(meeting: Meeting, *, shared: bool = False) -> None:
    """Lock the meeting row and re-read its state. Ballots and entries take a shared lock, closing
    an exclusive one: closing waits for ballots being cast, and a ballot after closing is refused."""
    # The base table alone: an ORM select of Meeting would outer-join every kind's table, and
    # PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    table = Meeting.__table__
    db.session.execute(select(table.c.id).where(table.c.id == meeting.id).with_for_update(read=shared))
    db.session.refresh(meeting, ["state", "version"])


def flush_or_conflict(meeting: Meeting) -> None:
    try:
        db.session.flush()
    except StaleDataError as error:
        raise DomainError(
            _("在您操作的同时，其他人已改变了%(meeting)s的状态。请刷新页面后再操作。", **words(meeting))
        ) from error


def link(meeting: Meeting, view: str = "results_page") -> str:
    """The address of one of the meeting's pages, in its own blueprint (for notifications)."""
    endpoint = kind_endpoint(meeting, view)
    if has_request_context():
        return url_for(endpoint, meeting_id=meeting.id)
    with current_app.test_request_context():
        return url_for(endpoint, meeting_id=meeting.id)
