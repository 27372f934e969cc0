"""A township's offices (站所) side by side, for its presidium: items led, completion, reports on
time, sheets overdue, the office's ratings at the year's evaluation meetings, a ranking with the
bottom offices named and the "N of M 满意" line, and the offices rated 不满意 that were not
re-rated satisfactory by their rectification deadline (escalation candidates for 询问/质询).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from flask_babel import force_locale
from sqlalchemy import and_, case, func, select

from ..core.dates import add_months_clamped
from ..evaluation.models import RatedLine
from ..evaluation.published_models import PublishedResult, PublishedResultLine
from ..extensions import db
from ..lists.models import Item, ItemState, Rating, SupervisionList, item_joint_lead_office
from ..lists.queries import in_year_condition, overdue_condition
from ..org.models import Office, Township
from ..sheets.models import AWAITING_ANSWER_STATES, FollowUpSheet
from .figures import COMPLETED_STATES, UNCOUNTED_STATES
from .reporting import ReportCounts, item_month_statuses, tally

# An office rated 不满意 is re-rated within this many months (as a dissatisfied item is).
RECTIFICATION_MONTHS = 3
# The ranking names its bottom offices (排名靠后) only among this many rated offices or more: its
# last third, those ranked below every other (an office tied with one above the cut is not named).
BOTTOM_FROM = 3
GRADE_ORDER = {Rating.satisfied: 0, Rating.basically_satisfied: 1, Rating.dissatisfied: 2}


@dataclass
class OfficeRating:
    held_on: date
    grade: Rating | None
    good: int  # 满意 + 基本满意
    valid: int

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.good, self.valid) if self.valid else None


@dataclass
class OfficeRow:
    office: Office
    items: Counter = field(default_factory=Counter)
    reports: ReportCounts = field(default_factory=ReportCounts)
    sheets_overdue: int = 0
    rating: OfficeRating | None = None  # the newest of the year
    rank: int | None = None
    rectify_by: date | None = None  # 整改期限, after a 不满意
    rectified: bool = False
    escalate: bool = False

    @property
    def completion(self) -> Fraction | None:
        counted = self.items["all"] - sum(self.items[s] for s in UNCOUNTED_STATES)
        return Fraction(sum(self.items[s] for s in COMPLETED_STATES), counted) if counted > 0 else None


def grade_of(text: str) -> Rating | None:
    """The grade a published line prints (in the language it was published in)."""
    for rating in Rating:
        for locale in ("zh_Hans_CN", "en"):
            with force_locale(locale):
                if text == rating.label:
                    return rating
    return None


def office_rows(township: Township, year: int, day: date) -> list[OfficeRow]:
    """The township's active offices for ``year``, ranked (see ``rank_rows``)."""
    offices = db.session.execute(
        select(Office).where(Office.township_id == township.id, Office.is_active).order_by(Office.name)
    ).scalars()
    rows = {office.id: OfficeRow(office) for office in offices}
    for office_id, state, count, overdue in _led_items(township.id, year, day):
        if office_id in rows:
            rows[office_id].items.update({"all": count, state: count, "overdue": overdue or 0})
    for _township_id, _item_id, office_id, statuses in item_month_statuses([township], year, day):
        if office_id in rows:
            tally(rows[office_id].reports, statuses)
    for office_id, count in db.session.execute(
        select(FollowUpSheet.lead_office_id, func.count(FollowUpSheet.id))
        .where(
            FollowUpSheet.township_id == township.id,
            FollowUpSheet.year == year,
            FollowUpSheet.state.in_(list(AWAITING_ANSWER_STATES)),
            FollowUpSheet.deadline < day,
        )
        .group_by(FollowUpSheet.lead_office_id)
    ):
        if office_id in rows:
            rows[office_id].sheets_overdue = count
    _add_ratings(rows, township.id, year, day)
    return rank_rows(list(rows.values()))


def _led_items(township_id: int, year: int, day: date):
    """(office, state, count, overdue) of the year's items each office leads, as lead office or as a
    joint lead (联合牵头): two GROUP BY statements."""
    overdue = func.sum(case((overdue_condition(day), 1), else_=0))
    # Drafts aside: not on the list yet (figures.py counts the same).
    of_year = (Item.township_id == township_id, in_year_condition(year), Item.state != ItemState.draft)
    yield from db.session.execute(
        select(Item.lead_office_id, Item.state, func.count(Item.id), overdue)
        .join(SupervisionList, SupervisionList.id == Item.list_id)
        .where(*of_year, Item.lead_office_id.isnot(None))
        .group_by(Item.lead_office_id, Item.state)
    )
    link = item_joint_lead_office.c
    yield from db.session.execute(
        select(link.office_id, Item.state, func.count(Item.id), overdue)
        .join(Item, Item.id == link.item_id)
        .join(SupervisionList, SupervisionList.id == Item.list_id)
        .where(*of_year, func.coalesce(Item.lead_office_id, 0) != link.office_id)
        .group_by(link.office_id, Item.state)
    )


def _add_ratings(rows: dict[int, OfficeRow], township_id: int, year: int, day: date) -> None:
    """Each office's newest published rating of ``year``, and whether a 不满意 was made good by its
    rectification deadline (a later published 满意 or 基本满意): one statement over every year."""
    line = PublishedResultLine
    found = db.session.execute(
        select(RatedLine.office_id, PublishedResult.held_on, line.grade, line.satisfied_or_basic, line.valid)
        .join(line, line.result_id == PublishedResult.id)
        .join(
            RatedLine,
            and_(RatedLine.meeting_id == PublishedResult.meeting_id, RatedLine.position == line.position),
        )
        .where(PublishedResult.township_id == township_id, line.is_office, RatedLine.office_id.isnot(None))
        .order_by(PublishedResult.held_on, PublishedResult.id)
    ).all()
    for office_id, held_on, grade_text, good, valid in found:
        row = rows.get(office_id)
        if row is None:
            continue
        rating = OfficeRating(held_on, grade_of(grade_text), good, valid)
        if held_on.year == year:
            row.rating = rating
        if row.rectify_by is not None and not row.rectified and held_on <= row.rectify_by:
            row.rectified = rating.grade in (Rating.satisfied, Rating.basically_satisfied)
        if held_on.year == year and rating.grade is Rating.dissatisfied:
            row.rectify_by = add_months_clamped(held_on, RECTIFICATION_MONTHS)
            row.rectified = False
    for row in rows.values():
        row.escalate = row.rectify_by is not None and not row.rectified and row.rectify_by < day


def rank_rows(rows: list[OfficeRow]) -> list[OfficeRow]:
    """Rated offices first, by grade, then satisfaction rate, then completion (higher first), ranked
    1, 2, 2, 4 (offices with the same results share a rank); offices without a rating this year
    follow, unranked, by name."""

    def result(row: OfficeRow):
        assert row.rating is not None
        grade = GRADE_ORDER.get(row.rating.grade, 3) if row.rating.grade else 3
        return (grade, -(row.rating.rate or 0), -(row.completion or 0))

    rated = sorted((r for r in rows if r.rating is not None), key=lambda r: (result(r), r.office.name))
    for number, row in enumerate(rated, start=1):
        before = rated[number - 2] if number > 1 else None
        row.rank = before.rank if before is not None and result(before) == result(row) else number
    return rated + [r for r in rows if r.rating is None]


def bottom_offices(rated: list[OfficeRow]) -> list[OfficeRow]:
    """The ranking's bottom: with at least ``BOTTOM_FROM`` rated offices, those of its last third
    ranked below every office above that third (a tie with one above is not named), not rated 满意."""
    if len(rated) < BOTTOM_FROM:
        return []
    cut = len(rated) - len(rated) // 3  # the last rank above the bottom third
    return [
        r
        for r in rated
        if r.rank is not None and r.rank > cut and r.rating and r.rating.grade is not Rating.satisfied
    ]


def satisfied_line(rows: list[OfficeRow]) -> tuple[int, int, list[str]]:
    """(offices rated 满意, offices rated, the bottom offices' names) for the "N of M" line."""
    rated = [r for r in rows if r.rank is not None]
    satisfied = sum(1 for r in rated if r.rating and r.rating.grade is Rating.satisfied)
    return satisfied, len(rated), [r.office.name for r in bottom_offices(rated)]


def escalation_candidates(rows: list[OfficeRow]) -> list[OfficeRow]:
    """Offices rated 不满意 and not re-rated satisfactory by their rectification deadline."""
    return [r for r in rows if r.escalate]
