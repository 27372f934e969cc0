"""What the vote's public pages read: the published result of a township's year, and the projects
a proposal became (through the candidate that answered it, or the proposal it was merged into)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, select

from ..extensions import db
from ..lists.models import Item
from .models import Proposal
from .plan_models import candidate_proposal
from .vote_models import ChosenProject, VoteResult


def published_result(township_id: int, year: int) -> VoteResult | None:
    return db.session.execute(
        select(VoteResult).where(VoteResult.township_id == township_id, VoteResult.year == year)
    ).scalar_one_or_none()


# The order the public lists show results in (each column descending): the latest year first.
NEWEST_FIRST = (VoteResult.year, VoteResult.id)


def published_votes_of(township_id: int) -> Select:
    """The township's published vote results (not ordered: see NEWEST_FIRST)."""
    return select(VoteResult).where(VoteResult.township_id == township_id)


def chosen_projects(result_ids: list[int]) -> dict[tuple[int, int], Item]:
    """(result id, candidate id) → the listed item that chosen candidate became: one query."""
    if not result_ids:
        return {}
    rows = db.session.execute(
        select(ChosenProject.result_id, ChosenProject.candidate_id, Item)
        .join(Item, Item.id == ChosenProject.item_id)
        .where(ChosenProject.result_id.in_(result_ids))
    )
    return {(result_id, candidate_id): item for result_id, candidate_id, item in rows}


def published_years(township_id: int) -> list[int]:
    return list(
        db.session.execute(
            select(VoteResult.year)
            .where(VoteResult.township_id == township_id)
            .order_by(VoteResult.year.desc())
        ).scalars()
    )


def chosen_items(proposals: Iterable[Proposal]) -> dict[int, list[Item]]:
    """proposal id → the listed items its candidate projects became: one query."""
    kept = {p.id: p.merged_into_id or p.id for p in proposals}
    if not kept:
        return {}
    rows = db.session.execute(
        select(candidate_proposal.c.livelihood_proposal_id, Item)
        .join(ChosenProject, ChosenProject.candidate_id == candidate_proposal.c.livelihood_candidate_id)
        .join(Item, Item.id == ChosenProject.item_id)
        .where(candidate_proposal.c.livelihood_proposal_id.in_(set(kept.values())))
        .order_by(Item.number)
    )
    by_kept: dict[int, list[Item]] = {}
    for proposal_id, item in rows:
        by_kept.setdefault(proposal_id, []).append(item)
    return {pid: by_kept[k] for pid, k in kept.items() if k in by_kept}
