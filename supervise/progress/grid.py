"""The presidium's month grid: items × months of a year, a page at a time.

Every row's statuses come from bare columns (for the totals, the order and the home page's counts:
no item is loaded); a page loads only its own rows' codes, titles and report percents. Three
queries for the statuses and two for a page's rows, however many items the township has.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from sqlalchemy.orm import load_only

from ..core.database import in_ids
from ..core.dates import china_date_of, months_of_year
from ..extensions import db
from ..lists.models import Item, SupervisionList
from ..org.models import Township
from .calendar import MonthStatus, expected_months, month_status, report_due_on
from .models import MonthlyReport
from .queries import may_owe_since, spans_of

ROWS_PER_PAGE = 50


@dataclass
class Cell:
    month: date
    status: MonthStatus
    due_on: date
    report: MonthlyReport | None = None


@dataclass
class GridRow:
    item: Item
    cells: list[Cell]


def grid_statuses(township: Township, year: int, today: date) -> dict[int, list[MonthStatus]]:
    """Each shown row's month statuses, by item id in the grid's order (no item is loaded)."""
    return townships_grid_statuses([township], year, today).get(township.id, {})


def townships_grid_statuses(
    townships: list[Township], year: int, today: date
) -> dict[int, dict[int, list[MonthStatus]]]:
    """The grid's rows of each of these townships (by township id, then item id in the grid's
    order): three queries whatever their number."""
    if not townships:
        return {}
    months = months_of_year(year)
    due_days = {t.id: t.report_due_day for t in townships}
    due = {t.id: [report_due_on(month, t.report_due_day) for month in months] for t in townships}
    rows = db.session.execute(
        select(Item.id, Item.township_id, Item.state, Item.created_at, SupervisionList.year)
        .join(SupervisionList, SupervisionList.id == Item.list_id)
        # Not also ever_supervised(): an item never under supervision has no span and no report, so
        # the loop below leaves it out anyway, and its EXISTS cost a probe per item of every year.
        .where(Item.township_id.in_(list(due_days)), may_owe_since(months[0]))
        .order_by(SupervisionList.year, SupervisionList.kind, Item.number)
    ).all()
    spans = spans_of([(i, state, at, due_days[t], y) for i, t, state, at, y in rows])
    first_submitted: dict[int, dict[date, date]] = {}
    # On the connection: 3,000 rows of bare columns need none of the ORM's work on each.
    for item_id, month, at in db.session.connection().execute(
        select(MonthlyReport.item_id, MonthlyReport.month, func.min(MonthlyReport.submitted_at))
        .where(
            MonthlyReport.township_id.in_(list(due_days)),
            MonthlyReport.month.between(months[0], months[-1]),
        )
        .group_by(MonthlyReport.item_id, MonthlyReport.month)
    ):
        first_submitted.setdefault(item_id, {})[month] = china_date_of(at)
    statuses: dict[int, dict[int, list[MonthStatus]]] = {}
    for item_id, township_id, *_rest in rows:
        owed = set(expected_months(spans[item_id], today))
        submitted = first_submitted.get(item_id, {})
        if not submitted and owed.isdisjoint(months):
            continue
        statuses.setdefault(township_id, {})[item_id] = [
            month_status(month in owed, due_on, submitted.get(month), today)
            for month, due_on in zip(months, due[township_id], strict=True)
        ]
    return statuses


def grid_rows(township: Township, year: int, statuses: dict[int, list[MonthStatus]]) -> list[GridRow]:
    """The rows of these statuses' items, in their order: each item's code and title, each month's
    current report (its percent). Two queries."""
    ids = list(statuses)
    if not ids:
        return []
    months = months_of_year(year)
    items = {
        item.id: item
        for item in db.session.execute(
            select(Item).where(in_ids(Item.id, ids)).options(load_only(Item.id, Item.code, Item.title))
        ).scalars()
    }
    current: dict[tuple[int, date], MonthlyReport] = {}
    for report in db.session.execute(
        select(MonthlyReport)
        .where(in_ids(MonthlyReport.item_id, ids), MonthlyReport.month.between(months[0], months[-1]))
        .options(load_only(MonthlyReport.item_id, MonthlyReport.month, MonthlyReport.percent))
        .order_by(MonthlyReport.version)
    ).scalars():
        current[(report.item_id, report.month)] = report  # the newest version comes last
    due = [report_due_on(month, township.report_due_day) for month in months]
    return [
        GridRow(
            items[item_id],
            [
                Cell(month, status, due_on, current.get((item_id, month)))
                for month, due_on, status in zip(months, due, row, strict=True)
            ],
        )
        for item_id, row in statuses.items()
    ]


def month_grid(
    township: Township, year: int, today: date, item_ids: list[int] | None = None
) -> list[GridRow]:
    """Items × months of ``year``: reported / late / missing / due / not due; only these items when
    ``item_ids`` is given."""
    statuses = grid_statuses(township, year, today)
    if item_ids is not None:
        wanted = set(item_ids)
        statuses = {item_id: row for item_id, row in statuses.items() if item_id in wanted}
    return grid_rows(township, year, statuses)


class GridPage(Pagination):
    """One page of the grid's rows (page number from the request); ``totals`` counts every row's."""

    def _query_items(self) -> list[GridRow]:
        statuses: dict[int, list[MonthStatus]] = self._query_args["statuses"]
        ids = list(statuses)[self._query_offset : self._query_offset + self.per_page]
        township, year = self._query_args["where"]
        return grid_rows(township, year, {item_id: statuses[item_id] for item_id in ids})

    def _query_count(self) -> int:
        return len(self._query_args["statuses"])


def grid_page(
    township: Township,
    year: int,
    today: date,
    per_page: int = ROWS_PER_PAGE,
    having: MonthStatus | None = None,
    statuses: dict[int, list[MonthStatus]] | None = None,
) -> GridPage:
    """A page of the grid; only the rows with a month of status ``having`` when given (the totals
    still count every row's). ``statuses``: the township's, when already known."""
    if statuses is None:
        statuses = grid_statuses(township, year, today)
    totals = {status: 0 for status in MonthStatus}
    for row in statuses.values():
        for status in row:
            totals[status] += 1
    if having is not None:
        statuses = {item_id: row for item_id, row in statuses.items() if having in row}
    page = GridPage(
        statuses=statuses, where=(township, year), per_page=per_page, max_per_page=per_page, error_out=False
    )
    page.totals = totals
    return page
