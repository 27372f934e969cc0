"""What home pages say about inspections: a deputy's unfinished drafts.

Findings not yet on a sheet are counted by sheets.queries (sheets point at findings).
"""

from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db
from .models import Inspection, InspectionState


def draft_count(user) -> int:
    return db.session.execute(
        select(func.count())
        .select_from(Inspection)
        .where(Inspection.author_id == user.id, Inspection.state == InspectionState.draft)
    ).scalar_one()
