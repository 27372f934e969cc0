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


# The demo lists' items by category (分类) as a township would sort them: the first keyword found wins.
CATEGORY_KEYWORDS = (
    ("交通", ("道路", "产业路", "公路", "桥梁", "班车")),
    ("生态环保", ("污水", "河堤", "人居环境", "垃圾")),
    ("教育", ("学校", "小学", "幼儿园")),
    ("民生保障", ("饮水", "养老", "卫生", "路灯", "医疗", "适老")),
    ("产业发展", ("市场", "产业", "农业")),
)
OTHER_CATEGORY = "其他"


def category_of(title: str) -> str:
    for category, words in CATEGORY_KEYWORDS:
        if any(word in title for word in words):
            return category
    return OTHER_CATEGORY


def dress_for_notices(township) -> None:
    """What real notices print beyond the lines, for the demo: the township's objection period and
    contact, categories on lists that have none (in the township's usual order), one joint lead and
    one approximate amount. Lists that already have categories (an imported one) are left as they are."""
    from ..lists.models import SupervisionList
    from ..org.models import Office

    township.notice_objection_days = township.notice_objection_days or 7
    if not township.contact_person:
        township.contact_person = "王晓燕（镇人大办）"
        township.contact_phone = "0915-6821234"
        township.contact_address = f"{township.name}人民政府二楼人大主席团办公室"
    lists = db.session.execute(
        select(SupervisionList).where(SupervisionList.township_id == township.id)
    ).scalars()
    order = [category for category, _words in CATEGORY_KEYWORDS] + [OTHER_CATEGORY]
    for supervision_list in lists:
        if supervision_list.categories or not supervision_list.items:
            continue
        for item in supervision_list.items:
            item.category = item.category or category_of(item.title)
        used = {item.category for item in supervision_list.items}
        supervision_list.categories = [c for c in order if c in used] + sorted(used - set(order))
    items = {
        item.title: item
        for item in db.session.execute(select(Item).where(Item.township_id == township.id)).scalars()
    }
    works = items.get("集镇污水处理站提标改造")
    if works is not None and works.planned_funds is not None:
        works.planned_funds_approx = True  # 320余万元, as the list wrote it
    tidy = items.get("农村人居环境整治")
    if tidy is not None and not tidy.joint_lead_offices:
        other = (
            db.session.execute(
                select(Office)
                .where(Office.township_id == township.id, Office.is_active, Office.id != tidy.lead_office_id)
                .order_by(Office.id)
            )
            .scalars()
            .first()
        )
        if other is not None:
            tidy.joint_lead_offices = [other]
    db.session.flush()


def seed_notices(calendar: DemoCalendar, township, chair) -> None:
    dress_for_notices(township)
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
