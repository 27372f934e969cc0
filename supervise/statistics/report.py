"""The year's statistics of a township or a county (the figures of a county's yearly report), each
beside last year's, with the items not completed and why: what the statistics page, the annual
report PDF and its workbook all show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..inspections.models import InspectionMethod
from ..lists.models import (
    ENDED_UNDONE_STATES,
    AnswerClass,
    Item,
    ItemEvent,
    ItemState,
    ListKind,
    SupervisionList,
)
from ..lists.queries import in_year_condition, overdue_condition
from ..org.models import County, Township
from ..progress.models import MonthlyReport
from . import charts
from .comparison import Row, township_rows
from .figures import Figures, completion_rate, satisfaction_by_year
from .offices import OfficeRow, office_rows, satisfied_line

# The lists of items not completed stop here on the page and in the PDF (the count says how many
# more; a long table costs WeasyPrint seconds a page), and in the workbook at the export limit.
UNFINISHED_SHOWN = 60
UNFINISHED_IN_WORKBOOK = 2000


def figure_lines() -> list[tuple[str, Any, bool]]:
    """(figure name, label, is a sub-line) in the order the report prints them."""
    lines: list[tuple[str, Any, bool]] = [
        ("stations", _l("代表联络站（点）"), False),
        ("stations.town", _l("其中：镇级联络站"), True),
        ("stations.village", _l("其中：村级联络点"), True),
        ("groups", lazy_pgettext("plural", "代表小组"), False),
        ("deputies", lazy_pgettext("plural", "代表"), False),
        ("inspections", _l("监督活动（次）"), False),
        *[(f"inspections.{m.value}", m.label, True) for m in InspectionMethod],
        ("findings", _l("发现问题、提出建议（条）"), False),
        ("sheets.issued", _l("下发督办单（件）"), False),
        ("sheets.answered_in_time", _l("其中：按时答复"), True),
        ("sheets.overdue", _l("其中：逾期未答复"), True),
        ("sheets.verified", _l("其中：核实办结"), True),
        ("consultations", _l("会商（次）"), False),
        ("activity_days", _l("联络站活动日（次）"), False),
        ("inspections.residents_visited", _l("走访群众（人次）"), False),
        ("opinions", _l("群众意见（条）"), False),
    ]
    lines.append(("items", _l("事项总数"), False))
    for kind in ListKind:
        lines += [
            (f"kind.{kind.value}", kind.label, False),
            (f"kind.{kind.value}.done", _l("其中：完成"), True),
            (f"kind.{kind.value}.carried_over", _l("其中：结转下年"), True),
            (f"kind.{kind.value}.withdrawn", _l("其中：撤销"), True),
        ]
        if kind is ListKind.suggestion:  # how the suggestions were answered, under them
            lines += [(f"answer.{c.value}", c.label, True) for c in AnswerClass]
    lines += [
        (f"kind.{ListKind.livelihood.value}.closed", _l("民生实事：已销号（建成投用）"), False),
        ("items.overdue", _l("逾期未完成事项"), False),
    ]
    return lines


@dataclass
class UnfinishedItem:
    code: str
    title: str
    township: str
    state: ItemState
    deadline: date | None
    reason: str


@dataclass
class Report:
    """A township's or a county's year, as the statistics page and the annual report show it."""

    name: str  # the township's or the county's
    year: int
    figures: Figures
    before: Figures | None  # last year's, when there was one
    completion: Any
    rows: list[Row] = field(default_factory=list)  # the county's townships
    total: Row | None = None  # their total (a county's report)
    offices: list[OfficeRow] = field(default_factory=list)  # a township's offices
    satisfied_line: tuple[int, int, list[str]] = (0, 0, [])
    day: date | None = None  # the day it is counted on (overdue means overdue on it)
    unfinished: list[UnfinishedItem] = field(default_factory=list)  # as many as items.overdue counts
    unfinished_more: int = 0
    ended: list[UnfinishedItem] = field(default_factory=list)  # withdrawn or carried over
    ended_more: int = 0
    rates: dict[int, Any] = field(default_factory=dict)  # overall satisfaction by year
    charts: dict[str, str] = field(default_factory=dict)  # name → SVG

    @property
    def lines(self) -> list[tuple[str, Any, bool]]:
        return figure_lines()

    @property
    def before_completion(self) -> Any:
        return completion_rate(self.before) if self.before is not None else None


def _had_year(figures: Figures) -> Figures | None:
    return figures if figures["items"] or figures["inspections"] or figures["sheets.issued"] else None


def county_report(county: County, townships: list[Township], year: int, day: date) -> Report:
    """The county's year: its townships' figures summed, each township's row, the charts."""
    rows, total = township_rows(townships, year, day)
    _rows_before, total_before = township_rows(townships, year - 1, day)
    rates = satisfaction_by_year([t.id for t in townships])
    years = _chart_years(rates, year)
    report = Report(
        county.name,
        year,
        total.figures,
        _had_year(total_before.figures),
        total.completion,
        rows=rows,
        total=total,
    )
    _add_unfinished(report, [t.id for t in townships], day)
    report.charts = {
        "completion": charts.completion_chart((r.township.name, r.completion) for r in rows if r.township),
        "reports": charts.reports_chart(total.reports),
        "satisfaction": charts.satisfaction_chart({t.name: rates.get(t.id, {}) for t in townships}, years),
    }
    return report


def township_report(township: Township, year: int, day: date) -> Report:
    """A township's year: its figures, its offices ranked, the charts."""
    (row,), _total = township_rows([township], year, day)
    (before,), _total = township_rows([township], year - 1, day)
    offices = office_rows(township, year, day)
    rates = satisfaction_by_year([township.id]).get(township.id, {})
    report = Report(township.name, year, row.figures, _had_year(before.figures), row.completion, rows=[row])
    report.offices = offices
    report.satisfied_line = satisfied_line(offices)
    report.rates = rates
    _add_unfinished(report, [township.id], day)
    report.charts = {
        "completion": charts.completion_chart((o.office.name, o.completion) for o in offices),
        "reports": charts.reports_chart(row.reports),
        "satisfaction": charts.satisfaction_chart({township.name: rates}, _chart_years({0: rates}, year)),
    }
    return report


def _chart_years(rates: dict[int, dict[int, Any]], year: int) -> list[int]:
    """The years the satisfaction chart spans: from the first rated year (at most five back) to ``year``."""
    rated = [y for per_year in rates.values() for y in per_year if y <= year]
    first = max(min([*rated, year - 1]), year - 4)
    return list(range(first, year + 1))


def _add_unfinished(report: Report, township_ids: list[int], day: date) -> None:
    report.day = day
    report.unfinished, report.unfinished_more = unfinished_items(township_ids, report.year, day)
    report.ended, report.ended_more = ended_undone_items(township_ids, report.year)


def unfinished_items(
    township_ids: list[int], year: int, day: date, limit: int = UNFINISHED_SHOWN
) -> tuple[list[UnfinishedItem], int]:
    """The year's items not completed: still under way past their deadline on ``day``, what the
    figure ``items.overdue`` counts and the county page's 逾期事项 links to (neither withdrawn nor
    carried over: ``ended_undone_items``); with the reason on record: the escalation note, or the
    latest monthly report's problems."""
    problems = (
        select(MonthlyReport.problems)
        .where(MonthlyReport.item_id == Item.id)
        .order_by(MonthlyReport.month.desc(), MonthlyReport.version.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows, more = _items_of(township_ids, year, overdue_condition(day), limit, Item.escalation_note, problems)
    return [UnfinishedItem(*row[:5], note or (found or "")) for *row, note, found in rows], more


def ended_undone_items(
    township_ids: list[int], year: int, limit: int = UNFINISHED_SHOWN
) -> tuple[list[UnfinishedItem], int]:
    """The year's items that ended without being done (ENDED_UNDONE_STATES), apart from the
    unfinished ones, each with its own reason: the withdrawal's, or the carrying over's with the code
    of its copy in next year's list."""
    carried_reason = (
        select(ItemEvent.reason)
        .where(ItemEvent.item_id == Item.id, ItemEvent.to_state == ItemState.carried_over)
        .order_by(ItemEvent.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    copy = aliased(Item)
    copy_code = select(copy.code).where(copy.carried_from_id == Item.id).limit(1).scalar_subquery()
    rows, more = _items_of(
        township_ids,
        year,
        Item.state.in_(list(ENDED_UNDONE_STATES)),
        limit,
        func.coalesce(Item.withdrawn_reason, ""),
        carried_reason,
        copy_code,
    )
    shown = []
    for *row, withdrawn, carried, code in rows:
        reason = withdrawn if row[3] is ItemState.withdrawn else (carried or "")
        if row[3] is ItemState.carried_over and code:
            reason = (
                _("%(reason)s（转入 %(code)s）", reason=reason, code=code)
                if reason
                else _("转入 %(code)s", code=code)
            )
        shown.append(UnfinishedItem(*row, reason))
    return shown, more


def _items_of(
    township_ids: list[int], year: int, condition: Any, limit: int, *extra: Any
) -> tuple[list, int]:
    """(code, title, township, state, deadline, *extra) of the year's items meeting ``condition``,
    at most ``limit``, and how many more there are."""
    where = (Item.township_id.in_(township_ids), in_year_condition(year), condition)
    rows = db.session.execute(
        select(Item.code, Item.title, Township.name, Item.state, Item.deadline, *extra)
        .join(SupervisionList, SupervisionList.id == Item.list_id)
        .join(Township, Township.id == Item.township_id)
        .where(*where)
        .order_by(Township.slug, Item.code)
        .limit(limit)
    ).all()
    more = 0
    if len(rows) == limit:
        more = (
            db.session.execute(
                select(func.count(Item.id))
                .join(SupervisionList, SupervisionList.id == Item.list_id)
                .where(*where)
            ).scalar_one()
            - limit
        )
    return rows, more
