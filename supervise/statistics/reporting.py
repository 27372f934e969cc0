"""Monthly reports on time, late and missing, for many townships at once.

Which months an item owes is the monthly calendar's rule (progress/calendar.py: spans of
supervision from the item's events, the township's due day), the same the presidium's month grid
applies; here it runs over every township of the county in three statements (items' bare columns,
their state changes, each item-month's first submission), never a statement per township.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from ..core.dates import china_date_of, months_of_year
from ..extensions import db
from ..lists.models import Item, SupervisionList
from ..org.models import Township
from ..progress.calendar import MonthStatus, expected_months, month_status, report_due_on
from ..progress.models import MonthlyReport
from ..progress.queries import may_owe_since, spans_of


@dataclass
class ReportCounts:
    """One township's (or office's) monthly reports of a year: counts of item-months by status,
    and per month (1-12) how many are missing."""

    statuses: Counter = field(default_factory=Counter)
    missing_by_month: Counter = field(default_factory=Counter)
    by_month: Counter = field(default_factory=Counter)  # (month number, status) → item-months

    @property
    def on_time(self) -> int:
        return self.statuses[MonthStatus.reported]

    @property
    def late(self) -> int:
        return self.statuses[MonthStatus.late]

    @property
    def missing(self) -> int:
        return self.statuses[MonthStatus.missing]

    @property
    def owed(self) -> int:
        return self.on_time + self.late + self.missing

    @property
    def missing_months(self) -> int:
        """Months of the year with at least one report still missing (the "N 个月未报送" of a row)."""
        return len(self.missing_by_month)

    def add(self, other: ReportCounts) -> None:
        self.statuses.update(other.statuses)
        self.missing_by_month.update(other.missing_by_month)
        self.by_month.update(other.by_month)


def item_month_statuses(
    townships: Iterable[Township], year: int, day: date
) -> list[tuple[int, int, int | None, list[MonthStatus]]]:
    """(township id, item id, lead office id, the 12 months' statuses) of every item that owed or
    made a report in ``year``; three statements whatever the number of townships."""
    by_id = {t.id: t for t in townships}
    if not by_id:
        return []
    months = months_of_year(year)
    rows = db.session.execute(
        select(
            Item.id, Item.township_id, Item.lead_office_id, Item.state, Item.created_at, SupervisionList.year
        )
        .join(SupervisionList, SupervisionList.id == Item.list_id)
        .where(Item.township_id.in_(sorted(by_id)), may_owe_since(months[0]))
    ).all()
    spans = spans_of([(i, state, at, by_id[t].report_due_day, y) for i, t, _o, state, at, y in rows])
    first_submitted: dict[int, dict[date, date]] = {}
    for item_id, month, at in db.session.connection().execute(
        select(MonthlyReport.item_id, MonthlyReport.month, func.min(MonthlyReport.submitted_at))
        .where(
            MonthlyReport.township_id.in_(sorted(by_id)), MonthlyReport.month.between(months[0], months[-1])
        )
        .group_by(MonthlyReport.item_id, MonthlyReport.month)
    ):
        first_submitted.setdefault(item_id, {})[month] = china_date_of(at)
    found = []
    for item_id, township_id, office_id, *_rest in rows:
        owed = set(expected_months(spans[item_id], day))
        submitted = first_submitted.get(item_id, {})
        if not submitted and owed.isdisjoint(months):
            continue
        due_day = by_id[township_id].report_due_day
        statuses = [
            month_status(month in owed, report_due_on(month, due_day), submitted.get(month), day)
            for month in months
        ]
        found.append((township_id, item_id, office_id, statuses))
    return found


def report_counts(townships: Iterable[Township], year: int, day: date) -> dict[int, ReportCounts]:
    """Each township's report counts of ``year`` as of ``day``."""
    townships = list(townships)
    counts = {t.id: ReportCounts() for t in townships}
    for township_id, _item_id, _office_id, statuses in item_month_statuses(townships, year, day):
        tally(counts[township_id], statuses)
    return counts


def tally(counts: ReportCounts, statuses: list[MonthStatus]) -> None:
    """Add one item's twelve months to ``counts``."""
    counts.statuses.update(statuses)
    for number, status in enumerate(statuses, start=1):
        counts.by_month[(number, status)] += 1
        if status is MonthStatus.missing:
            counts.missing_by_month[number] += 1
