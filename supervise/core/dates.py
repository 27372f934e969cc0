"""Dates in one place: month arithmetic, the China date of a stored time, and dates written out.

A month is represented by its first day (``date(2026, 5, 1)`` is May 2026). Two kinds of month
arithmetic, which must not be confused:

- ``shift_month(month, n)``: the month ``n`` months away (a calendar month, its first day);
- ``add_months_clamped(day, n)``: the same day ``n`` months later, clamped to that month's end
  (a legal deadline: 31 January + 1 month is 28/29 February).

Written out: ``chinese_date`` is how official documents print a day (2026年6月18日, whatever the
reader's language); ``reader_date`` and ``reader_month`` follow the reader's language.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, timedelta

from babel.dates import format_date, format_skeleton
from flask_babel import get_locale

from .clock import CHINA

DEFAULT_LOCALE = "zh_Hans_CN"
_MONTH_TEXT = re.compile(r"^(\d{4})-(\d{1,2})$")


def month_of(day: date) -> date:
    """The month ``day`` is in (its first day)."""
    return day.replace(day=1)


def shift_month(month: date, months: int) -> date:
    """The month ``months`` after (negative: before) ``month``'s month, as its first day."""
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def day_in_month(month: date, day: int) -> date:
    """Day ``day`` of ``month``'s month, clamped to the month (the 31st of February is its last day)."""
    return month.replace(day=min(max(day, 1), calendar.monthrange(month.year, month.month)[1]))


def add_months_clamped(day: date, months: int) -> date:
    """The same day ``months`` later (negative: earlier), clamped to the month's end.

    31 January + 1 month is 28 (29) February; 29 February + 12 months is 28 February.
    """
    return day_in_month(shift_month(day, months), day.day)


def month_end(month: date) -> date:
    """The last day of ``month``'s month."""
    return day_in_month(month, 31)


def months_of_year(year: int) -> list[date]:
    return [date(year, m, 1) for m in range(1, 13)]


def parse_month(text: str | None) -> date | None:
    """'2026-05' (or '2026-5') → date(2026, 5, 1); anything else, or a year outside 2000-2100, → None."""
    found = _MONTH_TEXT.match((text or "").strip())
    if not found:
        return None
    year, month = int(found.group(1)), int(found.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


# Asia/Shanghai has kept UTC+8 all year since 1992: adding it is exact, and a tenth of the time of a
# time-zone conversion (pages turn thousands of report times into China dates).
_CHINA_OFFSET = timedelta(hours=8)
_FIXED_OFFSET_SINCE = datetime(1992, 1, 1)


def china_date_of(stored: datetime) -> date:
    """The China date of a stored (naive UTC) datetime."""
    if stored.tzinfo is None and stored >= _FIXED_OFFSET_SINCE:
        return (stored + _CHINA_OFFSET).date()
    return stored.replace(tzinfo=UTC).astimezone(CHINA).date()


def chinese_date(day: date | datetime | None) -> str:
    """2026年6月18日, as official documents print it; a stored (UTC) datetime is read as a China date."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = china_date_of(day)
    return f"{day.year}年{day.month}月{day.day}日"


def reader_date(day: date | datetime | None) -> str:
    """A date in the reader's language (2026年6月18日, June 18, 2026); a stored (UTC) datetime is
    read as a China date. Printed documents keep ``chinese_date``."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = china_date_of(day)
    return format_date(day, "long", locale=get_locale() or DEFAULT_LOCALE)


def reader_month(month: date) -> str:
    """A month in the reader's language (2026年5月, May 2026)."""
    return format_skeleton("yMMMM", month, locale=get_locale() or DEFAULT_LOCALE)
