"""The presidium home page's counts of this month's reports, precomputed.

Building the month grid for three numbers cost the home page as much as the grid page. The counts
are kept in ``progress_summary``, stamped with the township's data version (core/cache.py), which
every change to items or reports bumps in the transaction that makes it: a row is read in one query
while neither its stamp nor its day has changed, and computed again (and stored) otherwise.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from ..core import cache
from ..core.dates import month_of
from ..extensions import db
from ..org.models import Township
from .calendar import MonthStatus
from .grid import grid_statuses
from .models import MonthlyReport, ProgressSummary

# Reports are counted on the home page: a new or corrected report changes the township's version.
cache.watch(MonthlyReport)


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


def presidium_counts(township: Township, day: date) -> dict[str, int]:
    """The counts for the home page: stored ones while current (one query), else computed and stored."""
    stamp, stored = db.session.execute(
        select(_stamp(township.id), ProgressSummary)
        .select_from(Township)
        .outerjoin(ProgressSummary, ProgressSummary.township_id == Township.id)
        .where(Township.id == township.id)
    ).one()
    if stored is not None and stored.stamp == stamp and stored.day == day:
        return {"owed": stored.owed, "reported": stored.reported, "missing": stored.missing}
    counts = compute_counts(township, day)
    db.session.execute(_upsert(township.id, day, stamp, counts))
    return counts


def _upsert(township_id: int, day: date, stamp: int, counts: dict[str, int]):
    """INSERT … ON CONFLICT DO UPDATE: two first visits at once both store, neither fails."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]  # the same API
    table = ProgressSummary.__table__
    values = {"day": day, "stamp": stamp, **counts}
    statement = insert(table).values(township_id=township_id, **values)
    return statement.on_conflict_do_update(index_elements=[table.c.township_id], set_=values)
