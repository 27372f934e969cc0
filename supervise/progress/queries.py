"""Reading the monthly cycle: current reports, what each office and deputy owes (the grid: grid.py).

Every function runs a fixed number of statements whatever the number of items (no N+1).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..core.database import in_ids
from ..core.dates import china_date_of, month_of, shift_month
from ..extensions import db
from ..lists.models import (
    UNDER_SUPERVISION_STATES,
    Item,
    ItemEvent,
    ItemState,
    SupervisionList,
    SupervisorAssignment,
)
from ..lists.queries import led_by_office_condition
from ..org.models import Township
from .calendar import (
    MonthStatus,
    Span,
    expected_months,
    feedback_due_on,
    month_status,
    owes_feedback,
    report_due_on,
    supervision_spans,
)
from .models import FeedbackVerdict, MonthlyReport, ReportFeedback
from .verdicts import current_verdict_condition

# How far back the due pages and reminders look for months still owed.
LOOK_BACK_MONTHS = 12


def current_reports(item_ids, month: date) -> dict[int, MonthlyReport]:
    """The newest version of each item's report for ``month`` (one query)."""
    ids = list(item_ids)
    if not ids:
        return {}
    latest = (
        select(MonthlyReport.item_id, func.max(MonthlyReport.version).label("version"))
        .where(in_ids(MonthlyReport.item_id, ids), MonthlyReport.month == month)
        .group_by(MonthlyReport.item_id)
        .subquery()
    )
    rows = db.session.execute(
        select(MonthlyReport)
        .join(
            latest,
            and_(MonthlyReport.item_id == latest.c.item_id, MonthlyReport.version == latest.c.version),
        )
        .where(MonthlyReport.month == month)
    ).scalars()
    return {report.item_id: report for report in rows}


def spans_for(
    items: list[Item], changes: dict[int, list[tuple[datetime, ItemState]]] | None = None
) -> dict[int, list[Span]]:
    """Each item's supervision spans, from its events (one query; none when its ``state_changes``
    are given).

    Every page, reminder and check that asks which months an item owes a report comes through here
    (or ``spans_of``), so they all apply one rule: ``calendar.supervision_spans`` with the list's year."""
    return spans_of(
        [(i.id, i.state, i.created_at, i.township.report_due_day, i.supervision_list.year) for i in items],
        changes,
    )


def state_changes(item_ids: list[int]) -> dict[int, list[tuple[datetime, ItemState]]]:
    """Each item's state changes as (UTC time, new state), oldest first (one query)."""
    changes: dict[int, list[tuple[datetime, ItemState]]] = {item_id: [] for item_id in item_ids}
    if item_ids:
        rows = db.session.execute(
            select(ItemEvent.item_id, ItemEvent.at, ItemEvent.to_state)
            .where(in_ids(ItemEvent.item_id, item_ids), ItemEvent.to_state.isnot(None))
            .order_by(ItemEvent.item_id, ItemEvent.id)
        )
        for item_id, at, to_state in rows:
            changes[item_id].append((at, to_state))
    return changes


def spans_of(
    items: list[tuple[int, object, datetime, int, int]],
    changes: dict[int, list[tuple[datetime, ItemState]]] | None = None,
) -> dict[int, list[Span]]:
    """Spans of (item id, state, created at, township's due day, list year) tuples, from their
    events (one query; none when their ``state_changes`` are given)."""
    if changes is None:
        changes = state_changes([i[0] for i in items])
    return {
        item_id: supervision_spans(changes[item_id], state, created_at, due_day, list_year)
        for item_id, state, created_at, due_day, list_year in items
    }


def ever_supervised():
    """A condition on Item: it has been under supervision at some time.

    EXISTS, correlated on the item: an index probe on item_event(item_id, to_state) per item of the
    township, never a read of every township's events."""
    entered = exists().where(
        ItemEvent.item_id == Item.id, ItemEvent.to_state.in_(list(UNDER_SUPERVISION_STATES))
    )
    return or_(Item.state.in_(list(UNDER_SUPERVISION_STATES)), entered)


def changed_since(since: datetime):
    """A condition on Item: it has an event at or after ``since`` (UTC).

    ``Item.id IS NOT NULL`` (always true) is a second reference to the item inside the EXISTS: without
    it PostgreSQL may run the EXISTS as a hashed subplan that reads every township's events since
    that time (90,000 rows at 100 townships' scale) instead of probing each item's own."""
    return exists().where(ItemEvent.item_id == Item.id, ItemEvent.at >= since, Item.id.isnot(None))


def may_owe_since(first: date):
    """A condition on Item joined to its SupervisionList: it may owe (or have) a report for a month
    from ``first`` on. Leaves out the past years' items that left supervision before ``first``: an
    item owes a month only while under supervision, and leaving is an event.

    Of a list of ``first``'s year or later, under supervision now, changed since ``first`` (a day early:
    events are UTC), or reported on for a month since ``first``."""
    since = datetime.combine(first - timedelta(days=1), time())
    return or_(
        SupervisionList.year >= first.year,
        Item.state.in_(list(UNDER_SUPERVISION_STATES)),
        changed_since(since),
        # Item.id IS NOT NULL: probed per item, never hashed over every township (see changed_since).
        exists().where(MonthlyReport.item_id == Item.id, MonthlyReport.month >= first, Item.id.isnot(None)),
    )


def items_ever_supervised(*conditions) -> list[Item]:
    query = (
        select(Item)
        .join(SupervisionList, SupervisionList.id == Item.list_id)
        .where(ever_supervised(), *conditions)
        .options(
            joinedload(Item.supervision_list),
            joinedload(Item.lead_office),
            selectinload(Item.joint_lead_offices),  # who reports: Item.is_lead_clerk
            joinedload(Item.township),
            selectinload(Item.assignments).joinedload(SupervisorAssignment.deputy),
        )
        .order_by(SupervisionList.year, SupervisionList.kind, Item.number)
    )
    return list(db.session.execute(query).unique().scalars())


@dataclass
class ReportSummary:
    """What the grid and the due pages need of one (item, month): first and current version."""

    first_submitted_on: date
    current: MonthlyReport


def report_summaries(item_ids: list[int], first: date, last: date) -> dict[tuple[int, date], ReportSummary]:
    """Every report of these items in [first, last] months, folded to first date + current version."""
    found: dict[tuple[int, date], ReportSummary] = {}
    if not item_ids:
        return found
    rows = db.session.execute(
        select(MonthlyReport)
        .where(in_ids(MonthlyReport.item_id, item_ids), MonthlyReport.month.between(first, last))
        .order_by(MonthlyReport.item_id, MonthlyReport.month, MonthlyReport.version)
    ).scalars()
    for report in rows:
        key = (report.item_id, report.month)
        if key not in found:
            found[key] = ReportSummary(china_date_of(report.submitted_at), report)
        else:
            found[key].current = report
    return found


@dataclass
class Due:
    """One report an office owes, or one report a supervisor owes feedback on."""

    item: Item
    month: date
    due_on: date
    status: MonthStatus
    report: MonthlyReport | None = None
    # The supervisor's current verdict on the report (verdicts.py): one row at most.
    own_feedback: list[ReportFeedback] = field(default_factory=list)

    @property
    def is_overdue(self) -> bool:
        return self.status is MonthStatus.missing

    def feedback_overdue(self, today: date) -> bool:
        return today > self.due_on


def _window(today: date) -> tuple[date, date]:
    this_month = month_of(today)
    return shift_month(this_month, -LOOK_BACK_MONTHS + 1), this_month


def owed_in_window(items: list[Item], today: date) -> list[tuple[Item, date, ReportSummary | None]]:
    """Each month of the look-back window that one of these items owes a report for, with that
    month's reports (None while none is submitted), item by item, oldest month first."""
    first, this_month = _window(today)
    spans = spans_for(items)
    summaries = report_summaries([i.id for i in items], first, this_month)
    return [
        (item, month, summaries.get((item.id, month)))
        for item in items
        for month in expected_months(spans[item.id], today)
        if month >= first
    ]


def office_dues(township: Township, office_id: int, today: date) -> tuple[list[Due], list[Due]]:
    """An office's items this month (each with its status) and earlier months still missing."""
    this_month = month_of(today)
    items = items_ever_supervised(
        Item.township_id == township.id, led_by_office_condition(office_id), may_owe_since(_window(today)[0])
    )
    current, earlier = [], []
    for item, month, summary in owed_in_window(items, today):
        due_on = report_due_on(month, township.report_due_day)
        status = month_status(True, due_on, summary.first_submitted_on if summary else None, today)
        due = Due(item, month, due_on, status, summary.current if summary else None)
        if month == this_month:
            current.append(due)
        elif status is MonthStatus.missing:
            earlier.append(due)
    earlier.sort(key=lambda d: (d.month, d.item.code))
    return current, earlier


def unreported_items(township: Township, month: date, today: date) -> list[Item]:
    """The township's items that owe a report for ``month`` (as of ``today``) and have none yet,
    by lead office and code (four queries): what a notice of that month would show as not reported."""
    items = items_ever_supervised(Item.township_id == township.id, may_owe_since(month))
    spans = spans_for(items)
    reported = set(
        db.session.execute(
            select(MonthlyReport.item_id).where(
                MonthlyReport.township_id == township.id, MonthlyReport.month == month
            )
        ).scalars()
    )
    owing = [i for i in items if i.id not in reported and month in expected_months(spans[i.id], today)]
    return sorted(owing, key=lambda i: (i.lead_office.name if i.lead_office else "", i.code))


def deputy_dues(deputy_id: int, township: Township, today: date) -> tuple[list[Due], list[Due]]:
    """Reports of the deputy's items that wait for their feedback, and this month's still unreported."""
    this_month = month_of(today)
    assigned = dict(
        db.session.execute(
            select(SupervisorAssignment.item_id, SupervisorAssignment.assigned_at).where(
                SupervisorAssignment.deputy_id == deputy_id, SupervisorAssignment.ended_at.is_(None)
            )
        ).all()
    )
    items = items_ever_supervised(
        Item.township_id == township.id, may_owe_since(_window(today)[0]), Item.id.in_(list(assigned))
    )
    owed = owed_in_window(items, today)
    reports = [summary.current for _item, _month, summary in owed if summary is not None]
    own: dict[int, list[ReportFeedback]] = defaultdict(list)
    if reports:
        for feedback in db.session.execute(
            select(ReportFeedback)
            .where(
                ReportFeedback.report_id.in_([r.id for r in reports]),
                ReportFeedback.deputy_id == deputy_id,
                current_verdict_condition(),
            )
            .order_by(ReportFeedback.id)
        ).scalars():
            own[feedback.report_id].append(feedback)
    waiting, unreported = [], []
    for item, month, summary in owed:
        if summary is None:
            if month == this_month:
                due_on = report_due_on(month, township.report_due_day)
                unreported.append(Due(item, month, due_on, month_status(True, due_on, None, today)))
            continue
        report = summary.current
        if not report.takes_feedback and not own.get(report.id):
            continue  # its supervision has ended: nothing waits for this supervisor any more
        if not owes_feedback(month, assigned[item.id]) and not own.get(report.id):
            continue  # a month before this supervisor's time
        due_on = feedback_due_on(month, china_date_of(report.submitted_at))
        status = month_status(
            True, report_due_on(month, township.report_due_day), summary.first_submitted_on, today
        )
        waiting.append(Due(item, month, due_on, status, report, own.get(report.id, [])))
    waiting.sort(key=lambda d: (bool(d.own_feedback), d.month, d.item.code))
    return waiting, unreported


def item_history(item: Item) -> dict[date, list[MonthlyReport]]:
    """All versions of all the item's reports, newest month first, versions newest first (2 queries)."""
    reports = db.session.execute(
        select(MonthlyReport)
        .where(MonthlyReport.item_id == item.id)
        .options(
            selectinload(MonthlyReport.feedback).joinedload(ReportFeedback.deputy),
            joinedload(MonthlyReport.submitted_by),
        )
        .order_by(MonthlyReport.month.desc(), MonthlyReport.version.desc())
    ).scalars()
    history: dict[date, list[MonthlyReport]] = {}
    for report in reports.unique():
        history.setdefault(report.month, []).append(report)
    return history


# ---- escalation reasons from the monthly cycle ------------------------------------------------------


# The no-progress rule looks at the two latest months and the reported percent before them.
STALL_LOOK_BACK_MONTHS = 4


def progress_flags(item_condition, today: date, report_condition=None) -> tuple[set[int], set[int]]:
    """Items (matching ``item_condition``) with a recent month still disputed, and items under
    supervision with two months running without progress. Four queries, however many items.

    A month stays disputed until every supervisor whose latest verdict on it is a dispute has
    confirmed a newer version: a correction alone does not settle it.

    ``report_condition`` (on MonthlyReport, e.g. its township) lets the reports be found by their
    township and month index instead of every township's reports of those months."""
    this_month = month_of(today)
    first = shift_month(this_month, -STALL_LOOK_BACK_MONTHS)
    recent = (
        select(MonthlyReport.id)
        .join(Item, Item.id == MonthlyReport.item_id)
        .where(item_condition, MonthlyReport.month.between(first, this_month))
        .where(*([] if report_condition is None else [report_condition]))
    )
    # Bare columns on the connection: thousands of a county's rows need none of the ORM's work.
    order = (MonthlyReport.item_id, MonthlyReport.month, MonthlyReport.version)
    columns = (MonthlyReport.item_id, MonthlyReport.month, MonthlyReport.percent)
    reports = db.session.connection().execute(recent.add_columns(*columns).order_by(*order)).all()
    # The newest verdict of each supervisor on each (item, month), whichever version it was on; the
    # reports found again in SQL (a semi-join), not sent back as thousands of ids.
    verdicts: dict[tuple[int, date, int], FeedbackVerdict] = {}
    for item_id, month, deputy_id, verdict in db.session.execute(
        select(MonthlyReport.item_id, MonthlyReport.month, ReportFeedback.deputy_id, ReportFeedback.verdict)
        .join(MonthlyReport, MonthlyReport.id == ReportFeedback.report_id)
        .where(ReportFeedback.report_id.in_(recent))
        .order_by(ReportFeedback.id)
    ):
        verdicts[(item_id, month, deputy_id)] = verdict
    disputed = {item_id for (item_id, _m, _d), v in verdicts.items() if v is FeedbackVerdict.dispute}

    # Ordered by version: the newest version's percent is the one kept.
    percents: dict[int, dict[date, int]] = defaultdict(dict)
    for _id, item_id, month, percent in reports:
        percents[item_id][month] = percent
    active = (
        db.session.connection()
        .execute(
            select(Item.id, Item.state, Item.created_at, Township.report_due_day, SupervisionList.year)
            .join(Township, Township.id == Item.township_id)
            .join(SupervisionList, SupervisionList.id == Item.list_id)
            .where(item_condition, Item.state.in_(list(UNDER_SUPERVISION_STATES)))
        )
        .all()
    )
    stalled = set()
    for item_id, spans in spans_of([tuple(row) for row in active]).items():
        reported = percents.get(item_id, {})
        due_day = spans[0].due_day if spans else 31
        # Months that count since ``first``: reported ones (all since then), and owed ones whose due
        # day has passed (missing).
        owed = expected_months(spans, today)
        settled = sorted(
            {m for m in owed if m >= first and report_due_on(m, due_day) < today} | set(reported)
        )
        if settled and settled[-1] >= shift_month(this_month, -1):
            if _two_months_without_progress(settled, reported):
                stalled.add(item_id)
    return disputed, stalled


def _two_months_without_progress(settled: list[date], percents: dict[date, int]) -> bool:
    """The two latest ``settled`` months (reported, or owed and past their due day; oldest first) are
    consecutive and neither moved on: a month is standing still when its report is missing, or when
    its percent (not yet 100) is no higher than the last reported percent before it."""
    if len(settled) < 2:
        return False
    b, c = settled[-2:]
    if shift_month(b, 1) != c:
        return False

    def stood_still(month: date) -> bool:
        if month not in percents:
            return True
        before = [percents[m] for m in settled if m < month and m in percents]
        return bool(before) and percents[month] < 100 and percents[month] <= before[-1]

    return stood_still(b) and stood_still(c)
