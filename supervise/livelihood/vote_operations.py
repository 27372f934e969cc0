"""The vote on a fixed plan: setting up its first round, a run-off round, the outcome from the
closed rounds' ballots, and publishing it, which puts the chosen projects on the year's list.

The hall (roll call, ballots, paper entry, phone codes, closing) is the engine's
(``supervise/ballots``): a round is a ``Meeting`` like the evaluation meeting.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select

from ..ballots import hall
from ..ballots.approval import Outcome, PassBase, Round
from ..ballots.models import Attendance, MeetingState
from ..ballots.shape import Numbers
from ..ballots.tally import line_marks, reconcile, turnout
from ..core.clock import utcnow
from ..core.documents import changed
from ..core.errors import DomainError, PermissionDenied
from ..extensions import db
from ..lists import operations as list_operations
from ..lists.models import ListKind
from . import operations as collection
from . import plan_operations
from .plan_models import Candidate, PlanState, VotePlan
from .plan_workflow import VOTE_BEGUN
from .vote_models import CandidateLine, ChosenProject, VoteResult, VoteRound

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..lists.models import Item


@dataclass(frozen=True, kw_only=True)
class VoteSetup:
    """What the presidium sets when it sets up the vote. The quorum's default is the law's for a
    session of the township congress: two thirds of all deputies or more (地方各级人民代表大会和地方
    各级人民政府组织法第十四条: 有三分之二以上的代表出席，始得举行; 以上 includes two thirds itself)."""

    held_on: date
    place: str = ""
    quorum_numerator: int = 2
    quorum_denominator: int = 3
    quorum_strict: bool = False
    pass_base: PassBase = PassBase.roster
    runoffs: int = 1
    results_hidden_until_closed: bool = True

    def problem(self) -> str | None:
        if not (0 < self.quorum_denominator <= 100 and 0 <= self.quorum_numerator <= self.quorum_denominator):
            return _("法定人数须是不大于 1 的分数，如 1/2 或 2/3。")
        if not 0 <= self.runoffs <= 5:
            return _("另行投票的轮数须在 0 到 5 之间。")
        return None


def rounds_of(plan: VotePlan) -> list[VoteRound]:
    return list(
        db.session.execute(select(VoteRound).where(VoteRound.plan_id == plan.id).order_by(VoteRound.number))
        .scalars()
        .all()
    )


def _vote_begun(plan: VotePlan) -> bool:
    return any(r.state is not MeetingState.preparing for r in rounds_of(plan))


VOTE_BEGUN.append(_vote_begun)


def _require_presidium(user: User, plan: VotePlan) -> None:
    if not user.is_presidium_of(plan.township_id):
        raise PermissionDenied(_("只有本镇主席团可以组织票决。"))


def _open_round(
    plan: VotePlan,
    number: int,
    places: int,
    candidates: list[Candidate],
    setup: VoteSetup,
    user: User,
    like: VoteRound | None = None,
) -> VoteRound:
    """A round with its lines, roster and numbered sheets (one per deputy on the roster)."""
    deputies = hall.active_deputies(plan.township_id)
    if not deputies:
        raise DomainError(_("本镇还没有在任的代表，无法票决。"))
    vote = VoteRound(
        township_id=plan.township_id,
        year=plan.year,
        state=MeetingState.preparing,
        created_by_id=user.id,
        plan_id=plan.id,
        number=number,
        places=places,
        **{**asdict(setup), "place": setup.place.strip()},
    )
    vote.lines = [
        CandidateLine(position=n, title=c.title[:200], candidate_id=c.id)
        for n, c in enumerate(candidates, start=1)
    ]
    # A run-off is held at the same sitting: who was called present stays present.
    called = {row.deputy_id: row for row in like.roster} if like is not None else {}
    vote.roster = [
        Attendance(deputy_id=d.id)
        if d.id not in called
        else Attendance(
            deputy_id=d.id,
            present=called[d.id].present,
            marked_at=called[d.id].marked_at,
            marked_by_id=called[d.id].marked_by_id,
        )
        for d in deputies
    ]
    db.session.add(vote)
    db.session.flush()
    hall.number_sheets(vote, len(deputies))
    changed(SHEETS_KIND, vote.id)  # printed before anyone asks: the papers are needed at the sitting
    return vote


def create_vote(user: User, plan: VotePlan, setup: VoteSetup) -> VoteRound:
    """Set up the vote's first round on a fixed plan: every candidate on the ballot, for N places."""
    _require_presidium(user, plan)
    if plan.state is not PlanState.FIXED:
        raise DomainError(_("候选项目确定后才能组织票决。"))
    if rounds_of(plan):
        raise DomainError(_("这个方案已经组织了票决。"))
    problem = setup.problem()
    if problem:
        raise DomainError(problem)
    return _open_round(plan, 1, plan.places, plan.ballot_candidates, setup, user)


def round_counts(vote: VoteRound) -> tuple[dict[int, Counter[str]], Numbers]:
    """{candidate id: Counter of marks} of a round's valid ballots, and its numbers."""
    marks = line_marks(vote)
    counts = {line.candidate_id: marks.get(line.id, Counter()) for line in vote.lines}  # type: ignore[attr-defined]
    numbers = turnout(vote)
    return counts, Numbers(
        roster=numbers.roster,
        present=numbers.present,
        valid=numbers.ballots - numbers.void_ballots,
        invalid=numbers.void_ballots,
    )


@dataclass(frozen=True)
class RoundResult:
    """A round's result as it stands (ranked lines, passed, chosen, tied) and its candidates' titles."""

    result: Round
    titles: dict[int, str]


def round_result(vote: VoteRound) -> RoundResult:
    counts, numbers = round_counts(vote)
    titles = {line.candidate_id: line.title for line in vote.lines}  # type: ignore[attr-defined]
    return RoundResult(vote.rule.decide_round(counts, numbers, vote.places), titles)


REPORT_KIND = "vote-report"  # the result report's DocumentKind (vote_documents.py)
SHEETS_KIND = "vote-sheets"  # a round's ballot papers' DocumentKind (vote_documents.py)


def start_roll_call(user: User, vote: VoteRound) -> None:
    """The session holds the vote: its roll call starts (the engine's), and the year's collection
    of proposals, if still open, closes: the congress is now deciding that year's list."""
    hall.start_roll_call(user, vote)
    collection.close_for_vote(user, vote.township_id, vote.year)


def close_round(user: User, vote: VoteRound) -> None:
    """Close the round's voting (the engine's rule: only when the reconciliation balances); the
    result report then prints this round too, and is made again once the change is committed."""
    hall.close_voting(user, vote)
    changed(REPORT_KIND, vote.plan_id)


def closed_rounds(plan: VotePlan) -> list[VoteRound]:
    """The plan's rounds that have closed, first to last: what its result and report are made of."""
    return [r for r in rounds_of(plan) if r.state is MeetingState.closed]


def outcome(plan: VotePlan) -> Outcome | None:
    """The vote as its closed rounds stand (None before the first round closes)."""
    closed = closed_rounds(plan)
    if not closed:
        return None
    return closed[0].rule.settle([round_counts(r) for r in closed])


def create_runoff(user: User, plan: VotePlan) -> VoteRound:
    """The run-off the outcome calls for: among the tied (or remaining) candidates, for the places
    still open, with the same sitting's roll call carried over."""
    _require_presidium(user, plan)
    rounds = rounds_of(plan)
    if not rounds or rounds[-1].state is not MeetingState.closed:
        raise DomainError(_("上一轮投票结束后，才能另行投票。"))
    result = outcome(plan)
    if result is None or result.runoff is None:
        raise DomainError(_("票决结果已经确定，不需要另行投票。"))
    order = {c.id: c for c in plan.ballot_candidates}
    candidates = [order[i] for i in sorted(result.runoff.candidates, key=list(order).index)]
    last = rounds[-1]
    setup = VoteSetup(**{f.name: getattr(last, f.name) for f in fields(VoteSetup)})
    return _open_round(plan, last.number + 1, result.runoff.places, candidates, setup, user, like=last)


def publish_result(user: User, plan: VotePlan) -> VoteResult:
    """Publish a settled vote: the result's snapshot, the chosen projects as listed items of the
    year's 民生实事 list (linked to the vote and their proposals), and the plan marked voted."""
    _require_presidium(user, plan)
    result = outcome(plan)
    if result is None or not result.settled:
        raise DomainError(_("票决还没有结束（还须另行投票），不能公布结果。"))
    if db.session.execute(select(VoteResult.id).where(VoteResult.plan_id == plan.id)).first():
        raise DomainError(_("票决结果已经公布过了。"))
    rounds = rounds_of(plan)
    snapshot = _snapshot(plan, rounds, result)
    snapshot.published_by_id = user.id
    db.session.add(snapshot)
    db.session.flush()
    chosen = {c.id: c for c in plan.ballot_candidates}
    items = {}
    for candidate_id in result.chosen:
        item = items[candidate_id] = _item_for(user, plan, chosen[candidate_id], rounds[0])
        db.session.add(ChosenProject(candidate_id=candidate_id, item_id=item.id, result_id=snapshot.id))
    plan_operations.record_vote_fate(user, plan, items)
    plan_operations.fire(user, plan, "vote")
    db.session.flush()
    return snapshot


def _snapshot(plan: VotePlan, rounds: list[VoteRound], result: Outcome) -> VoteResult:
    first = rounds[0]
    check = reconcile(first)
    numbers = turnout(first)
    titles = {c.id: c.title for c in plan.candidates}
    lines = [
        {
            "round": index,
            "candidate_id": line.candidate,
            "title": titles.get(line.candidate, ""),
            "yes": line.yes,
            "no": line.no,
            "abstain": line.abstain,
            "invalid": line.invalid,
            "passed": line.passed,
            "chosen": line.chosen,
            "tied": line.tied,
        }
        for index, round_result in enumerate(result.rounds, start=1)
        for line in round_result.lines
    ]
    return VoteResult(
        plan_id=plan.id,
        township_id=plan.township_id,
        year=plan.year,
        held_on=first.held_on,
        title=first.title,
        rule_text=first.rule.text(),
        roster=numbers.roster,
        present=numbers.present,
        # Paper and phone together, as the report prints them (reconciliation.py).
        issued=check.ballots_issued,
        returned=check.ballots_returned,
        valid=numbers.ballots - numbers.void_ballots,
        invalid=numbers.void_ballots,
        places=plan.places,
        candidates=len(result.rounds[0].lines),
        chosen=len(result.chosen),
        vacancies=result.vacancies,
        lines=lines,
    )


def _item_for(user: User, plan: VotePlan, candidate: Candidate, first: VoteRound) -> Item:
    proposals = "、".join(p.reference for p in candidate.proposals)
    source = _("%(day)s 镇人民代表大会票决产生", day=first.held_on.isoformat())
    if proposals:
        source += _("；来源建议：%(refs)s", refs=proposals)
    fields = {
        "title": candidate.title,
        "description": candidate.content,
        "target": candidate.target or candidate.title,
        "lead_office_id": candidate.lead_office_id,
        "deadline": candidate.deadline,
        "planned_funds": candidate.amount_wan,
        "planned_funds_approx": candidate.amount_approximate,
        "funds_source": candidate.fund_source,
        "source": source,
    }
    item = list_operations.create_item(
        user,
        list_operations.list_of_year(user, plan.township_id, plan.year, ListKind.livelihood),
        fields,
        joint_leads=candidate.joint_lead_offices,
    )
    item.chosen_by_vote = True
    # The congress's vote is what lists a livelihood project: the chosen are listed at once,
    # whatever else the list holds in draft.
    list_operations.fire(user, item, "confirm", whole_list=True)
    listed = item.supervision_list
    if listed.confirmed_at is None:
        listed.confirmed_at, listed.confirmed_by_id = utcnow(), user.id
    return item


def chosen_item_of(candidate_ids: list[int]) -> dict[int, Item]:
    """{candidate id: the item it became}, for the candidates the vote chose."""
    if not candidate_ids:
        return {}
    rows = db.session.execute(
        select(ChosenProject).where(ChosenProject.candidate_id.in_(candidate_ids))
    ).scalars()
    return {row.candidate_id: row.item for row in rows}
