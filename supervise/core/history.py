"""History is appended, never overwritten: rows that, once written, the database layer refuses to change.

Event logs, monthly reports, ballots and published snapshots all declare themselves here; a change
or delete raises before any SQL is sent, whichever page, command or operation tried it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Mapper

from ..extensions import db


class HistoryIsAppendOnly(Exception):
    """A row of history (or a published snapshot) was about to be changed or deleted."""


def append_only(*models: type, message: str, error: type[Exception] = HistoryIsAppendOnly) -> None:
    """Refuse updates and deletes of these models' rows with ``error(message)``.

    Only real column changes count as updates: SQLAlchemy also marks a row dirty when just the other
    side of one of its relationships moved (a correction pointing at a published notice).
    """

    def refuse_update(mapper: Mapper[Any], connection: Any, target: object) -> None:
        state = inspect(target)
        if any(state.attrs[column.key].history.has_changes() for column in mapper.column_attrs):
            raise error(message)

    def refuse_delete(mapper: Mapper[Any], connection: Any, target: object) -> None:
        raise error(message)

    for model in models:
        event.listen(model, "before_update", refuse_update)
        event.listen(model, "before_delete", refuse_delete)


def add_event(
    event_model: type[Any],
    user: Any,
    action: str,
    from_state: Any,
    to_state: Any,
    reason: str,
    details: dict[str, Any],
    **record: Any,
) -> Any:
    """Append one event of a record's history (who, what, from, to, why, details) to the session.

    ``record`` names the record it belongs to (``item=…``, ``sheet=…``) and any column of its own.
    """
    new = event_model(
        actor_id=user.id if user is not None else None,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason or "",
        details=details,
        **record,
    )
    db.session.add(new)
    return new


def event_writer(event_model: type[Any], record_name: str) -> Callable[..., Any]:
    """A workflow's ``write_event`` (core/workflow.py) for a record whose history is ``event_model``
    rows that name it as ``record_name``: ``event_writer(SheetEvent, "sheet")``."""

    def write(
        record: Any,
        user: Any,
        action: str,
        from_state: Any = None,
        to_state: Any = None,
        reason: str = "",
        **details: Any,
    ) -> Any:
        named = {record_name: record}
        return add_event(event_model, user, action, from_state, to_state, reason, details, **named)

    return write
