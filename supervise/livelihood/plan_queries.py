"""The reading side of vote plans: the plans a user sees, a plan's candidates and remarks, and which
proposals became candidates."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..core.permissions import visible_records
from ..extensions import db
from ..org.models import Deputy
from .models import Proposal
from .plan_models import Candidate, CandidateRemark, VotePlan


def visible_plans() -> list[VotePlan]:
    query = (
        visible_records(VotePlan)
        .options(joinedload(VotePlan.township), selectinload(VotePlan.candidates))
        .order_by(VotePlan.township_id, VotePlan.year.desc())
    )
    return list(db.session.execute(query).scalars())


def plan_with_candidates(plan: VotePlan) -> list[Candidate]:
    """The plan's candidates with what their rows show, in the ballot's order (withdrawn ones too)."""
    query = (
        select(Candidate)
        .where(Candidate.plan_id == plan.id)
        .options(
            joinedload(Candidate.lead_office),
            selectinload(Candidate.joint_lead_offices),
            selectinload(Candidate.proposals).joinedload(Proposal.period),
        )
        .order_by(Candidate.position, Candidate.id)
    )
    return list(db.session.execute(query).scalars())


def remarks_of(plan: VotePlan) -> list[CandidateRemark]:
    query = (
        select(CandidateRemark)
        .where(CandidateRemark.plan_id == plan.id)
        .options(
            joinedload(CandidateRemark.deputy),
            joinedload(CandidateRemark.candidate),
            joinedload(CandidateRemark.recorded_by),
        )
        .order_by(CandidateRemark.id)
    )
    return list(db.session.execute(query).scalars())


def township_deputies(township_id: int) -> list[Deputy]:
    return list(
        db.session.execute(
            select(Deputy).where(Deputy.township_id == township_id, Deputy.is_active).order_by(Deputy.name)
        ).scalars()
    )
