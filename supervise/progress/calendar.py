"""The monthly calendar: which months an item owes a report, when it is due, and how each month stands.

Pure functions of dates and an item's history, so that the pages, reminders and tests agree.
An item owes a report for every calendar month from the month it entered supervision (监督中 or
会商中) up to the month it left (reported completed, withdrawn, carried over). The township's due
day decides the edge months: an item entering after it first reports the next month, an item leaving
on or before it owes nothing for that month (its completion report covers it), an item leaving
after it still owed that month's report. Leaving and coming back (a rejected completion, a
dissatisfied rating) starts a new span. An item of a list for a coming year owes nothing before its
year begins: assigned in December for next year, it first reports in January.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from ..core.dates import china_date_of, day_in_month, month_end, month_of, shift_month
from ..core.enums import N_, LabeledEnum
from ..lists.models import UNDER_SUPERVISION_STATES, ItemState

# A report submitted after the month's end still gives its supervisors a few days to answer.
FEEDBACK_GRACE_DAYS = 5


class MonthStatus(LabeledEnum):
    """One month of an item's monthly reports (月报), as the progress grid shows it."""

    reported = ("reported", N_("已报"), "success")
    late = ("late", N_("迟报"), "warning")
    missing = ("missing", N_("缺报"), "danger")
    due = ("due", N_("待报"), "info")
    not_due = ("not_due", N_("无需报送"), "light")


@cache  # a few dozen distinct (month, day) pairs, asked for once per item and month of a page
def report_due_on(month: date, due_day: int) -> date:
    """The due day in that month, clamped to its last day (the 31st in February is the 28th/29th)."""
    return day_in_month(month, due_day)


def feedback_due_on(month: date, report_submitted_on: date | None = None) -> date:
    """Supervisors answer by the month's end, or a few days after a report that came later."""
    due = month_end(month)
    if report_submitted_on is not None:
        due = max(due, report_submitted_on + timedelta(days=FEEDBACK_GRACE_DAYS))
    return due


def owes_feedback(month: date, assigned_at: datetime) -> bool:
    """A supervisor answers the reports of the months since they were assigned (that month
    included), never those of the months before their time."""
    return month >= month_of(china_date_of(assigned_at))


@dataclass(frozen=True)
class Span:
    """A stretch of supervision: entered on ``start``, left on ``end`` (None: still under way).

    ``due_day`` is the township's report due day: an item that enters supervision after it owes its
    first report the next month (it cannot be late on the day it arrives); an item that leaves after
    it still owes the report that fell due while it was under supervision.
    """

    start: date
    end: date | None
    due_day: int = 31

    @property
    def first_month(self) -> date:
        month = month_of(self.start)
        return month if self.start <= report_due_on(month, self.due_day) else shift_month(month, 1)

    @property
    def last_month(self) -> date | None:
        """The last month owed (None: still under way); may come before ``first_month`` (none owed)."""
        if self.end is None:
            return None
        month = month_of(self.end)
        return month if self.end > report_due_on(month, self.due_day) else shift_month(month, -1)


def supervision_spans(
    changes: Iterable[tuple[datetime, ItemState | None]],
    current_state: ItemState | None = None,
    created_at: datetime | None = None,
    due_day: int = 31,
    list_year: int | None = None,
) -> list[Span]:
    """Spans from an item's state changes (its events' ``at`` and ``to_state``, oldest first).

    An item that is under supervision without any recorded entry (made so by an import) counts
    from its creation. With ``list_year`` (the year of the item's list), no span starts before
    1 January of that year, and one that ended before it is dropped.
    """
    spans: list[Span] = []
    start: date | None = None
    for at, to_state in changes:
        if to_state is None:
            continue
        if to_state in UNDER_SUPERVISION_STATES and start is None:
            start = china_date_of(at)
        elif to_state not in UNDER_SUPERVISION_STATES and start is not None:
            spans.append(Span(start, china_date_of(at), due_day))
            start = None
    if start is None and current_state in UNDER_SUPERVISION_STATES and not spans and created_at is not None:
        start = china_date_of(created_at)
    if start is not None:
        spans.append(Span(start, None, due_day))
    if list_year is None:
        return spans
    year_begins = date(list_year, 1, 1)
    return [
        Span(max(span.start, year_begins), span.end, due_day)
        for span in spans
        if span.end is None or span.end >= year_begins
    ]


def expected_months(spans: Iterable[Span], until: date) -> list[date]:
    """The months (first days) a report is owed for, up to and including ``until``'s month."""
    last_possible = month_of(until)
    months: set[date] = set()
    for span in spans:
        month = span.first_month
        last = last_possible if span.last_month is None else min(span.last_month, last_possible)
        while month <= last:
            months.add(month)
            month = shift_month(month, 1)
    return sorted(months)


def month_status(expected: bool, due_on: date, first_submitted_on: date | None, today: date) -> MonthStatus:
    """How one item's report for one month stands today."""
    if first_submitted_on is not None:
        return MonthStatus.late if first_submitted_on > due_on else MonthStatus.reported
    if not expected:
        return MonthStatus.not_due
    return MonthStatus.missing if today > due_on else MonthStatus.due
