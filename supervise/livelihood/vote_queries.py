"""What the vote's public pages read: the published result of a township's year, and the projects
a proposal became (through the candidate that answered it, or the proposal it was merged into)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import get_locale
from sqlalchemy import Select, select

from ..extensions import db
from ..lists.models import Item
from .models import Proposal
from .plan_models import Candidate, PlanState, VotePlan, candidate_proposal
from .vote_models import ChosenProject, VoteResult, VoteRound


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


@dataclass
class Fate:
    """What became of a proposal at the vote: the candidates that answered it ("已列为候选项目"),
    the items those the vote chose became ("已当选"), and the year of the published result whose
    vote did not choose any of them ("未当选")."""

    titles: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    result_year: int | None = None

    @property
    def chosen(self) -> bool:
        return bool(self.items)

    @property
    def not_chosen(self) -> bool:
        return not self.items and self.result_year is not None


def proposal_fates(proposals: Iterable[Proposal], *, public: bool = False) -> dict[int, Fate]:
    """proposal id → its Fate, through the candidates (not withdrawn) that answer it or the proposal
    it was merged into. Two queries. The public pages name only the candidates of a fixed list."""
    proposals = list(proposals)
    kept = {p.id: p.merged_into_id or p.id for p in proposals}
    if not kept:
        return {}
    rows = db.session.execute(
        select(candidate_proposal.c.livelihood_proposal_id, Candidate.id, Candidate.title, VoteResult.year)
        .join(Candidate, Candidate.id == candidate_proposal.c.livelihood_candidate_id)
        .join(VotePlan, VotePlan.id == Candidate.plan_id)
        .outerjoin(VoteResult, VoteResult.plan_id == VotePlan.id)
        .where(
            candidate_proposal.c.livelihood_proposal_id.in_(set(kept.values())),
            Candidate.withdrawn_at.is_(None),
            *([VotePlan.state != PlanState.DRAFTING] if public else []),
        )
        .order_by(Candidate.position, Candidate.id)
    ).all()
    items = (
        dict(
            db.session.execute(
                select(ChosenProject.candidate_id, Item)
                .join(Item, Item.id == ChosenProject.item_id)
                .where(ChosenProject.candidate_id.in_({row[1] for row in rows}))
            ).all()
        )
        if rows
        else {}
    )
    by_kept: dict[int, Fate] = {}
    for proposal_id, candidate_id, title, year in rows:
        fate = by_kept.setdefault(proposal_id, Fate())
        fate.titles.append(title)
        if candidate_id in items:
            fate.items.append(items[candidate_id])
        if year is not None:
            fate.result_year = year
    return {pid: by_kept[k] for pid, k in kept.items() if k in by_kept}


@dataclass
class VoteOrigin:
    """Where a chosen item came from: the published result of its vote and its source proposals."""

    result: VoteResult
    slug: str
    proposals: list[Proposal]


def vote_origin(item: Item) -> VoteOrigin | None:
    """The vote that chose this item and the proposals its candidate answered (the item page's 来源)."""
    row = db.session.execute(
        select(ChosenProject, VoteResult)
        .join(VoteResult, VoteResult.id == ChosenProject.result_id)
        .where(ChosenProject.item_id == item.id)
    ).first()
    if row is None:
        return None
    chosen, result = row
    return VoteOrigin(result, result.plan.township.slug, list(chosen.candidate.proposals))


def reader_rule_text(result: VoteResult) -> str:
    """The result's rule in the reader's language: the text published with it for a Chinese reader,
    else the same rule (stored on the vote's first round, unchanged since) said again in theirs."""
    if str(get_locale() or "").startswith("zh"):
        return result.rule_text
    first = db.session.execute(
        select(VoteRound).where(VoteRound.plan_id == result.plan_id, VoteRound.number == 1)
    ).scalar_one_or_none()
    return first.rule.text() if first is not None else result.rule_text
