"""Demo notices: the past months published (one of them corrected) and residents' opinions, one
approved with the presidium's answer. The current month stays unpublished for the chair to publish."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from ..core.clock import today, utcnow
from ..core.errors import DomainError
from ..extensions import db
from ..progress.calendar import add_months
from . import operations
from .queries import month_start


def _after(month, days: int) -> datetime:
    """A publication moment shortly after the month ended (naive UTC, like every stored datetime),
    never later than now."""
    return min(datetime.combine(add_months(month, 1) + timedelta(days=days), time(2, 0)), utcnow())


def seed_notices(township, chair) -> None:
    this_month = month_start(today())
    published = []
    for back in (2, 1):
        month = add_months(this_month, -back)
        try:
            published.append(operations.publish_notice(chair, township.id, month, at=_after(month, 1)))
        except DomainError:  # nothing under supervision that month
            continue
    if not published:
        return
    first = published[0]
    operations.publish_correction(
        chair, first, "原公示中部分事项的完成进度有误，现予更正，以本公示为准。", at=_after(first.month, 3)
    )
    latest = published[-1]
    line = latest.lines[0]
    opinion = operations.submit_opinion(
        latest, line.id, "施工期间请注意安全，尽量减少对周边群众出行的影响。", "江口社区居民"
    )
    operations.approve_opinion(
        chair, opinion, "已转主办单位落实：施工现场设置围挡和警示标志，上下学时段安排专人疏导。"
    )
    operations.submit_opinion(latest, line.id, "希望按期完工，并公开资金使用情况。", "")
    db.session.flush()
