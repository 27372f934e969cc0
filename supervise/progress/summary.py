"""The home pages' lines about this month's reports, precomputed.

Working out which months each item owes cost the home pages as much as the grid and the due pages.
The counts are kept in ``progress_summary``, one row per township and reader (the presidium, an
office, a deputy), stamped with the township's data version (core/cache.py), which every change to
what they count (items, supervisors, reports, feedback, the township's due day) bumps in the
transaction that makes it: a row is read in one query while neither its stamp nor its day has
changed, and computed again (and stored) otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import and_, func, select

from ..core import cache
from ..core.dates import month_of
from ..extensions import db
from ..org.models import Township
from .calendar import MonthStatus
from .grid import grid_statuses
from .models import MonthlyReport, ProgressSummary, ReportFeedback
from .queries import deputy_dues, office_dues

# Reports are counted on every home page: a new or corrected report changes the township's version;
# so does a supervisor's feedback (a deputy's reports waiting for it).
cache.watch(MonthlyReport)
cache.watch_child(ReportFeedback, ReportFeedback.report_id, MonthlyReport)

PRESIDIUM, OFFICE, DEPUTY = "presidium", "office", "deputy"


def _stamp(township_id: int):
    """The township's data version plus the every-township version, as a SQL expression."""
    version = cache.DataVersion
    own = select(version.version).where(version.township_id == township_id).scalar_subquery()
    every = select(version.version).where(version.township_id == cache.EVERY_TOWNSHIP).scalar_subquery()
    return func.coalesce(own, 0) + func.coalesce(every, 0)


def compute_counts(township: Township, day: date) -> dict[str, int]:
    """This month's owed and reported items, and the year's missing months, from the month grid's
    statuses (no item or report is loaded)."""
    rows = grid_statuses(township, day.year, day).values()
    this_month = [row[month_of(day).month - 1] for row in rows]
    return {
        "owed": sum(1 for status in this_month if status is not MonthStatus.not_due),
        "reported": sum(1 for status in this_month if status in (MonthStatus.reported, MonthStatus.late)),
        "missing": sum(1 for row in rows for status in row if status is MonthStatus.missing),
    }


def compute_office_counts(township: Township, office_id: int, day: date) -> dict[str, int]:
    """An office's reports owed this month, those reported, and all overdue (this month's and before)."""
    current, earlier = office_dues(township, office_id, day)
    return {
        "owed": len(current),
        "reported": sum(1 for d in current if d.report is not None),
        "overdue": len(earlier) + sum(1 for d in current if d.is_overdue),
    }


def compute_deputy_counts(township: Township, deputy_id: int, day: date) -> dict[str, int]:
    """Reports waiting for this supervisor's feedback, and how many of them are overdue."""
    waiting, _unreported = deputy_dues(deputy_id, township, day)
    pending = [d for d in waiting if not d.own_feedback]
    return {"waiting": len(pending), "overdue": sum(1 for d in pending if d.feedback_overdue(day))}


def presidium_counts(township: Township, day: date) -> dict[str, int]:
    """The presidium's line: stored counts while current (one query), else computed and stored."""
    return _stored(township, PRESIDIUM, 0, day, lambda: compute_counts(township, day))


def office_counts(township: Township, office_id: int, day: date) -> dict[str, int]:
    """An office's line: stored counts while current (one query), else computed and stored."""
    return _stored(township, OFFICE, office_id, day, lambda: compute_office_counts(township, office_id, day))


def deputy_counts(township: Township, deputy_id: int, day: date) -> dict[str, int]:
    """A supervisor's line: stored counts while current (one query), else computed and stored."""
    return _stored(township, DEPUTY, deputy_id, day, lambda: compute_deputy_counts(township, deputy_id, day))


def _stored(
    township: Township, role: str, owner_id: int, day: date, compute: Callable[[], dict[str, int]]
) -> dict[str, int]:
    # The stamp is read before the counts are worked out: a change committed meanwhile leaves the
    # row with the older stamp, and the next visit counts again.
    stamp, stored = db.session.execute(
        select(_stamp(township.id), ProgressSummary)
        .select_from(Township)
        .outerjoin(
            ProgressSummary,
            and_(
                ProgressSummary.township_id == Township.id,
                ProgressSummary.role == role,
                ProgressSummary.owner_id == owner_id,
            ),
        )
        .where(Township.id == township.id)
    ).one()
    if stored is not None and stored.stamp == stamp and stored.day == day:
        return dict(stored.counts)
    counts = compute()
    db.session.execute(_upsert(township.id, role, owner_id, day, stamp, counts))
    return counts


def _upsert(township_id: int, role: str, owner_id: int, day: date, stamp: int, counts: dict[str, int]):
    """INSERT … ON CONFLICT DO UPDATE: two first visits at once both store, neither fails."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]  # the same API
    table = ProgressSummary.__table__
    values = {"day": day, "stamp": stamp, "counts": counts}
    statement = insert(table).values(township_id=township_id, role=role, owner_id=owner_id, **values)
    key = [table.c.township_id, table.c.role, table.c.owner_id]
    return statement.on_conflict_do_update(index_elements=key, set_=values)
