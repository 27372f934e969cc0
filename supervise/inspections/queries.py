"""What home pages say about inspections: a deputy's unfinished drafts, findings not yet on a sheet."""

from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db
from .models import Finding, Inspection, InspectionState


def draft_count(user) -> int:
    return db.session.execute(
        select(func.count())
        .select_from(Inspection)
        .where(Inspection.author_id == user.id, Inspection.state == InspectionState.draft)
    ).scalar_one()


def open_finding_count(township_id: int) -> int:
    """Findings of filed inspections that no follow-up sheet cites yet."""
    from ..sheets.models import SheetLine

    cited = select(SheetLine.finding_id).where(SheetLine.finding_id.is_not(None))
    return db.session.execute(
        select(func.count())
        .select_from(Finding)
        .join(Inspection)
        .where(
            Inspection.township_id == township_id,
            Inspection.state == InspectionState.filed,
            Finding.id.not_in(cited),
        )
    ).scalar_one()
