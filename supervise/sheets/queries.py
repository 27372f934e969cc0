"""Sheets waiting for the government: the home page card reads this."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..core.permissions import Role
from ..extensions import db
from .models import OPEN_STATES, FollowUpSheet


def sheets_to_handle(user) -> list[FollowUpSheet]:
    """Sheets addressed to this clerk's office (all the township's, for the government as a whole)
    that still wait for acknowledgement or an answer, the earliest deadline first."""
    if user.role is not Role.government:
        return []
    query = select(FollowUpSheet).where(
        FollowUpSheet.township_id == user.township_id, FollowUpSheet.state.in_(OPEN_STATES)
    )
    if user.office_id is not None:
        query = query.where(FollowUpSheet.lead_office_id == user.office_id)
    query = query.options(joinedload(FollowUpSheet.lead_office)).order_by(
        FollowUpSheet.deadline, FollowUpSheet.id
    )
    return list(db.session.execute(query).scalars())
