"""Demo notices: the past months published (one of them corrected) and residents' opinions, one
approved with the presidium's answer. The current month stays unpublished for the chair to publish."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from ..accounts.models import User
from ..core.clock import utcnow
from ..core.dates import shift_month
from ..core.demo_calendar import DemoCalendar
from ..core.errors import DomainError
from ..core.permissions import Role
from ..extensions import db
from ..lists.models import Item
from ..progress.models import FeedbackVerdict
from . import operations

# The item (of the demo year, by number) whose report of the first published month is corrected, so
# that the correction notice differs from the one it corrects.
CORRECTED_ITEM = "C-002"


def _after(month, days: int) -> datetime:
    """A publication moment shortly after the month ended (naive UTC, like every stored datetime),
    never later than now."""
    return min(datetime.combine(shift_month(month, 1) + timedelta(days=days), time(2, 0)), utcnow())


def _correct_a_report(calendar: DemoCalendar, month, at: datetime) -> str | None:
    """After the month's notice came out, the sewage works' office finds its report overstated and
    corrects it; its supervisors confirm the correction. Returns the item's title (None: no report)."""
    from ..progress import operations as progress
    from ..progress.operations import latest_version

    code = calendar.code(CORRECTED_ITEM)
    item = db.session.execute(select(Item).where(Item.code == code)).scalar_one_or_none()
    report = latest_version(item.id, month) if item is not None else None
    clerk = (
        db.session.execute(
            select(User).where(User.role == Role.government, User.office_id == item.lead_office_id)
        )
        .scalars()
        .first()
        if report is not None
        else None
    )
    if clerk is None:
        return None
    corrected = progress.submit_report(
        clerk,
        item,
        month,
        percent=max(report.percent - 4, 0),
        done="设备安装完成约四成（原报一半）；配套管网设计已批复。",
        problems=report.problems,
        funds_spent=report.funds_spent,
        correction_reason="按到货设备的实际安装数量重新核算进度，原报偏高。",
        at=at,
    )
    supervisors = db.session.execute(
        select(User).where(User.role == Role.deputy, User.deputy_id.in_([d.id for d in item.supervisors]))
    ).scalars()
    for n, user in enumerate(supervisors):
        progress.give_feedback(
            user, corrected, FeedbackVerdict.confirm, "已现场核对。", at=at + timedelta(hours=2 + n)
        )
    return item.title


def seed_notices(calendar: DemoCalendar, township, chair) -> None:
    this_month = calendar.this_month
    published = []
    for back in (2, 1):
        month = shift_month(this_month, -back)
        # The chair is shown the items still missing the month's report and publishes all the same.
        missing = [item.id for item in operations.missing_reports(township.id, month)]
        try:
            published.append(
                operations.publish_notice(
                    chair, township.id, month, missing_confirmed=missing, at=_after(month, 1)
                )
            )
        except DomainError:  # nothing under supervision that month
            continue
        if len(published) == 1:
            # The first month's notice is corrected before the next month's is published, so the
            # numbers follow the dates of publication.
            _publish_a_correction(calendar, chair, published[0])
    if not published:
        return
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


def _publish_a_correction(calendar: DemoCalendar, chair, notice) -> None:
    corrected = _correct_a_report(calendar, notice.month, at=_after(notice.month, 2))
    if corrected is not None:
        operations.publish_correction(
            chair,
            notice,
            f"原公示中“{corrected}”的完成进度有误：主办单位经现场核实已更正当月月报，现予更正，以本公示为准。",
            at=_after(notice.month, 3),
        )
