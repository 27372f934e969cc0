"""The year's figures of many townships at once, counted in SQL and grouped by township.

``township_figures(ids, year, day)`` runs the same statements for 3 townships as for 30: each
statement groups by township, none is run per township and no item is loaded. A township's
figures are a ``Counter`` of named numbers (``FIGURE_NAMES`` says what each one counts), so that
totals, last year's column and the workbook all read them the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from fractions import Fraction

from sqlalchemy import and_, case, func, select

from ..core import cache
from ..evaluation.models import EvaluationMeeting
from ..evaluation.published_models import PublishedResult, PublishedResultLine
from ..extensions import db
from ..inspections.models import Finding, Inspection, InspectionState
from ..lists.models import DONE_STATES, Item, ItemState, ListKind, SupervisionList
from ..lists.queries import in_year_condition, overdue_condition
from ..livelihood.vote_models import VoteResult
from ..meetings.models import ActivityDay, Consultation
from ..notices.models import Opinion, OpinionState
from ..org.models import Deputy, DeputyGroup, LiaisonStation
from ..progress.disputes import dispute_condition
from ..progress.models import MonthlyReport, ReportFeedback
from ..sheets.models import FollowUpSheet, SheetState
from ..sheets.queries import answered_in_time_condition
from ..sheets.queries import overdue_condition as sheet_overdue_condition

# Reported done (已报完成, 已核实) or closed (销号): what the completion rate counts as completed.
COMPLETED_STATES = DONE_STATES | {ItemState.closed}
# Not counted in the completion rate's denominator: withdrawn with a reason (drafts are not counted
# at all: they are not on the list yet).
UNCOUNTED_STATES = frozenset({ItemState.withdrawn})

Figures = Counter  # named numbers of one township (or a total) for one year


def china_year_span(year: int) -> tuple[datetime, datetime]:
    """The stored (naive UTC) times from 1 January to 31 December of ``year`` in China (UTC+8)."""

    def midnight(day: date) -> datetime:  # midnight in China, as a stored UTC time
        return datetime.combine(day, time()) - timedelta(hours=8)

    return midnight(date(year, 1, 1)), midnight(date(year + 1, 1, 1))


def township_figures(township_ids: Iterable[int], year: int, day: date) -> dict[int, Figures]:
    """Each township's figures of ``year`` as of ``day`` (overdue means overdue on ``day``)."""
    ids = sorted(set(township_ids))
    figures: dict[int, Figures] = {tid: Counter() for tid in ids}
    if not ids:
        return figures
    for count in (
        _item_counts,
        _disputes,
        _sheet_counts,
        _inspection_counts,
        _meeting_counts,
        _opinion_counts,
        _org_counts,
        _vote_counts,
    ):
        for township_id, name, number in count(ids, year, day):
            figures[township_id][name] += number
    for township_id, rates in satisfaction_by_year(ids).items():
        rate = rates.get(year)
        if rate is not None:
            # Kept as permille so that a Counter sums and compares it (the pages print one decimal).
            figures[township_id]["evaluation.rate_permille"] = round(rate * 1000)
            figures[township_id]["evaluation.held"] = 1
    return figures


def total_of(figures: Iterable[Figures]) -> Figures:
    """The county's figures: the townships' summed (rates are recomputed from their parts)."""
    total: Figures = Counter()
    for one in figures:
        total.update({k: v for k, v in one.items() if not k.startswith("evaluation.")})
    return total


def completion_rate(figures: Figures) -> Fraction | None:
    """Completed (reported done, verified or closed) ÷ items counted (on the list, not withdrawn)."""
    counted = figures["items"] - sum(figures[f"items.{s.value}"] for s in UNCOUNTED_STATES)
    if counted <= 0:
        return None
    return Fraction(sum(figures[f"items.{s.value}"] for s in COMPLETED_STATES), counted)


def livelihood_vote_held(figures: Figures) -> bool:
    """Whether the township chose its livelihood projects by the congress's vote (民生实事票决) for
    the year: it published the vote's result (``VoteResult``). A list with items is not a vote held
    (they may have been listed by hand), nor is a vote closed but not yet settled or published."""
    return figures["livelihood.vote_held"] > 0


# ---- the statements ------------------------------------------------------------------------------


def _item_counts(ids: list[int], year: int, day: date):
    """Items of the year on the lists (drafts aside) by township, kind, state and answer class, with
    how many are overdue."""
    rows = db.session.execute(
        select(
            Item.township_id,
            SupervisionList.kind,
            Item.state,
            Item.answer_class,
            func.count(Item.id),
            func.sum(case((overdue_condition(day), 1), else_=0)),
        )
        .join(SupervisionList, SupervisionList.id == Item.list_id)
        # A draft is not on the list yet: the lists' figures leave it out, as the state columns do.
        .where(Item.township_id.in_(ids), in_year_condition(year), Item.state != ItemState.draft)
        .group_by(Item.township_id, SupervisionList.kind, Item.state, Item.answer_class)
    )
    for township_id, kind, state, answer_class, count, overdue in rows:
        yield township_id, "items", count
        yield township_id, f"items.{state.value}", count
        yield township_id, "items.overdue", overdue or 0
        yield township_id, f"kind.{kind.value}", count
        yield township_id, f"kind.{kind.value}.{state.value}", count
        if state in COMPLETED_STATES:
            yield township_id, f"kind.{kind.value}.done", count
        if kind is ListKind.suggestion and answer_class is not None:
            yield township_id, f"answer.{answer_class.value}", count


def _disputes(ids: list[int], year: int, day: date):
    """Supervisors' disputed feedback (有异议) on the reports of the year's months."""
    rows = db.session.execute(
        select(MonthlyReport.township_id, func.count(ReportFeedback.id))
        .join(ReportFeedback, ReportFeedback.report_id == MonthlyReport.id)
        .where(MonthlyReport.township_id.in_(ids), *dispute_condition(year))
        .group_by(MonthlyReport.township_id)
    )
    for township_id, count in rows:
        yield township_id, "reports.disputed", count


def _sheet_counts(ids: list[int], year: int, day: date):
    """The year's issued follow-up sheets: answered by their deadline, overdue on ``day``."""
    answered_in_time, overdue = answered_in_time_condition(), sheet_overdue_condition(day)
    rows = db.session.execute(
        select(
            FollowUpSheet.township_id,
            func.count(FollowUpSheet.id),
            func.sum(case((answered_in_time, 1), else_=0)),
            func.sum(case((overdue, 1), else_=0)),
            func.sum(case((FollowUpSheet.state == SheetState.verified, 1), else_=0)),
        )
        .where(
            FollowUpSheet.township_id.in_(ids),
            FollowUpSheet.year == year,
            FollowUpSheet.state != SheetState.draft,
        )
        .group_by(FollowUpSheet.township_id)
    )
    for township_id, issued, in_time, late, verified in rows:
        yield township_id, "sheets.issued", issued
        yield township_id, "sheets.answered_in_time", in_time or 0
        yield township_id, "sheets.overdue", late or 0
        yield township_id, "sheets.verified", verified or 0


def _inspection_counts(ids: list[int], year: int, day: date):
    """Filed inspections held in the year, by method; their findings and residents visited."""
    held = and_(
        Inspection.township_id.in_(ids),
        Inspection.state == InspectionState.filed,
        Inspection.held_on.between(date(year, 1, 1), date(year, 12, 31)),
    )
    rows = db.session.execute(
        select(
            Inspection.township_id,
            Inspection.method,
            func.count(Inspection.id),
            func.coalesce(func.sum(Inspection.residents_visited), 0),
        )
        .where(held)
        .group_by(Inspection.township_id, Inspection.method)
    )
    for township_id, method, count, visited in rows:
        yield township_id, "inspections", count
        yield township_id, f"inspections.{method.value}", count
        yield township_id, "inspections.residents_visited", visited
    findings = db.session.execute(
        select(Inspection.township_id, func.count(Finding.id))
        .join(Finding, Finding.inspection_id == Inspection.id)
        .where(held)
        .group_by(Inspection.township_id)
    )
    for township_id, count in findings:
        yield township_id, "findings", count


def _counted(name: str, model, ids: list[int], *conditions):
    """(township, ``name``, how many) of ``model``'s rows that meet ``conditions``: one statement."""
    rows = db.session.execute(
        select(model.township_id, func.count(model.id))
        .where(model.township_id.in_(ids), *conditions)
        .group_by(model.township_id)
    )
    for township_id, count in rows:
        yield township_id, name, count


def _meeting_counts(ids: list[int], year: int, day: date):
    """Consultations (会商) and liaison stations' activity days (活动日) held in the year."""
    for name, model in (("consultations", Consultation), ("activity_days", ActivityDay)):
        yield from _counted(name, model, ids, model.held_on.between(date(year, 1, 1), date(year, 12, 31)))


def _opinion_counts(ids: list[int], year: int, day: date):
    """Residents' opinions (群众意见) left on the public notices in the year: those kept, not the
    ones the presidium refused to publish (abuse, advertising, personal data)."""
    start, end = china_year_span(year)
    kept = (Opinion.submitted_at >= start, Opinion.submitted_at < end, Opinion.state != OpinionState.rejected)
    yield from _counted("opinions", Opinion, ids, *kept)


def _org_counts(ids: list[int], year: int, day: date):
    """Active deputies, liaison stations (town level and village points) and deputy groups now."""
    for name, model in (("deputies", Deputy), ("groups", DeputyGroup)):
        yield from _counted(name, model, ids, model.is_active)
    stations = db.session.execute(
        select(LiaisonStation.township_id, LiaisonStation.level, func.count(LiaisonStation.id))
        .where(LiaisonStation.township_id.in_(ids), LiaisonStation.is_active)
        .group_by(LiaisonStation.township_id, LiaisonStation.level)
    )
    for township_id, level, count in stations:
        yield township_id, "stations", count
        yield township_id, f"stations.{level.value}", count


def _vote_counts(ids: list[int], year: int, day: date):
    """Townships that published the result of their livelihood projects' vote of the year."""
    rows = db.session.execute(
        select(VoteResult.township_id)
        .where(VoteResult.township_id.in_(ids), VoteResult.year == year)
        .group_by(VoteResult.township_id)
    )
    for (township_id,) in rows:
        yield township_id, "livelihood.vote_held", 1


def satisfaction_by_year(township_ids: Iterable[int]) -> dict[int, dict[int, Fraction | None]]:
    """Each township's overall satisfaction rate (总体满意率) per year, from its published results:
    (满意 + 基本满意) ÷ valid marks over every line, as evaluation/overall.py pools them; of a year's
    several published meetings (a re-rating) the newest counts. One statement."""
    ids = sorted(set(township_ids))
    if not ids:
        return {}
    line = PublishedResultLine
    rows = db.session.execute(
        select(
            PublishedResult.township_id,
            EvaluationMeeting.year,
            PublishedResult.held_on,
            PublishedResult.id,
            func.coalesce(func.sum(line.satisfied_or_basic), 0),
            func.coalesce(func.sum(line.valid), 0),
        )
        .join(EvaluationMeeting, EvaluationMeeting.id == PublishedResult.meeting_id)
        .outerjoin(line, line.result_id == PublishedResult.id)
        .where(PublishedResult.township_id.in_(ids))
        .group_by(
            PublishedResult.township_id, EvaluationMeeting.year, PublishedResult.held_on, PublishedResult.id
        )
        .order_by(PublishedResult.held_on, PublishedResult.id)
    )
    rates: dict[int, dict[int, Fraction | None]] = {}
    for township_id, year, _held_on, _id, good, valid in rows:
        # Oldest first: the newest of a year replaces the others.
        rates.setdefault(township_id, {})[year] = Fraction(good, valid) if valid else None
    return rates


# What the figures show, so which changes bump a township's data version (core/cache.py): the
# models lists/ and progress/ watch already are not registered twice.
for _model in (
    FollowUpSheet,
    Inspection,
    Consultation,
    ActivityDay,
    Opinion,
    PublishedResult,
    LiaisonStation,
    VoteResult,
):
    cache.watch(_model)
cache.watch(DeputyGroup)
cache.watch_child(Finding, Finding.inspection_id, Inspection)
