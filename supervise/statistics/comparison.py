"""Townships side by side (县人大常委会): one row per township of the county and a total, sortable by
any column, a row that is behind on something marked with its reasons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext, ngettext
from sqlalchemy import select

from ..evaluation.models import EvaluationMeeting
from ..evaluation.published_models import PublishedResult
from ..extensions import db
from ..lists.models import ItemState, ListKind
from ..lists.queries import NOT_DRAFT
from ..livelihood.plan_models import VotePlan
from ..livelihood.vote_models import VoteResult
from ..org.models import Township
from ..progress.calendar import MonthStatus
from .figures import Figures, completion_rate, livelihood_vote_held, satisfaction_by_year, total_of
from .reporting import ReportCounts
from .stored import counted

# What marks a row as behind (the reasons printed beside its name).
MISSING_MONTHS_BEHIND = 2  # months of the year with a report still missing
SATISFACTION_DROP_BEHIND = 5  # percentage points below last year's overall rate


@dataclass
class Row:
    """One township's year (or the total's, ``township`` None)."""

    township: Township | None
    figures: Figures
    reports: ReportCounts
    rate: Fraction | None = None  # this year's overall satisfaction rate
    rate_before: Fraction | None = None  # last year's
    reasons: list[str] = field(default_factory=list)
    # column key → the record a value comes from (the evaluation's result, the vote's plan), as an
    # endpoint and its arguments: rows are made outside requests too (the annual report)
    sources: dict[str, tuple[str, dict[str, int]]] = field(default_factory=dict)

    @property
    def completion(self) -> Fraction | None:
        return completion_rate(self.figures)

    @property
    def rate_change(self) -> Fraction | None:
        """The change of the satisfaction rate against last year, in percentage points."""
        if self.rate is None or self.rate_before is None:
            return None
        return (self.rate - self.rate_before) * 100

    @property
    def vote_held(self) -> bool:
        return livelihood_vote_held(self.figures)


def behind_reasons(row: Row) -> list[str]:
    """Why a row is behind, as its mark says ("3 个月未报送", "督办单逾期 2 件"); empty when it is not."""
    reasons = []
    # ngettext: Chinese has one form, English two ("1 month", "2 months").
    if row.reports.missing_months >= MISSING_MONTHS_BEHIND:
        n = row.reports.missing_months
        reasons.append(ngettext("%(num)d 个月未报送", "%(num)d 个月未报送", n))
    if n := row.figures["sheets.overdue"]:
        reasons.append(ngettext("督办单逾期 %(num)d 件", "督办单逾期 %(num)d 件", n))
    if n := row.figures["items.overdue"]:
        reasons.append(ngettext("事项逾期 %(num)d 项", "事项逾期 %(num)d 项", n))
    change = row.rate_change
    if change is not None and -change >= SATISFACTION_DROP_BEHIND:
        reasons.append(_("满意率较上年下降 %(n)s 个百分点", n=f"{float(-change):.1f}"))
    return reasons


def township_rows(townships: list[Township], year: int, day: date) -> tuple[list[Row], Row]:
    """The rows of these townships for ``year`` (in the given order) and their total."""
    ids = [t.id for t in townships]
    figures, reports = counted(townships, year, day)
    rates = satisfaction_by_year(ids)
    rows = []
    for township in townships:
        own = rates.get(township.id, {})
        row = Row(township, figures[township.id], reports[township.id], own.get(year), own.get(year - 1))
        row.reasons = behind_reasons(row)
        rows.append(row)
    _add_sources(rows, year)
    total_reports = ReportCounts()
    for row in rows:
        total_reports.add(row.reports)
    return rows, Row(None, total_of(r.figures for r in rows), total_reports)


def _add_sources(rows: list[Row], year: int) -> None:
    """Each row's links to the records its rate, change and vote flag come from: the evaluation
    meeting whose published result gives the year's (and last year's) overall rate, the newest of its
    year as ``satisfaction_by_year`` takes it; the plan of the year's livelihood vote (the one whose
    result is published, else the newest). Two statements."""
    by_id = {row.township.id: row for row in rows if row.township}
    meetings = db.session.execute(
        select(PublishedResult.township_id, EvaluationMeeting.year, PublishedResult.meeting_id)
        .join(EvaluationMeeting, EvaluationMeeting.id == PublishedResult.meeting_id)
        .where(PublishedResult.township_id.in_(by_id), EvaluationMeeting.year.in_((year, year - 1)))
        .order_by(PublishedResult.held_on, PublishedResult.id)
    )
    for township_id, meeting_year, meeting_id in meetings:  # oldest first: the newest stays
        key = "satisfaction" if meeting_year == year else "change"
        by_id[township_id].sources[key] = ("evaluation.results_page", {"meeting_id": meeting_id})
    plans = db.session.execute(
        select(VotePlan.township_id, VotePlan.id, VoteResult.id)
        .outerjoin(VoteResult, VoteResult.plan_id == VotePlan.id)
        .where(VotePlan.township_id.in_(by_id), VotePlan.year == year)
        .order_by(VoteResult.id.isnot(None), VotePlan.id)
    )
    for township_id, plan_id, _result_id in plans:  # a plan with a published result last: it stays
        by_id[township_id].sources["vote"] = ("livelihood.plan_detail", {"plan_id": plan_id})


# ---- columns -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of the side-by-side table: its key (?sort=), header, value and the list behind it."""

    key: str
    label: Any
    value: Callable[[Row], Any]
    link: Callable[[Township, int], str] | None = None
    kind: str = "count"  # count, rate, change, flag


def _items(
    state: ItemState | None = None, overdue: bool = False, kind: ListKind | None = None
) -> Callable[[Township, int], str]:
    """The item list of the township's year: of one state, overdue, of one kind; without a state,
    every item on the lists (drafts aside, as the figures count)."""

    def link(township: Township, year: int) -> str:
        args: dict[str, Any] = {"township": township.id, "year": year}
        if kind is not None:
            args["kind"] = kind.value
        if state is not None:
            args["state"] = state.value
        elif overdue:
            args["overdue"] = "1"  # overdue items are under way: no draft among them
        else:
            args["state"] = NOT_DRAFT
        return url_for("lists.item_list", **args)

    return link


def _grid(status: MonthStatus) -> Callable[[Township, int], str]:
    """The month grid of the township's year, the items with a month of this status."""
    return lambda township, year: url_for(
        "progress.grid", township=township.id, year=year, status=status.value
    )


def _disputes(township: Township, year: int) -> str:
    return url_for("progress.disputes", township=township.id, year=year)


def _sheets(**filters: str) -> Callable[[Township, int], str]:
    """The township's issued sheets of the year (答复及时, 逾期 with ``filters``)."""
    return lambda township, year: url_for("sheets.sheet_list", township=township.id, year=year, **filters)


def _held(endpoint: str) -> Callable[[Township, int], str]:
    """Inspections, activity days or consultations the township held in the year."""
    return lambda township, year: url_for(endpoint, township=township.id, year=year)


def _count(name: str) -> Callable[[Row], int]:
    return lambda row: row.figures[name]


STATE_COLUMNS = [
    ItemState.listed,
    ItemState.supervising,
    ItemState.consulting,
    ItemState.completed,
    ItemState.verified,
    ItemState.closed,
    ItemState.withdrawn,
    ItemState.carried_over,
]


def columns() -> list[Column]:
    """The table's columns, in order (made per request: the headers are in the reader's language)."""
    return [
        Column("items", _l("事项总数"), _count("items"), _items()),
        *[Column(s.value, s.label, _count(f"items.{s.value}"), _items(s)) for s in STATE_COLUMNS],
        Column("completion", _l("完成率"), lambda row: row.completion, kind="rate"),
        Column("overdue", _l("逾期事项"), _count("items.overdue"), _items(overdue=True)),
        Column("on_time", _l("月报按时"), lambda row: row.reports.on_time, _grid(MonthStatus.reported)),
        Column("late", _l("月报迟报"), lambda row: row.reports.late, _grid(MonthStatus.late)),
        Column("missing", _l("月报缺报"), lambda row: row.reports.missing, _grid(MonthStatus.missing)),
        Column("disputed", _l("监督员异议"), _count("reports.disputed"), _disputes),
        Column("sheets", _l("督办单"), _count("sheets.issued"), _sheets()),
        Column(
            "sheets_in_time", _l("按时答复"), _count("sheets.answered_in_time"), _sheets(answered="in_time")
        ),
        Column("sheets_overdue", _l("督办单逾期"), _count("sheets.overdue"), _sheets(overdue="1")),
        Column("inspections", _l("监督活动"), _count("inspections"), _held("inspections.inspection_list")),
        Column("activity_days", _l("活动日"), _count("activity_days"), _held("meetings.activity_day_list")),
        Column(
            "consultations",
            lazy_pgettext("plural", "会商"),
            _count("consultations"),
            _held("meetings.consultation_list"),
        ),
        Column("satisfaction", _l("总体满意率"), lambda row: row.rate, kind="rate"),
        Column("change", _l("较上年"), lambda row: row.rate_change, kind="change"),
        # linked to the records they come from by the row (Row.sources)
        Column("vote", _l("民生实事票决"), lambda row: row.vote_held, kind="flag"),
    ]


def sorted_rows(rows: list[Row], key: str, descending: bool) -> list[Row]:
    """Rows by the column ``key`` (by name when it names none); a row without a value comes last."""
    column = next((c for c in columns() if c.key == key), None)
    if column is None:
        # By the pinyin of the name, which the township's slug (拼音代码, ^[a-z][a-z0-9]*$) spells: code
        # points would put 四亩地镇 before 龙王镇. (No pinyin package is among the dependencies.)
        return sorted(rows, key=lambda row: row.township.slug if row.township else "", reverse=descending)
    present = [row for row in rows if column.value(row) is not None]
    absent = [row for row in rows if column.value(row) is None]
    return sorted(present, key=column.value, reverse=descending) + absent
