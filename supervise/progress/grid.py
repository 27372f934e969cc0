"""The month grid a page at a time: every row's statuses from bare columns (for the totals and the
order), the page's rows with their items and reports. Three queries plus month_grid's four, however
many items the township has."""

from __future__ import annotations

from datetime import date

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select

from ..core.dates import china_date_of, months_of_year
from ..extensions import db
from ..lists.models import Item, SupervisionList
from ..org.models import Township
from .calendar import MonthStatus, expected_months, month_status, report_due_on
from .models import MonthlyReport
from .queries import GridRow, ever_supervised, may_owe_since, month_grid, spans_of

ROWS_PER_PAGE = 50


def grid_statuses(township: Township, year: int, today: date) -> dict[int, list[MonthStatus]]:
    """Each shown row's month statuses, by item id in the grid's order (no item is loaded)."""
    months = months_of_year(year)
    in_year = MonthlyReport.month.between(months[0], months[-1])
    rows = db.session.execute(
        select(Item.id, Item.state, Item.created_at, SupervisionList.year)
        .join(SupervisionList, SupervisionList.id == Item.list_id)
        .where(Item.township_id == township.id, ever_supervised(), may_owe_since(months[0]))
        .order_by(SupervisionList.year, SupervisionList.kind, Item.number)
    ).all()
    spans = spans_of([(i, state, at, township.report_due_day, y) for i, state, at, y in rows])
    first_submitted = {
        (item_id, month): china_date_of(at)
        for item_id, month, at in db.session.execute(
            select(MonthlyReport.item_id, MonthlyReport.month, func.min(MonthlyReport.submitted_at))
            .where(MonthlyReport.township_id == township.id, in_year)
            .group_by(MonthlyReport.item_id, MonthlyReport.month)
        )
    }
    statuses: dict[int, list[MonthStatus]] = {}
    for item_id, *_rest in rows:
        owed = set(expected_months(spans[item_id], today))
        if not owed.intersection(months) and not any((item_id, m) in first_submitted for m in months):
            continue
        statuses[item_id] = [
            month_status(
                month in owed,
                report_due_on(month, township.report_due_day),
                first_submitted.get((item_id, month)),
                today,
            )
            for month in months
        ]
    return statuses


class GridPage(Pagination):
    """One page of the grid's rows (page number from the request); ``totals`` counts every row's."""

    def _query_items(self) -> list[GridRow]:
        ids = self._query_args["ids"][self._query_offset : self._query_offset + self.per_page]
        if not ids:
            return []
        township, year, today = self._query_args["where"]
        return month_grid(township, year, today, item_ids=ids)

    def _query_count(self) -> int:
        return len(self._query_args["ids"])


def grid_page(township: Township, year: int, today: date, per_page: int = ROWS_PER_PAGE) -> GridPage:
    statuses = grid_statuses(township, year, today)
    page = GridPage(
        ids=list(statuses),
        where=(township, year, today),
        per_page=per_page,
        max_per_page=per_page,
        error_out=False,
    )
    page.totals = {status: 0 for status in MonthStatus}
    for row in statuses.values():
        for status in row:
            page.totals[status] += 1
    return page
