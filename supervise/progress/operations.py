"""Submitting and correcting monthly reports, giving feedback, creating reminders.

Each function checks, appends, writes the item's event and flushes. Never commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..core.clock import today, utcnow
from ..core.dates import china_date_of, month_of, shift_month
from ..core.errors import DomainError, PermissionDenied, flush_or_refuse
from ..core.permissions import Role
from ..extensions import db
from ..lists import operations as item_operations
from ..lists.models import Item
from ..org.models import Township
from . import answer_notices  # noqa: F401  (registers who hears of a proposer's 不满意)
from .calendar import (
    MonthStatus,
    expected_months,
    feedback_due_on,
    month_status,
    owes_feedback,
    report_due_on,
)
from .models import FeedbackVerdict, MonthlyReport, Notification, ReportFeedback
from .notify import remind_from_sources
from .queries import LOOK_BACK_MONTHS, items_ever_supervised, may_owe_since, owed_in_window, spans_for

if TYPE_CHECKING:
    from ..uploads.models import Attachment

MAX_TEXT = 2000


def owed_months(item: Item, day: date) -> list[date]:
    """The months this item owes (or owed) a report for, up to ``day``'s month."""
    return expected_months(spans_for([item])[item.id], day)


def latest_version(item_id: int, month: date) -> MonthlyReport | None:
    return db.session.execute(
        select(MonthlyReport)
        .where(MonthlyReport.item_id == item_id, MonthlyReport.month == month)
        .order_by(MonthlyReport.version.desc())
        .limit(1)
    ).scalar_one_or_none()


def earlier_report(item_id: int, month: date) -> MonthlyReport | None:
    """The current version of the item's report on the latest month before ``month`` that has one."""
    return db.session.execute(
        select(MonthlyReport)
        .where(MonthlyReport.item_id == item_id, MonthlyReport.month < month)
        .order_by(MonthlyReport.month.desc(), MonthlyReport.version.desc())
        .limit(1)
    ).scalar_one_or_none()


def lower_than_earlier(earlier: MonthlyReport | None, percent: int) -> str | None:
    """Why a report whose percent is below the earlier month's needs a reason, or None: a lower
    percent can be a real correction of last month's, but never a slip that nobody explains."""
    if earlier is None or percent >= earlier.percent:
        return None
    return _(
        "上次月报（%(month)s）的完成进度是 %(earlier)s%%，本次填写的 %(percent)s%% 低于它。"
        "如确需下调，请填写下调理由后再次报送。",
        month=f"{earlier.month.year}-{earlier.month.month:02d}",
        earlier=earlier.percent,
        percent=percent,
    )


def submit_report(
    user: User,
    item: Item,
    month: date,
    *,
    percent: int,
    done: str,
    problems: str = "",
    funds_spent: Decimal | None = None,
    correction_reason: str = "",
    attachments: Iterable[Attachment] = (),
    at: datetime | None = None,
) -> MonthlyReport:
    """The lead office reports on a month; if that month has a report, this is its next version.
    ``correction_reason`` says why it replaces that version, or why its percent is lower than the
    latest earlier month's (both are refused without it).

    ``at`` is when it was submitted: now, unless a paper report is entered afterwards (and the demo)."""
    if not item.is_lead_clerk(user):
        raise PermissionDenied(_("只有事项主办单位的工作人员可以报送月报。"))
    at = at or utcnow()
    day = china_date_of(at)
    month = month_of(month)
    if month not in owed_months(item, day):
        raise DomainError(
            _("%(month)s 不在事项的监督月份内，无需报送月报。", month=f"{month.year}-{month.month:02d}")
        )
    if not 0 <= percent <= 100:
        raise DomainError(_("完成进度须在 0 到 100 之间。"))
    if not done.strip():
        raise DomainError(_("请填写本月完成情况。"))
    previous = latest_version(item.id, month)
    version = previous.version + 1 if previous else 1
    if previous and not correction_reason.strip():
        raise DomainError(_("本月已有月报：更正须说明更正理由。"))
    lower = lower_than_earlier(earlier_report(item.id, month), percent)
    if lower and not correction_reason.strip():
        raise DomainError(lower)
    report = MonthlyReport(
        item_id=item.id,
        township_id=item.township_id,
        month=month,
        version=version,
        percent=percent,
        done=done.strip(),
        problems=problems.strip(),
        funds_spent=funds_spent,
        submitted_by_id=user.id,
        submitted_at=at,
        correction_reason=correction_reason.strip() if previous or lower else "",
    )
    db.session.add(report)
    flush_or_refuse(_("在您提交的同时，其他人已报送了这个月的月报。请刷新页面后再操作。"))
    if attachments:
        from ..uploads.storage import attach

        attach(list(attachments), "monthly_report", report.id)
    label = f"{month.year}-{month.month:02d} · {percent}%" + (f" · v{version}" if version > 1 else "")
    event = item_operations.record_event(
        item,
        user,
        "monthly_report",
        reason=report.correction_reason,
        summary=label,
        month=month.isoformat(),
        version=version,
        percent=percent,
        report_id=report.id,
    )
    event.at = at
    db.session.flush()
    _settle_report_reminders(item)
    return report


def feedback_ended_message(item: Item) -> str:
    """Why an item's reports take no more feedback: its supervision has ended."""
    return _("事项处于“%(state)s”状态，监督已结束，不再接受对月报的反馈。", state=item.state.label)


def give_feedback(
    user: User, report: MonthlyReport, verdict: FeedbackVerdict, comment: str = "", at: datetime | None = None
) -> ReportFeedback:
    """A supervisor confirms the current version of a report, or disputes it with a comment."""
    at = at or utcnow()
    item = report.item
    if not user.supervises(item):
        raise PermissionDenied(_("只有本事项的义务监督员可以对月报作出反馈。"))
    if not report.takes_feedback:
        raise DomainError(feedback_ended_message(item))
    comment = comment.strip()
    if verdict is FeedbackVerdict.dispute and not comment:
        raise DomainError(_("提出异议须填写意见。"))
    if len(comment) > MAX_TEXT:
        raise DomainError(_("意见不能超过 %(n)s 字。", n=MAX_TEXT))
    newest = db.session.execute(
        select(func.max(MonthlyReport.version)).where(
            MonthlyReport.item_id == report.item_id, MonthlyReport.month == report.month
        )
    ).scalar_one()
    if newest != report.version:
        raise DomainError(_("这份月报已有更正版本，请对最新版本作出反馈。"))
    # Given again on the same version, the new verdict replaces the earlier one (verdicts.py).
    replaces = db.session.execute(
        select(ReportFeedback.id)
        .where(ReportFeedback.report_id == report.id, ReportFeedback.deputy_id == user.deputy_id)
        .limit(1)
    ).first()
    feedback = ReportFeedback(
        report_id=report.id,
        deputy_id=user.deputy_id,
        user_id=user.id,
        verdict=verdict,
        comment=comment,
        at=at,
    )
    db.session.add(feedback)
    event = item_operations.record_event(
        item,
        user,
        "report_dispute" if verdict is FeedbackVerdict.dispute else "report_confirm",
        summary=f"{report.month.year}-{report.month.month:02d}"
        + (f" · v{report.version}" if report.version > 1 else ""),
        comment=comment,
        month=report.month.isoformat(),
        version=report.version,
        verdict=verdict.value,
        report_id=report.id,
        replaces_earlier=replaces is not None,
    )
    event.at = at
    db.session.flush()
    _settle_feedback_reminders(item, user.deputy_id)
    return feedback


# ---- reminders (提醒) ---------------------------------------------------------------------------


def _settle(query: Select[Any], is_done: Callable[..., bool]) -> None:
    """Mark the unread reminders ``query`` finds read and done when everything each reminds of is
    done (``is_done(kind, month, version)``): what a reminder asks for is no longer owed, so the
    bell stops counting it. A reminder bundling a month still owed stays unread."""
    now = utcnow()
    for notification in db.session.execute(query.where(Notification.read_at.is_(None))).scalars():
        things = Notification.things_of(
            notification.kind, notification.month, notification.due_on, notification.params
        )
        if all(is_done(kind, month, version) for kind, month, _due, version in things):
            notification.read_at = now
            notification.params = {**notification.params, "done": True}
    db.session.flush()


def _settle_report_reminders(item: Item) -> None:
    """After a report: the item's report reminders whose months all have a report now."""
    reported = set(
        db.session.execute(select(MonthlyReport.month).where(MonthlyReport.item_id == item.id).distinct())
        .scalars()
        .all()
    )
    _settle(
        select(Notification).where(Notification.item_id == item.id, Notification.kind.like("report_%")),
        lambda kind, month, _version: kind.startswith("report_") and month in reported,
    )


def _settle_feedback_reminders(item: Item, deputy_id: int | None) -> None:
    """After a supervisor's feedback: that deputy's feedback reminders about the item whose months
    all have their feedback on the version reminded of (or a newer one)."""
    answered = dict(
        db.session.execute(
            select(MonthlyReport.month, func.max(MonthlyReport.version))
            .join(ReportFeedback, ReportFeedback.report_id == MonthlyReport.id)
            .where(MonthlyReport.item_id == item.id, ReportFeedback.deputy_id == deputy_id)
            .group_by(MonthlyReport.month)
        ).all()
    )
    _settle(
        select(Notification)
        .join(User, User.id == Notification.user_id)
        .where(
            Notification.item_id == item.id,
            Notification.kind.like("feedback_%"),
            User.deputy_id == deputy_id,
        ),
        lambda kind, month, version: kind.startswith("feedback_") and answered.get(month, 0) >= version,
    )


# Offices are reminded of a report from this many days before its due day.
REMIND_DAYS_BEFORE = 5
# While something stays overdue it is reminded again once a week, not every day.
OVERDUE_EVERY_DAYS = 7
# Which of several things about one item a reminder leads with.
_URGENCY = {"report_overdue": 0, "feedback_overdue": 1, "report_due": 2, "feedback_due": 3}


def _wanted_reminders(township: Township, day: date) -> list[dict]:
    """Everything each user of this township owes today (a fixed number of queries); whether it is
    reminded today is decided by the schedule in ``create_reminders``."""
    window_start = shift_month(month_of(day), -LOOK_BACK_MONTHS + 1)
    owed = owed_in_window(
        items_ever_supervised(Item.township_id == township.id, may_owe_since(window_start)), day
    )
    users = db.session.execute(
        select(User).where(
            User.township_id == township.id,
            User.is_active_account.is_(True),
            User.role.in_([Role.government, Role.deputy]),
        )
    ).scalars()
    clerks: dict[int | None, list[User]] = {}
    deputy_users: dict[int, list] = {}
    for user in users:
        if user.role is Role.government and user.office_id is not None:
            clerks.setdefault(user.office_id, []).append(user)
        elif user.deputy_id is not None:
            deputy_users.setdefault(user.deputy_id, []).append(user)
    answered = set()
    current_ids = [summary.current.id for _item, _month, summary in owed if summary is not None]
    if current_ids:
        answered = set(
            db.session.execute(
                select(ReportFeedback.report_id, ReportFeedback.deputy_id).where(
                    ReportFeedback.report_id.in_(current_ids)
                )
            ).all()
        )
    wanted = []
    for item, month, summary in owed:
        if summary is None:
            due_on = report_due_on(month, township.report_due_day)
            status = month_status(True, due_on, None, day)
            if status is MonthStatus.missing:
                kind = "report_overdue"
            elif (due_on - day).days <= REMIND_DAYS_BEFORE:
                kind = "report_due"
            else:
                continue
            for user in (u for office in item.lead_offices for u in clerks.get(office.id, [])):
                wanted.append(dict(user=user, kind=kind, item=item, month=month, due_on=due_on, version=0))
            continue
        report = summary.current
        if not report.takes_feedback:
            continue
        due_on = feedback_due_on(month, china_date_of(report.submitted_at))
        kind = "feedback_overdue" if day > due_on else "feedback_due"
        for assignment in (a for a in item.assignments if a.ended_at is None):
            if (report.id, assignment.deputy_id) in answered or not owes_feedback(
                month, assignment.assigned_at
            ):
                continue
            for user in deputy_users.get(assignment.deputy_id, []):
                wanted.append(
                    dict(
                        user=user,
                        kind=kind,
                        item=item,
                        month=month,
                        due_on=due_on,
                        version=report.version,
                    )
                )
    return wanted


def _reminded(township_id: int, day: date) -> tuple[dict[tuple, date], set[tuple[int, int]]]:
    """When each (user, item, month, kind, version) was last reminded, and which (user, item) pairs
    were reminded today (one query)."""
    since = shift_month(month_of(day), -LOOK_BACK_MONTHS) - timedelta(days=REMIND_DAYS_BEFORE)
    last: dict[tuple, date] = {}
    today_pairs: set[tuple[int, int]] = set()
    rows = db.session.execute(
        select(
            Notification.user_id,
            Notification.item_id,
            Notification.kind,
            Notification.month,
            Notification.params,
            Notification.created_on,
        ).where(
            Notification.township_id == township_id,
            Notification.created_on >= since,
            Notification.created_on <= day,
        )
    )
    for user_id, item_id, kind, month, params, created_on in rows:
        if created_on == day:
            today_pairs.add((user_id, item_id))
        for thing in Notification.things_of(kind, month, None, params or {}):
            key = (user_id, item_id, thing[1], thing[0], thing[3])
            last[key] = max(last.get(key, created_on), created_on)
    return last, today_pairs


def _is_time_to_remind(kind: str, last_on: date | None, day: date) -> bool:
    """Due: once, when it becomes due (or the first run after). Overdue: the first overdue day (or
    the first run after), then once a week while it stays overdue."""
    if last_on is None:
        return True
    return kind.endswith("_overdue") and (day - last_on).days >= OVERDUE_EVERY_DAYS


def create_reminders(day: date | None = None) -> list:
    """Create today's notifications: each user gets at most one a day about one item, covering what
    is time to remind of it (see ``_is_time_to_remind``). A concurrent run's rows are skipped."""
    day = day or today()
    created = []
    townships = db.session.execute(select(Township).where(Township.is_active.is_(True))).scalars().all()
    for township in townships:
        last, reminded_today = _reminded(township.id, day)
        due_now: dict[tuple[int, int], list[dict]] = {}
        for want in _wanted_reminders(township, day):
            pair = (want["user"].id, want["item"].id)
            if pair in reminded_today:
                continue
            key = (*pair, want["month"], want["kind"], want["version"])
            if _is_time_to_remind(want["kind"], last.get(key), day):
                due_now.setdefault(pair, []).append(want)
        for wants in due_now.values():
            wants.sort(key=lambda w: (_URGENCY[w["kind"]], w["month"]))
            lead, others = wants[0], wants[1:]
            notification = Notification(
                user_id=lead["user"].id,
                township_id=township.id,
                kind=lead["kind"],
                item_id=lead["item"].id,
                month=lead["month"],
                due_on=lead["due_on"],
                params={
                    "code": lead["item"].code,
                    "title": lead["item"].title,
                    "version": lead["version"],
                    "others": [
                        [w["kind"], w["month"].isoformat(), w["due_on"].isoformat(), w["version"]]
                        for w in others
                    ],
                },
                created_on=day,
            )
            try:
                # A savepoint per reminder: another `flask remind` running at the same moment may
                # have written this one already; the database's unique key says so, and we skip it.
                with db.session.begin_nested():
                    db.session.add(notification)
                    db.session.flush()
            except IntegrityError:
                continue
            created.append(notification)
    # What the domains above register (an overdue follow-up sheet: progress/notify.py).
    created += remind_from_sources(day)
    db.session.flush()
    return created


def mark_read(user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones, or the given ids); how many changed."""
    query = select(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_ids is not None:
        query = query.where(Notification.id.in_(list(notification_ids)))
    changed = 0
    for notification in db.session.execute(query).scalars():
        notification.read_at = utcnow()
        changed += 1
    db.session.flush()
    return changed
