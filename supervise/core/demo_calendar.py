"""The demo's calendar: every date of the demo follows today's, so the demo never ages.

The demo (supervise/demo.py and each domain's demo.py) tells one year of a township's work as seen
at the end of it: lists made at the start of the year, a consultation in June, an activity day in
September, the evaluation meeting in October, a consultation still open from November, a list for
the next year drafted; monthly reports, notices, inspections and follow-up sheets of the last
months. Its parts written as fixed days ("16 October") and its parts counted back from today
("reported three months ago") must agree whatever day the demo is loaded, so the story's December
is always this month: each fixed day moves by whole months with it, and the story's year is the
year its June falls in (this year from July on, last year before).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .dates import day_in_month, month_of, shift_month

DEMO_TOWNSHIP_SLUG = "jiangkou"


@dataclass(frozen=True)
class DemoCalendar:
    today: date

    @property
    def this_month(self) -> date:
        """The story's December."""
        return month_of(self.today)

    @property
    def year(self) -> int:
        """The year of the story's lists."""
        return self.day(6, 1).year

    def day(self, month: int, day: int, years: int = 0) -> date:
        """The story's ``day`` of ``month`` (``years`` after the story's year) as a real date."""
        months_back = 12 - month - 12 * years
        return day_in_month(shift_month(self.this_month, -months_back), day)

    def code(self, number: str, years: int = 0) -> str:
        """A demo item's code from its kind and number ("C-002": jiangkou-<year>-C-002)."""
        return f"{DEMO_TOWNSHIP_SLUG}-{self.year + years}-{number}"
