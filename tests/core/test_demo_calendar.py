"""The demo's calendar: the story's December is this month, whatever day the demo is loaded."""

from __future__ import annotations

from datetime import date

import pytest

from supervise.core.demo_calendar import DemoCalendar


@pytest.mark.parametrize(
    ("today", "year", "october_meeting", "last_years_deadline", "next_years_deadline"),
    [
        (date(2026, 12, 4), 2026, date(2026, 10, 16), date(2025, 9, 30), date(2027, 10, 31)),
        (date(2027, 1, 1), 2026, date(2026, 11, 16), date(2025, 10, 30), date(2027, 11, 30)),
        (date(2027, 3, 31), 2026, date(2027, 1, 16), date(2025, 12, 30), date(2028, 1, 31)),
        (date(2027, 6, 15), 2026, date(2027, 4, 16), date(2026, 3, 30), date(2028, 4, 30)),
        (date(2027, 7, 1), 2027, date(2027, 5, 16), date(2026, 4, 30), date(2028, 5, 31)),
        (date(2028, 2, 29), 2027, date(2027, 12, 16), date(2026, 11, 30), date(2028, 12, 31)),
    ],
)
def test_story_days_move_with_today(today, year, october_meeting, last_years_deadline, next_years_deadline):
    calendar = DemoCalendar(today)
    assert calendar.year == year
    assert calendar.day(10, 16) == october_meeting
    assert calendar.day(9, 30, years=-1) == last_years_deadline  # clamped in a shorter month
    assert calendar.day(10, 31, years=1) == next_years_deadline
    assert calendar.day(12, 1) == today.replace(day=1)
    assert calendar.code("C-002") == f"jiangkou-{year}-C-002"
    assert calendar.code("C-001", years=1) == f"jiangkou-{year + 1}-C-001"


@pytest.mark.parametrize("today", [date(2026, 12, 1), date(2027, 2, 28), date(2027, 8, 31), date(2028, 5, 2)])
def test_what_the_story_has_done_is_never_ahead_of_today(today):
    calendar = DemoCalendar(today)
    # The consultations, the activity day and the October meeting (supervise/meetings, evaluation demo).
    for month, day in [(6, 18), (9, 20), (10, 16), (11, 12)]:
        assert calendar.day(month, day) < today.replace(day=1)
    # Deadlines of the year's items may still be ahead: its last one is this month's end.
    assert calendar.day(12, 31) >= today
