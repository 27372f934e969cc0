"""Who hears of a follow-up sheet (提醒): issued → the addressed office's clerks; answered → the
presidium; an extension asked → the presidium, decided → the office; overdue → both, once per
deadline, from `flask remind` (progress/notify.py runs it)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from ..accounts.models import User
from ..core.clock import today
from ..core.permissions import Role
from ..extensions import db
from ..org.models import Township
from ..progress.models import Notification
from ..progress.notify import active_users, notify, presidium, register_reminder_source, sent_about, settle
from .models import AWAITING_ANSWER_STATES, FollowUpSheet


def office_clerks(sheet: FollowUpSheet) -> list[User]:
    """The clerks of the office the sheet is addressed to."""
    if sheet.lead_office_id is None:
        return []
    return active_users(
        User.township_id == sheet.township_id,
        User.role == Role.government,
        User.office_id == sheet.lead_office_id,
    )


def _params(sheet: FollowUpSheet) -> dict:
    return {"sheet_id": sheet.id, "number": sheet.document_number, "title": sheet.title}


def _sent(sheet: FollowUpSheet, kinds: Iterable[str]) -> list[Notification]:
    return sent_about(sheet.township_id, kinds, "sheet_id", [sheet.id])


def _notify(users: list[User], sheet: FollowUpSheet, kind: str, day: date | None = None) -> list:
    assert sheet.deadline is not None  # an issued sheet has one (issue_guard)
    return notify(
        users, township_id=sheet.township_id, kind=kind, due_on=sheet.deadline, params=_params(sheet), day=day
    )


def sheet_moved(sheet: FollowUpSheet, action: str) -> None:
    """After a step of the sheet: tell who must act next, and settle what no longer needs doing."""
    if action == "issue":
        _notify(office_clerks(sheet), sheet, "sheet_issued")
    elif action == "answer":
        settle(_sent(sheet, ["sheet_issued", "sheet_overdue", "sheet_returned", "sheet_extension_requested"]))
        _notify(presidium(sheet.township_id), sheet, "sheet_answered")
    elif action == "verify":
        settle(_sent(sheet, ["sheet_answered"]))
    elif action == "request_extension":
        _notify(presidium(sheet.township_id), sheet, "sheet_extension_requested")
    elif action in ("grant_extension", "refuse_extension"):
        settle(_sent(sheet, ["sheet_extension_requested"]))
        if action == "grant_extension":
            # Reminders of the old deadline are done with; the overdue reminder waits for the new one.
            settle(_sent(sheet, ["sheet_issued", "sheet_returned", "sheet_overdue"]))
        kind = "sheet_extension_granted" if action == "grant_extension" else "sheet_extension_refused"
        _notify(office_clerks(sheet), sheet, kind)
    elif action == "return":
        # Returned for fresh handling (退回重办): the office must answer again.
        settle(_sent(sheet, ["sheet_answered"]))
        _notify(office_clerks(sheet), sheet, "sheet_returned")


def remind_overdue_sheets(day: date | None = None) -> list[Notification]:
    """Each sheet past its deadline without an answer: its office's clerks and the presidium hear of
    it once (the first `flask remind` run after the deadline), never again for that deadline; a
    granted extension gives the sheet a new deadline, and passing that one is reminded of again."""
    day = day or today()
    overdue = db.session.execute(
        select(FollowUpSheet)
        .join(Township, Township.id == FollowUpSheet.township_id)
        .where(
            Township.is_active.is_(True),
            FollowUpSheet.state.in_(AWAITING_ANSWER_STATES),
            FollowUpSheet.deadline < day,
        )
        .order_by(FollowUpSheet.id)
        # A second `flask remind` at the same moment waits here, then sees what this one wrote.
        .with_for_update(of=FollowUpSheet)
    ).scalars()
    created: list[Notification] = []
    for sheet in overdue:
        if any(sent.due_on == sheet.deadline for sent in _sent(sheet, ["sheet_overdue"])):
            continue
        users = office_clerks(sheet) + presidium(sheet.township_id)
        created += _notify(users, sheet, "sheet_overdue", day)
    return created


register_reminder_source("sheets_overdue", remind_overdue_sheets)
