"""Notifications (提醒) about records of the domains above progress, such as follow-up sheets.

Those domains write them through ``notify`` and settle them with ``settle``; what has to be reminded of
on a schedule (an overdue sheet) they register with ``register_reminder_source``, and
``create_reminders`` (`flask remind`) runs it with the monthly reminders. The records they are about
are named in ``params`` (``sheet_id``, their number and title as they were when sent).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from sqlalchemy import select

from ..accounts.models import User
from ..core.clock import today, utcnow
from ..core.dates import month_of
from ..core.permissions import Role
from ..extensions import db
from .models import Notification

# name -> source(day): the notifications it created for that day.
REMINDER_SOURCES: dict[str, Callable[[date], list[Notification]]] = {}


def register_reminder_source(name: str, source: Callable[[date], list[Notification]]) -> None:
    """Have `flask remind` also run ``source(day)`` (registered once per name)."""
    REMINDER_SOURCES[name] = source


def remind_from_sources(day: date) -> list[Notification]:
    """Run every registered reminder source for ``day``; the notifications they created."""
    created: list[Notification] = []
    for source in REMINDER_SOURCES.values():
        created += source(day)
    return created


def active_users(*where) -> list[User]:
    """The active accounts that match ``where`` (SQLAlchemy conditions on User)."""
    return list(db.session.execute(select(User).where(User.is_active_account.is_(True), *where)).scalars())


def presidium(township_id: int) -> list[User]:
    """The township's presidium (主席团) accounts."""
    return active_users(User.township_id == township_id, User.role == Role.presidium)


def notify(
    users: Iterable[User],
    *,
    township_id: int,
    kind: str,
    due_on: date,
    params: dict[str, Any],
    day: date | None = None,
) -> list[Notification]:
    """One notification of ``kind`` for each of ``users`` (each once), created on ``day``."""
    day = day or today()
    made = []
    for user_id in dict.fromkeys(user.id for user in users):
        notification = Notification(
            user_id=user_id,
            township_id=township_id,
            kind=kind,
            item_id=None,
            month=month_of(day),
            due_on=due_on,
            params=dict(params),
            created_on=day,
        )
        db.session.add(notification)
        made.append(notification)
    db.session.flush()
    return made


def sent_about(township_id: int, kinds: Iterable[str], key: str, ids: Iterable[int]) -> list[Notification]:
    """The township's notifications of these kinds about the records ``ids``, named by
    ``params[key]``; filtered in SQL, so the cost does not grow with the years of notifications."""
    return list(
        db.session.execute(
            select(Notification).where(
                Notification.township_id == township_id,
                Notification.kind.in_(list(kinds)),
                Notification.params[key].as_integer().in_(list(ids)),
            )
        ).scalars()
    )


def settle(notifications: Iterable[Notification]) -> None:
    """Mark these notifications read and done: what they asked for has happened."""
    now = utcnow()
    for notification in notifications:
        if notification.read_at is None:
            notification.read_at = now
            notification.params = {**notification.params, "done": True}
    db.session.flush()
