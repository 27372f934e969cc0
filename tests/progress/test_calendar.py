"""The monthly calendar over a table of dates: which months are owed, when, and how each stands."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from supervise.lists.models import ItemState
from supervise.progress.calendar import (
    MonthStatus,
    Span,
    expected_months,
    feedback_due_on,
    month_status,
    report_due_on,
    supervision_spans,
)

S = ItemState


def at(day: str) -> datetime:
    """Noon in China on that date, stored as naive UTC."""
    return datetime.fromisoformat(day + "T04:00:00")


def months(*names: str) -> list[date]:
    return [date.fromisoformat(name + "-01") for name in names]


# (case, state changes (date, to_state), today, months owed)
CASES = [
    (
        "entered mid-month counts that month",
        [("2026-03-17", S.supervising)],
        "2026-05-02",
        months("2026-03", "2026-04", "2026-05"),
    ),
    (
        "December to January",
        [("2025-12-20", S.supervising)],
        "2026-02-10",
        months("2025-12", "2026-01", "2026-02"),
    ),
    (
        "completed mid-month stops that month",
        [("2026-01-05", S.supervising), ("2026-04-15", S.completed)],
        "2026-07-01",
        months("2026-01", "2026-02", "2026-03"),
    ),
    (
        "consulting counts",
        [("2026-02-01", S.supervising), ("2026-03-10", S.consulting), ("2026-04-02", S.supervising)],
        "2026-04-20",
        months("2026-02", "2026-03", "2026-04"),
    ),
    (
        "consulting from the start counts",
        [("2026-06-30", S.consulting)],
        "2026-07-01",
        months("2026-06", "2026-07"),
    ),
    (
        "entered and completed in one month owes nothing",
        [("2026-05-03", S.supervising), ("2026-05-28", S.completed)],
        "2026-08-01",
        [],
    ),
    (
        "a rejected completion starts again",
        [("2026-01-10", S.supervising), ("2026-02-20", S.completed), ("2026-03-05", S.supervising)],
        "2026-04-01",
        months("2026-01", "2026-03", "2026-04"),
    ),
    (
        "back within the month keeps it",
        [("2026-01-10", S.supervising), ("2026-02-03", S.completed), ("2026-02-20", S.supervising)],
        "2026-02-25",
        months("2026-01", "2026-02"),
    ),
    (
        "withdrawn mid-month",
        [("2026-02-01", S.supervising), ("2026-03-31", S.withdrawn)],
        "2026-12-01",
        months("2026-02"),
    ),
    ("listed only owes nothing", [("2026-02-01", S.listed)], "2026-12-01", []),
    (
        "entered on the last day of the year",
        [("2026-12-31", S.supervising)],
        "2027-01-01",
        months("2026-12", "2027-01"),
    ),
    ("future months are not owed yet", [("2026-11-02", S.supervising)], "2026-11-03", months("2026-11")),
    (
        "dissatisfied rating comes back",
        [
            ("2025-10-01", S.supervising),
            ("2025-11-15", S.completed),
            ("2025-12-01", S.verified),
            ("2026-01-10", S.supervising),
        ],
        "2026-01-31",
        months("2025-10", "2026-01"),
    ),
]


@pytest.mark.parametrize("changes,today,owed", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_months_owed(changes, today, owed):
    spans = supervision_spans([(at(day), state) for day, state in changes])
    assert expected_months(spans, date.fromisoformat(today)) == owed


@pytest.mark.parametrize(
    "entered,today,owed",
    [
        ("2026-03-25", "2026-03-28", months("2026-03")),  # on the due day: March is owed (due that day)
        ("2026-03-28", "2026-03-29", []),  # after it: nothing is owed, nothing is missing yet
        ("2026-03-28", "2026-04-02", months("2026-04")),  # March's work goes into April's report
        ("2026-12-30", "2027-01-05", months("2027-01")),  # and across the year
    ],
)
def test_an_item_entering_after_the_due_day_first_reports_next_month(entered, today, owed):
    spans = supervision_spans([(at(entered), S.supervising)], due_day=25)
    assert expected_months(spans, date.fromisoformat(today)) == owed


@pytest.mark.parametrize(
    "due_day,changes,today,owed",
    [
        # Left after the due day: that month's report had fallen due and is still owed.
        (
            25,
            [("2026-01-05", S.supervising), ("2026-04-27", S.completed)],
            "2026-07-01",
            ["01", "02", "03", "04"],
        ),
        # On or before the due day: the completion report covers the month.
        (25, [("2026-01-05", S.supervising), ("2026-04-25", S.completed)], "2026-07-01", ["01", "02", "03"]),
        (25, [("2026-01-05", S.supervising), ("2026-04-03", S.completed)], "2026-07-01", ["01", "02", "03"]),
        (
            10,
            [("2026-01-05", S.supervising), ("2026-04-11", S.completed)],
            "2026-07-01",
            ["01", "02", "03", "04"],
        ),
        (10, [("2026-01-05", S.supervising), ("2026-04-10", S.completed)], "2026-07-01", ["01", "02", "03"]),
        (5, [("2026-01-05", S.supervising), ("2026-01-06", S.withdrawn)], "2026-07-01", ["01"]),
        # Entered after the due day and left after the next one: that one month is owed.
        (10, [("2026-01-20", S.supervising), ("2026-02-15", S.completed)], "2026-07-01", ["02"]),
        (10, [("2026-01-20", S.supervising), ("2026-01-31", S.completed)], "2026-07-01", []),
        # In and out within one month, across the due day.
        (25, [("2026-03-05", S.supervising), ("2026-03-28", S.completed)], "2026-07-01", ["03"]),
        # The due day 31 clamps to the month's end: leaving on 28 February is on it.
        (31, [("2026-01-05", S.supervising), ("2026-02-28", S.completed)], "2026-07-01", ["01"]),
        # Back to supervision after a rejected completion in the same late part of the month.
        (
            25,
            [("2026-01-05", S.supervising), ("2026-02-26", S.completed), ("2026-03-02", S.supervising)],
            "2026-03-30",
            ["01", "02", "03"],
        ),
        # December's due day passed before leaving; January is the new year.
        (
            25,
            [("2025-11-05", S.supervising), ("2025-12-28", S.completed)],
            "2026-02-01",
            ["2025-11", "2025-12"],
        ),
    ],
)
def test_an_item_leaving_after_the_due_day_still_owes_that_month(due_day, changes, today, owed):
    spans = supervision_spans([(at(day), state) for day, state in changes], due_day=due_day)
    expected = [date.fromisoformat((m if "-" in m else "2026-" + m) + "-01") for m in owed]
    assert expected_months(spans, date.fromisoformat(today)) == expected


def test_a_late_evening_in_china_is_the_next_day():
    # 2026-02-28 17:00 UTC is 1 March 01:00 in China: the item entered supervision in March.
    spans = supervision_spans([(datetime(2026, 2, 28, 17), S.supervising)])
    assert spans == [Span(date(2026, 3, 1), None)]


def test_an_item_under_supervision_without_history_counts_from_its_creation():
    spans = supervision_spans([], S.supervising, created_at=at("2026-09-09"))
    assert expected_months(spans, date(2026, 10, 1)) == months("2026-09", "2026-10")
    assert supervision_spans([], S.listed, created_at=at("2026-09-09")) == []


# (case, due day, month, first submitted, today, expected status); owed unless said otherwise
STATUS_CASES = [
    ("before the due day", 25, "2026-11", None, "2026-11-20", MonthStatus.due),
    ("on the due day", 25, "2026-11", None, "2026-11-25", MonthStatus.due),
    ("the day after", 25, "2026-11", None, "2026-11-26", MonthStatus.missing),
    ("at month end", 25, "2026-11", None, "2026-11-30", MonthStatus.missing),
    ("next month", 25, "2026-11", None, "2026-12-02", MonthStatus.missing),
    ("reported on time", 25, "2026-11", "2026-11-25", "2026-11-30", MonthStatus.reported),
    ("reported late", 25, "2026-11", "2026-11-26", "2026-11-30", MonthStatus.late),
    ("reported in the next month", 25, "2026-12", "2027-01-03", "2027-01-05", MonthStatus.late),
    ("due day 31 in February is its last day", 31, "2026-02", None, "2026-02-28", MonthStatus.due),
    ("… and in a leap year", 31, "2028-02", "2028-02-29", "2028-03-01", MonthStatus.reported),
    ("due day 1", 1, "2026-03", None, "2026-03-02", MonthStatus.missing),
]


@pytest.mark.parametrize(
    "due_day,month,submitted,today,expected", [c[1:] for c in STATUS_CASES], ids=[c[0] for c in STATUS_CASES]
)
def test_month_status(due_day, month, submitted, today, expected):
    month = date.fromisoformat(month + "-01")
    due_on = report_due_on(month, due_day)
    first = date.fromisoformat(submitted) if submitted else None
    assert month_status(True, due_on, first, date.fromisoformat(today)) is expected


def test_a_month_not_owed_is_not_due_whatever_the_day():
    assert month_status(False, date(2026, 11, 25), None, date(2026, 12, 30)) is MonthStatus.not_due


def test_feedback_is_due_by_month_end_or_a_few_days_after_a_late_report():
    assert feedback_due_on(date(2026, 12, 1)) == date(2026, 12, 31)
    assert feedback_due_on(date(2026, 12, 1), date(2026, 12, 10)) == date(2026, 12, 31)
    assert feedback_due_on(date(2026, 12, 1), date(2027, 1, 4)) == date(2027, 1, 9)


@pytest.mark.parametrize(
    "changes,today,owed",
    [
        # Assigned in December for next year's list: January is its first month, December is not owed.
        ([("2026-12-10", S.supervising)], "2027-02-01", months("2027-01", "2027-02")),
        ([("2026-12-10", S.supervising)], "2026-12-31", []),
        # Supervised and completed before the list's year began: nothing is owed at all.
        ([("2026-10-10", S.supervising), ("2026-12-20", S.completed)], "2027-03-01", []),
    ],
)
def test_an_item_of_a_coming_years_list_owes_nothing_before_its_year(changes, today, owed):
    spans = supervision_spans([(at(day), state) for day, state in changes], due_day=25, list_year=2027)
    assert expected_months(spans, date.fromisoformat(today)) == owed
