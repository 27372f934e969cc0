"""The reading side of proposals: the periods of a township, the lists the pages show."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from .models import PUBLISHED_STATES, Proposal, ProposalEvent, ProposalPeriod, ProposalState


def periods_of(township_id: int) -> list[ProposalPeriod]:
    return list(
        db.session.execute(
            select(ProposalPeriod)
            .where(ProposalPeriod.township_id == township_id)
            .order_by(ProposalPeriod.year.desc())
        ).scalars()
    )


def current_period(township_id: int) -> ProposalPeriod | None:
    """The township's open collection if there is one, else its latest (the public pages' period)."""
    periods = periods_of(township_id)
    return next((p for p in periods if p.is_open), periods[0] if periods else None)


def _listing():
    return select(Proposal).options(
        joinedload(Proposal.period),
        joinedload(Proposal.office),
        joinedload(Proposal.merged_into),
        selectinload(Proposal.merged),
    )


def proposals_of(period: ProposalPeriod, state: ProposalState | None = None) -> list[Proposal]:
    query = _listing().where(Proposal.period_id == period.id).order_by(Proposal.number)
    if state is not None:
        query = query.where(Proposal.state == state)
    return list(db.session.execute(query).unique().scalars())


def state_counts(period: ProposalPeriod) -> dict[ProposalState, int]:
    rows = db.session.execute(
        select(Proposal.state, func.count()).where(Proposal.period_id == period.id).group_by(Proposal.state)
    )
    return {state: n for state, n in rows}


def published_proposals(period: ProposalPeriod) -> list[Proposal]:
    query = (
        _listing()
        .where(Proposal.period_id == period.id, Proposal.state.in_(PUBLISHED_STATES))
        .order_by(Proposal.number)
    )
    return list(db.session.execute(query).unique().scalars())


def proposals_by(user) -> list[Proposal]:
    """A deputy's own proposals, or those of a clerk's office."""
    query = _listing().where(Proposal.township_id == user.township_id)
    if user.deputy_id is not None:
        query = query.where(Proposal.deputy_id == user.deputy_id)
    elif user.office_id is not None:
        query = query.where(Proposal.office_id == user.office_id)
    else:
        return []
    return list(db.session.execute(query.order_by(Proposal.created_at.desc())).unique().scalars())


def events_of(proposal: Proposal) -> list[ProposalEvent]:
    return list(
        db.session.execute(
            select(ProposalEvent)
            .where(ProposalEvent.proposal_id == proposal.id)
            .options(joinedload(ProposalEvent.actor))
            .order_by(ProposalEvent.id)
        ).scalars()
    )


def merge_choices(proposal: Proposal) -> list[Proposal]:
    """The proposals this one may be merged into: same period, taken up, not itself."""
    return [
        p
        for p in proposals_of(proposal.period)
        if p.id != proposal.id and p.state in (ProposalState.accepted, ProposalState.forwarded)
    ]
