"""Supervisors' disputes (监督员异议) on a year's monthly reports: the list behind the county view's
count, read with the same conditions the count uses (statistics/figures.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from ..extensions import db
from .models import FeedbackVerdict, MonthlyReport, ReportFeedback
from .verdicts import still_open_condition


def dispute_condition(year: int):
    """Disputes on the reports of ``year``'s months that are still open (a condition joined to
    MonthlyReport): a dispute followed by a later verdict of the same supervisor on that month's
    report, on the same version or a corrected one, is not counted (verdicts.still_open_condition)."""
    return (
        MonthlyReport.month.between(date(year, 1, 1), date(year, 12, 1)),
        ReportFeedback.verdict == FeedbackVerdict.dispute,
        still_open_condition(),
    )


def year_disputes(user, township_id: int | None, year: int, per_page: int):
    """A page of the disputes of ``year`` on the reports of the townships ``user`` sees (of one
    township when given), the newest month first."""
    query = (
        select(ReportFeedback)
        .join(ReportFeedback.report)
        .where(user.visible_township_filter(MonthlyReport.township_id), *dispute_condition(year))
        .options(
            contains_eager(ReportFeedback.report).joinedload(MonthlyReport.item),
            contains_eager(ReportFeedback.report).joinedload(MonthlyReport.township),
            joinedload(ReportFeedback.deputy),
        )
        .order_by(MonthlyReport.month.desc(), ReportFeedback.at.desc(), ReportFeedback.id.desc())
    )
    if township_id:
        query = query.where(MonthlyReport.township_id == township_id)
    return db.paginate(query, per_page=per_page, error_out=False)
