"""Time in one place: stored datetimes are naive UTC; dates the users mean are China dates."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def today() -> date:
    """Today's date in China, which is what deadlines mean."""
    return datetime.now(CHINA).date()
