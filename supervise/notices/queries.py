"""What a notice shows: the month's snapshot before publication, and the published notices' pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache

from flask_babel import force_locale
from sqlalchemy import Connection, bindparam, exists, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from ..core.dates import china_date_of, month_end
from ..core.text import mask_private
from ..extensions import db
from ..lists.grouping import by_category
from ..lists.models import (
    ENDED_STATES,
    IN_NOTICE_STATES,
    PAST_SUPERVISION_STATES,
    Item,
    ItemState,
    SupervisionList,
)
from ..lists.queries import joint_lead_names, supervisor_names
from ..livelihood.vote_models import VoteResult
from ..org.models import Office, Township
from .models import LineSnapshot, NoticeLine, Opinion, OpinionState, PublicNotice
from .text import chinese_numeral

# Notices are official texts: copied, titled and printed in Chinese whatever the reader's language.
OFFICIAL_LOCALE = "zh_Hans_CN"


def shows_in_month(
    changes: list[tuple[date, ItemState]],
    current_state: ItemState,
    created_on: date,
    list_year: int,
    month: date,
    reported: bool = False,
) -> bool:
    """Whether an item belongs on ``month``'s notice, from its state changes (China dates, oldest first).

    It does when it was under supervision (or reported done and awaiting verification) at some time
    in the month, or was reported on for it, or reached a final state during the month from the list
    (completed, verified, closed, carried over, withdrawn: the notice shows how it ended). Never when
    it was already closed, withdrawn or carried over as the month began; an item of an earlier year's
    list only while still open in the month (open as it began, or still open at its end).
    An item without recorded changes (imported) has held its current state since it was made.
    """
    last_day = month_end(month)
    if not changes:
        changes = [(created_on, current_state)]
    at_start: ItemState | None = None
    during: list[ItemState] = []
    for day, state in changes:
        if day < month:
            at_start = state
        elif day <= last_day:
            during.append(state)
    if at_start in ENDED_STATES:
        return False
    states = [at_start, *during]
    if list_year < month.year and at_start not in IN_NOTICE_STATES and states[-1] not in IN_NOTICE_STATES:
        return False
    if reported or any(state in IN_NOTICE_STATES for state in states):
        return True
    return any(
        state in PAST_SUPERVISION_STATES and before not in (None, ItemState.draft)
        for before, state in zip(states, during)
    )


# What a line copies of an item, and what shows_in_month, the spans and the grouping read: bare
# columns (300 items as ORM objects with their lists, offices and supervisors cost a third of the
# preview).
LINE_COLUMNS = (
    Item.id,
    Item.list_id,
    Item.code,
    Item.title,
    Item.state,
    Item.target,
    Item.deadline,
    Item.planned_funds,
    Item.planned_funds_approx,
    Item.planned_funds_about,
    Item.category,
    Item.created_at,
    SupervisionList.year.label("list_year"),
    SupervisionList.kind.label("kind"),
    SupervisionList.categories.label("list_categories"),
    Office.name.label("lead_office_name"),
)


def _month_items(township_id: int, month: date) -> tuple[list, dict, dict]:
    """The township's items on ``month``'s notice (see ``shows_in_month``) as rows of LINE_COLUMNS,
    with their current reports and their state changes (UTC)."""
    from ..progress.models import MonthlyReport
    from ..progress.queries import changed_since, current_reports, state_changes

    # A day early: the events' times are UTC, the month begins at midnight in China.
    since = datetime.combine(month - timedelta(days=1), time())
    candidates = (
        db.session.execute(
            select(*LINE_COLUMNS)
            .join(SupervisionList, SupervisionList.id == Item.list_id)
            .outerjoin(Office, Office.id == Item.lead_office_id)
            .where(
                Item.township_id == township_id,
                Item.state != ItemState.draft,
                SupervisionList.year <= month.year,
                or_(
                    # An item in no open state that has not changed since the month began stayed so.
                    Item.state.in_(list(IN_NOTICE_STATES)),
                    # EXISTS per item of the township (indexed), never every township's events.
                    changed_since(since),
                    exists().where(
                        MonthlyReport.item_id == Item.id, MonthlyReport.month == month, Item.id.isnot(None)
                    ),
                ),
            )
            .order_by(Item.code)
        )
    ).all()
    ids = [item.id for item in candidates]
    changes = state_changes(ids)
    reports = current_reports(ids, month)
    chosen = [
        item
        for item in candidates
        if shows_in_month(
            [(china_date_of(at), state) for at, state in changes[item.id]],
            item.state,
            china_date_of(item.created_at),
            item.list_year,
            month,
            reported=item.id in reports,
        )
    ]
    return chosen, reports, changes


def grouped(items: list) -> list:
    """``items`` (in code order) with each list's items together and, within a list, grouped by
    category exactly as the list page groups them (lists.grouping.by_category): the list's
    categories in its order, then others, uncategorised last; code order inside each group."""
    by_list: dict[int, list] = {}
    for item in items:
        by_list.setdefault(item.list_id, []).append(item)
    return [
        item
        for members in by_list.values()
        for _category, group in by_category(members, members[0].list_categories or [])
        for item in group
    ]


def status_start(list_year: int, spans: list) -> date:
    """Where an item's time share starts (progress.status): its list year's first day, or the day it
    came under supervision when that is later."""
    start = date(list_year, 1, 1)
    return max([start, *(span.start for span in spans[:1])])


def listed_not_in_notice(township_id: int, month: date) -> int:
    """Items of the month's year on a confirmed list but not yet under supervision (no supervisors
    assigned): not on the notice, which the preview says so that a new list is not looked for."""
    return db.session.execute(
        select(func.count(Item.id))
        .join(SupervisionList, SupervisionList.id == Item.list_id)
        .where(
            Item.township_id == township_id,
            Item.state == ItemState.listed,
            SupervisionList.year == month.year,
        )
    ).scalar_one()


def snapshot_lines(township_id: int, month: date) -> list[LineSnapshot]:
    """The notice's lines as they would be published now: unsaved copies of live data.

    Labels are copied in Chinese whatever the presidium's language: the notice is an official text.
    Phone and ID numbers in the copied texts are masked: the notice is public. Lines come grouped
    by list and category (``grouped``); each carries its progress status (progress.status), judged
    on the latest percent reported by the month against the time share at the month's end.
    """
    from ..progress.calendar import expected_months
    from ..progress.queries import spans_of
    from ..progress.status import latest_progress, progress_status

    items, reports, changes = _month_items(township_id, month)
    items = grouped(items)
    # The one rule of which months an item owes a report (progress): a completed, verified or
    # carried-over item without a report is not "missing", and the notice must not say so.
    due_day = db.session.get_one(Township, township_id).report_due_day
    spans = spans_of([(i.id, i.state, i.created_at, due_day, i.list_year) for i in items], changes)
    ids = [item.id for item in items]
    supervisors, joint = supervisor_names(ids), joint_lead_names(ids)
    latest = latest_progress(ids, month)
    month_last_day = month_end(month)
    lines = []
    with force_locale(OFFICIAL_LOCALE):
        # Each label translated once, not once a line: a lookup costs as much as the rest of a line.
        labels: dict[object, str] = {}

        def label(value) -> str:
            if value not in labels:
                labels[value] = value.label
            return labels[value]

        for position, item in enumerate(items, start=1):
            report = reports.get(item.id)
            latest_percent, invested = latest.get(item.id, (None, None))
            status, expected = progress_status(
                latest_percent, status_start(item.list_year, spans[item.id]), month_last_day, item.deadline
            )
            lines.append(
                LineSnapshot(
                    position=position,
                    item_id=item.id,
                    item_code=item.code,
                    title=mask_private(item.title),
                    kind_label=label(item.kind),
                    state_label=label(item.state),
                    lead_office_name=item.lead_office_name or "",
                    joint_lead_names="、".join(joint[item.id])[:200],
                    category=item.category,
                    supervisor_names="、".join(deputy.name for deputy in supervisors[item.id]),
                    target=mask_private(item.target),
                    deadline=item.deadline,
                    planned_funds=item.planned_funds,
                    planned_funds_approx=item.planned_funds_approx,
                    planned_funds_about=item.planned_funds_about,
                    reported=report is not None,
                    owed_report=month in expected_months(spans[item.id], month),
                    percent=report.percent if report else None,
                    progress=mask_private(report.done) if report else "",
                    problems=mask_private(report.problems) if report else "",
                    funds_spent=report.funds_spent if report else None,
                    funds_invested=invested,
                    latest_percent=latest_percent,
                    expected_percent=expected,
                    progress_status=status,
                )
            )
    return lines


@dataclass
class StatusCounts:
    """A notice's lines counted by progress status, with the lines behind (named on the notice)."""

    ahead: int = 0
    on_schedule: int = 0
    behind: int = 0
    not_judged: int = 0
    behind_lines: list[NoticeLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.ahead + self.on_schedule + self.behind + self.not_judged


def status_counts(lines: list[NoticeLine]) -> StatusCounts:
    from ..progress.status import ProgressStatus

    counts = StatusCounts()
    for line in lines:
        if line.progress_status is ProgressStatus.ahead:
            counts.ahead += 1
        elif line.progress_status is ProgressStatus.on_schedule:
            counts.on_schedule += 1
        elif line.progress_status is ProgressStatus.behind:
            counts.behind += 1
            counts.behind_lines.append(line)
        else:
            counts.not_judged += 1
    return counts


def line_groups(lines: list[NoticeLine]) -> list[tuple[str, list[tuple[str, list[NoticeLine]]]]]:
    """The lines (in position order) as the notice heads them: [(list kind label, [(category,
    lines)])], consecutive lines together. A kind whose lines have no category has one group "";
    lines without a category beside categorised ones are one group "" too (printed 其他)."""
    kinds: list[tuple[str, list[tuple[str, list[NoticeLine]]]]] = []
    for line in lines:
        if not kinds or kinds[-1][0] != line.kind_label:
            kinds.append((line.kind_label, []))
        categories = kinds[-1][1]
        if not categories or categories[-1][0] != line.category:
            categories.append((line.category, []))
        categories[-1][1].append(line)
    return kinds


def lines_context(lines: list[NoticeLine], tolerance: int | None) -> dict:
    """What the notice's pages and its PDF show around the lines: the groups, the status counts and
    the rule they were judged by (none for notices published before lines were judged)."""
    from ..progress.status import rule_text

    return {
        "groups": line_groups(lines),
        "numeral": chinese_numeral,
        "counts": status_counts(lines),
        "status_rule": rule_text(tolerance) if tolerance is not None else "",
    }


def notices_of(township_id: int) -> list[PublicNotice]:
    """A township's published notices, newest month first, each month's correction before what it corrects."""
    return list(
        db.session.execute(
            select(PublicNotice)
            .where(PublicNotice.township_id == township_id)
            .options(joinedload(PublicNotice.corrected_by))
            .order_by(PublicNotice.month.desc(), PublicNotice.published_at.desc(), PublicNotice.id.desc())
        )
        .unique()
        .scalars()
    )


def line_counts(notice_ids: list[int]) -> dict[int, int]:
    if not notice_ids:
        return {}
    rows = db.session.execute(
        select(NoticeLine.notice_id, func.count())
        .where(NoticeLine.notice_id.in_(notice_ids))
        .group_by(NoticeLine.notice_id)
    )
    return dict(rows.all())


def latest_notice(township_id: int, month: date) -> PublicNotice | None:
    """The month's notice nobody has corrected yet (the one a new correction would correct)."""
    # NOT EXISTS per notice of the month, never NOT IN every township's corrections.
    correction = aliased(PublicNotice)
    corrected = exists().where(correction.corrects_id == PublicNotice.id)
    return db.session.execute(
        select(PublicNotice)
        .where(PublicNotice.township_id == township_id, PublicNotice.month == month, ~corrected)
        .order_by(PublicNotice.id.desc())
        .limit(1)
    ).scalar_one_or_none()


# ---- the public side ----------------------------------------------------------------------------


def public_townships() -> list[tuple[Township, int, date]]:
    """Active townships with at least one published notice: (township, notices, latest month)."""
    rows = db.session.execute(
        select(Township, func.count(PublicNotice.id), func.max(PublicNotice.month))
        .join(PublicNotice, PublicNotice.township_id == Township.id)
        .where(Township.is_active)
        .group_by(Township.id)
        .order_by(Township.name)
    )
    return [(township, count, latest) for township, count, latest in rows]


def public_notice(slug: str, notice_id: int) -> PublicNotice | None:
    """A published notice of the active township ``slug`` (with its township and correction), else None."""
    return db.session.execute(
        select(PublicNotice)
        .join(Township, Township.id == PublicNotice.township_id)
        .where(PublicNotice.id == notice_id, Township.slug == slug, Township.is_active)
        .options(
            joinedload(PublicNotice.township),
            joinedload(PublicNotice.corrected_by),
            joinedload(PublicNotice.corrects),
        )
    ).scalar_one_or_none()


@cache
def _notice_version_statement():
    # Built once: constructing the aliased subqueries costs more than running them.
    correction = aliased(PublicNotice)
    moderated = (Opinion.notice_id == PublicNotice.id, Opinion.state != OpinionState.pending)
    return (
        select(
            Township.name,
            select(correction.id).where(correction.corrects_id == PublicNotice.id).scalar_subquery(),
            select(func.count(Opinion.id)).where(*moderated).scalar_subquery(),
            select(func.max(Opinion.changed_at)).where(*moderated).scalar_subquery(),
        )
        .select_from(PublicNotice)
        .join(Township, Township.id == PublicNotice.township_id)
        .where(
            PublicNotice.id == bindparam("notice_id"), Township.slug == bindparam("slug"), Township.is_active
        )
    )


def notice_version(slug: str, notice_id: int, connection: Connection | None = None) -> tuple | None:
    """One light statement for the public notice page's validator: None if the address shows nothing,
    else (township name, id of its correction, public opinions, newest moderation). On ``connection``
    when the caller holds one of its own (the API's kept answers), else the session's."""
    # On the connection: a Core statement needs none of the ORM's per-execution work, and this one runs
    # on every visit to a public page.
    connection = connection or db.session.connection()
    row = connection.execute(_notice_version_statement(), {"notice_id": notice_id, "slug": slug}).first()
    return None if row is None else tuple(row)


@cache
def _board_version_statement():
    vote = select(func.max(VoteResult.id)).where(VoteResult.township_id == Township.id).scalar_subquery()
    return (
        select(Township.id, Township.name, func.count(PublicNotice.id), func.max(PublicNotice.id), vote)
        .add_columns(func.min(PublicNotice.month), func.max(PublicNotice.month))
        .join(PublicNotice, PublicNotice.township_id == Township.id)
        .where(Township.slug == bindparam("slug"), Township.is_active)
        .group_by(Township.id, Township.name)
    )


def board_version(slug: str) -> tuple | None:
    """The board's validator, one statement (with the newest published vote result, which it links)."""
    row = db.session.connection().execute(_board_version_statement(), {"slug": slug}).first()
    return None if row is None else tuple(row)


def approved_opinions(notice_id: int) -> dict[int, list[Opinion]]:
    """The notice's public opinions by line, oldest first."""
    found: dict[int, list[Opinion]] = {}
    rows = db.session.execute(
        select(Opinion)
        .where(Opinion.notice_id == notice_id, Opinion.state == OpinionState.approved)
        .order_by(Opinion.submitted_at, Opinion.id)
    ).scalars()
    for opinion in rows:
        found.setdefault(opinion.line_id, []).append(opinion)
    return found


def notice_lines(notice_id: int) -> list[NoticeLine]:
    return list(
        db.session.execute(
            select(NoticeLine).where(NoticeLine.notice_id == notice_id).order_by(NoticeLine.position)
        ).scalars()
    )
