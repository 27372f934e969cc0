"""The reading side of vote plans: the plans a user sees, a plan's candidates and remarks, and which
proposals became candidates."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..core.permissions import visible_records
from ..extensions import db
from ..org.models import Deputy
from .models import Proposal
from .plan_models import Candidate, CandidateRemark, PlanState, VotePlan, candidate_proposal


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


def candidate_titles(proposals: Iterable[Proposal], *, public: bool = False) -> dict[int, list[str]]:
    """proposal id → titles of the candidates (not withdrawn) that answer it, or answer the proposal
    it was merged into: "已列为候选项目：…" on the proposals' pages. One query. The public pages name
    only the candidates of a fixed list: a draft is the government's and the presidium's."""
    proposals = list(proposals)
    kept = {p.id: p.merged_into_id or p.id for p in proposals}
    if not kept:
        return {}
    rows = db.session.execute(
        select(candidate_proposal.c.livelihood_proposal_id, Candidate.title)
        .join(Candidate, Candidate.id == candidate_proposal.c.livelihood_candidate_id)
        .join(VotePlan, VotePlan.id == Candidate.plan_id)
        .where(
            candidate_proposal.c.livelihood_proposal_id.in_(set(kept.values())),
            Candidate.withdrawn_at.is_(None),
            *([VotePlan.state != PlanState.DRAFTING] if public else []),
        )
        .order_by(Candidate.position)
    )
    by_kept: dict[int, list[str]] = {}
    for proposal_id, title in rows:
        by_kept.setdefault(proposal_id, []).append(title)
    return {pid: by_kept[k] for pid, k in kept.items() if k in by_kept}
