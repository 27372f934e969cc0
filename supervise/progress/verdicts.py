"""The current verdict (当前意见) of each supervisor on each report version: the one rule every page,
count and answer about supervisors' feedback reads.

Feedback is append-only (models.ReportFeedback): a supervisor who answers the same version again
adds a row, and their newest row on that version (the highest id, the order they were given in)
replaces the earlier ones. A replaced verdict is history: nothing counts it, neither as a dispute
nor as a confirmation. A confirmation may carry a remark; only the verdict says what it is.

The rule is written twice here, side by side, and nowhere else: once in SQL for the counts and
lists, once in Python for feedback already loaded with its report.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import exists
from sqlalchemy.orm import aliased

from .models import MonthlyReport, ReportFeedback


def current_verdict_condition():
    """A condition on ReportFeedback: the row is its supervisor's newest on its report version
    (no later row of the same deputy on the same report)."""
    newer = aliased(ReportFeedback)
    return ~exists().where(
        newer.report_id == ReportFeedback.report_id,
        newer.deputy_id == ReportFeedback.deputy_id,
        newer.id > ReportFeedback.id,
    )


def still_open_condition():
    """A condition on ReportFeedback joined to its MonthlyReport: no later verdict of the same
    supervisor on any version of the same item's month. A dispute of version 1 that its supervisor
    confirmed once the office corrected the report (version 2) is settled; one the supervisor has not
    answered again stays open, whatever versions came since (as the escalation rule reads it)."""
    later, version = aliased(ReportFeedback), aliased(MonthlyReport)
    return ~exists().where(
        later.report_id == version.id,
        version.item_id == MonthlyReport.item_id,
        version.month == MonthlyReport.month,
        later.deputy_id == ReportFeedback.deputy_id,
        later.id > ReportFeedback.id,
    )


def current_verdicts(feedback: Iterable[ReportFeedback]) -> dict[int, ReportFeedback]:
    """Each supervisor's current verdict among one report version's feedback, by deputy id."""
    return {f.deputy_id: f for f in sorted(feedback, key=lambda f: f.id)}
