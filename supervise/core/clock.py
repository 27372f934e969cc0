"""Time in one place: stored datetimes are naive UTC; dates the users mean are China dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    """Today's date in China, which is what deadlines mean."""
    return datetime.now(CHINA).date()
