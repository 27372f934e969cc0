"""The vote on a fixed plan, through the ballot engine: phone and paper ballots, the whole-ballot
rule, a tie resolved by a run-off, publishing (the chosen projects listed on the year's list,
linked to their proposals), and a chosen project's later change needing a congress decision."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from supervise.ballots import hall, paper, phone
from supervise.ballots.approval import PassBase, Vote
from supervise.ballots.models import BallotKind, MeetingState
from supervise.core.clock import today
from supervise.core.errors import DomainError
from supervise.extensions import db
from supervise.lists import operations as list_ops
from supervise.lists.models import ItemState, ListKind
from supervise.livelihood import plan_operations as plan_ops
from supervise.livelihood import vote_operations as ops
from supervise.livelihood.plan_models import PlanState
from supervise.livelihood.vote_models import ChosenProject, VoteResult, VoteRound
from supervise.livelihood.vote_queries import chosen_items
from tests.helpers import refused
from tests.livelihood.planning import start_planning

Y, N, A = Vote.yes, Vote.no, Vote.abstain


class Voting:
    """A fixed plan of 3 candidates for 2 places, 5 deputies, and its vote."""

    def __init__(self, factory, candidates: int = 3, places: int = 2, deputies: int = 5, **setup):
        self.planning = start_planning(factory, places=places)
        self.deputies = [factory.deputy(self.planning.collecting.township) for _ in range(deputies)]
        self.planning.candidates(candidates)
        self.plan = self.planning.plan
        plan_ops.fire(self.chair, self.plan, "fix")
        db.session.commit()
        setup.setdefault("held_on", today())
        self.vote = ops.create_vote(self.chair, self.plan, ops.VoteSetup(**setup))
        db.session.commit()

    @property
    def chair(self):
        return self.planning.chair

    def line_ids(self, vote: VoteRound | None = None) -> list[int]:
        return [line.id for line in (vote or self.vote).lines]

    def open(self, vote: VoteRound | None = None, present: int | None = None) -> list[int]:
        vote = vote or self.vote
        if vote.state is MeetingState.preparing:
            hall.start_roll_call(self.chair, vote)
        ids = [row.deputy_id for row in vote.roster][:present]
        for deputy_id in ids:
            if not next(r for r in vote.roster if r.deputy_id == deputy_id).present:
                hall.mark_attendance(self.chair, vote, deputy_id, True)
        hall.open_voting(self.chair, vote)
        db.session.commit()
        return ids

    def phone_ballots(self, ballots: list[list[str]], vote: VoteRound | None = None) -> None:
        vote = vote or self.vote
        free = [row.deputy_id for row in vote.roster if row.present and row.ballot_kind is None]
        for deputy_id in free[: len(ballots)]:
            hall.hand_out(self.chair, vote, deputy_id, BallotKind.phone)
        codes = phone.draw_codes(self.chair, vote, len(ballots))
        db.session.commit()
        for code, marks in zip(codes, ballots, strict=True):
            phone.submit_phone_ballot(code, vote.id, dict(zip(self.line_ids(vote), marks, strict=True)))
            db.session.commit()

    def close(self, vote: VoteRound | None = None) -> None:
        hall.close_voting(self.chair, vote or self.vote)
        db.session.commit()


@pytest.fixture
def voting(factory) -> Voting:
    return Voting(factory)


def test_the_first_round_puts_every_candidate_on_the_ballot(voting):
    assert [line.title for line in voting.vote.lines] == ["候选项目1", "候选项目2", "候选项目3"]
    assert len(voting.vote.roster) == 5 and voting.vote.places == 2
    # The quorum's default is the law's for a session: two thirds of all deputies or more.
    quorum = voting.vote.quorum
    assert (quorum.numerator, quorum.denominator, quorum.strict) == (2, 3, False)
    refused(lambda: ops.create_vote(voting.chair, voting.plan, ops.VoteSetup(held_on=today())), "已经组织")


def test_a_plan_not_fixed_cannot_be_voted_on(factory):
    planning = start_planning(factory)
    planning.candidates(3)
    refused(lambda: ops.create_vote(planning.chair, planning.plan, ops.VoteSetup(held_on=today())), "确定后")


def test_the_quorum_is_checked_before_voting_opens(voting):
    hall.start_roll_call(voting.chair, voting.vote)
    for row in voting.vote.roster[:2]:
        hall.mark_attendance(voting.chair, voting.vote, row.deputy_id, True)
    refused(lambda: hall.open_voting(voting.chair, voting.vote), "未达到法定人数")


def test_a_phone_ballot_with_more_yes_than_places_is_refused_and_says_why(voting):
    voting.open()
    hall.hand_out(voting.chair, voting.vote, voting.vote.roster[0].deputy_id, BallotKind.phone)
    (code,) = phone.draw_codes(voting.chair, voting.vote, 1)
    db.session.commit()
    marks = dict(zip(voting.line_ids(), [Y, Y, Y], strict=True))
    refused(lambda: phone.submit_phone_ballot(code, voting.vote.id, marks), "最多可投 2 个赞成票", "没有计入")


def test_a_paper_sheet_with_more_yes_than_places_is_a_void_ballot(voting):
    voting.open()
    deputy = voting.vote.roster[0].deputy_id
    hall.hand_out(voting.chair, voting.vote, deputy, BallotKind.paper)
    paper.issue_serials(voting.chair, voting.vote, [1])
    ticks = {line_id: [Y.value] for line_id in voting.line_ids()}
    paper.enter_paper(voting.chair, voting.vote, 1, ticks)
    db.session.commit()
    counts, numbers = ops.round_counts(voting.vote)
    assert (numbers.valid, numbers.invalid) == (0, 1)
    # Its lines count as invalid, never as a 赞成, 不赞成 or 弃权.
    assert all(c[Y.value] == c[N.value] == c[A.value] == 0 and c["invalid"] == 1 for c in counts.values())


def test_a_blank_line_on_paper_counts_as_abstain(voting):
    voting.open()
    hall.hand_out(voting.chair, voting.vote, voting.vote.roster[0].deputy_id, BallotKind.paper)
    paper.issue_serials(voting.chair, voting.vote, [1])
    first, second, third = voting.line_ids()
    paper.enter_paper(voting.chair, voting.vote, 1, {first: [Y.value], second: [N.value], third: []})
    db.session.commit()
    counts, numbers = ops.round_counts(voting.vote)
    candidates = [line.candidate_id for line in voting.vote.lines]
    assert numbers.valid == 1
    assert counts[candidates[2]][A.value] == 1 and counts[candidates[0]][Y.value] == 1


def test_the_chosen_are_published_listed_and_linked_to_their_proposals(voting):
    voting.open()
    voting.phone_ballots([[Y, Y, N], [Y, Y, N], [Y, N, Y], [Y, Y, A], [N, Y, Y]])
    voting.close()
    result = ops.outcome(voting.plan)
    first, second, third = [line.candidate_id for line in voting.vote.lines]
    assert result.settled and result.chosen == [first, second]
    published = ops.publish_result(voting.chair, voting.plan)
    db.session.commit()
    assert (published.roster, published.present, published.returned, published.valid) == (5, 5, 5, 5)
    assert (published.candidates, published.chosen, published.vacancies) == (3, 2, 0)
    assert voting.plan.state is PlanState.VOTED
    links = db.session.execute(select(ChosenProject)).scalars().all()
    items = sorted((link.item for link in links), key=lambda item: item.number)
    assert [item.title for item in items] == ["候选项目1", "候选项目2"]
    assert all(item.state is ItemState.listed and item.chosen_by_vote for item in items)
    assert {item.supervision_list.kind for item in items} == {ListKind.livelihood}
    assert {item.supervision_list.year for item in items} == {voting.plan.year}
    refused(lambda: ops.publish_result(voting.chair, voting.plan), "已经公布")


def test_a_proposal_leads_to_the_item_its_candidate_became(factory):
    voting = Voting(factory, runoffs=0)
    candidate = voting.plan.ballot_candidates[0]
    proposal = voting.planning.proposals[0]
    candidate.proposals = [proposal]
    db.session.commit()
    voting.open()
    voting.phone_ballots([[Y, N, N]] * 5)
    voting.close()
    ops.publish_result(voting.chair, voting.plan)
    db.session.commit()
    (item,) = chosen_items([proposal])[proposal.id]
    assert item.title == candidate.title
    assert "票决产生" in item.source and proposal.reference in item.source


def test_a_tie_at_the_cut_is_resolved_by_a_runoff(voting):
    voting.open()
    # 候选项目1: 4 赞成; 候选项目2 and 3: 3 赞成 each, tied for the second place.
    voting.phone_ballots([[Y, Y, N], [Y, Y, N], [Y, N, Y], [Y, N, Y], [N, Y, Y]])
    voting.close()
    result = ops.outcome(voting.plan)
    first, second, third = [line.candidate_id for line in voting.vote.lines]
    assert result.chosen == [first] and result.runoff is not None
    assert sorted(result.runoff.candidates) == sorted([second, third]) and result.runoff.places == 1
    refused(lambda: ops.publish_result(voting.chair, voting.plan), "另行投票")
    runoff = ops.create_runoff(voting.chair, voting.plan)
    db.session.commit()
    assert runoff.number == 2 and runoff.places == 1 and len(runoff.lines) == 2
    # The same sitting: whoever was called present is still present.
    assert all(row.present for row in runoff.roster)
    voting.open(runoff)
    voting.phone_ballots([[Y, N], [Y, N], [Y, N], [N, Y], [A, Y]], runoff)
    voting.close(runoff)
    result = ops.outcome(voting.plan)
    assert result.settled and result.chosen == [first, second] and result.vacancies == 0
    published = ops.publish_result(voting.chair, voting.plan)
    assert [line["round"] for line in published.lines] == [1, 1, 1, 2, 2]


def test_fewer_passing_than_places_without_runoffs_leaves_a_vacancy(factory):
    voting = Voting(factory, runoffs=0)
    voting.open()
    voting.phone_ballots([[Y, N, N], [Y, N, N], [Y, Y, N], [Y, N, N], [N, N, N]])
    voting.close()
    result = ops.outcome(voting.plan)
    assert result.settled and len(result.chosen) == 1 and result.vacancies == 1
    refused(lambda: ops.create_runoff(voting.chair, voting.plan), "不需要另行投票")


def test_the_pass_base_can_be_the_valid_ballots(factory):
    voting = Voting(factory, pass_base=PassBase.valid)
    voting.open(present=4)
    voting.phone_ballots([[Y, Y, N], [Y, Y, N], [N, N, Y]])
    voting.close()
    result = ops.outcome(voting.plan)
    # 2 赞成 of 3 valid ballots is more than half; of 5 deputies it would not be.
    assert len(result.chosen) == 2


def test_a_chosen_project_changes_only_with_a_congress_decision(voting):
    voting.open()
    voting.phone_ballots([[Y, Y, N]] * 5)
    voting.close()
    ops.publish_result(voting.chair, voting.plan)
    db.session.commit()
    item = db.session.execute(select(ChosenProject)).scalars().first().item
    later = item.deadline + timedelta(days=30)
    refused(
        lambda: list_ops.amend_item(voting.chair, item, {"deadline": later}, item.version, reason="工期顺延"),
        "人大的决定",
    )
    db.session.rollback()
    list_ops.amend_item(
        voting.chair,
        item,
        {"deadline": later},
        item.version,
        reason="工期顺延",
        decision="镇人大主席团〔2027〕3号",
    )
    db.session.commit()
    assert item.deadline == later
    assert item.events[-1].details.get("decision") == "镇人大主席团〔2027〕3号"


def test_a_vote_begun_keeps_the_candidates_fixed(voting):
    hall.start_roll_call(voting.chair, voting.vote)
    db.session.commit()
    with pytest.raises(DomainError):
        plan_ops.fire(voting.chair, voting.plan, "reopen")


def test_the_published_result_is_one_per_plan(voting):
    voting.open()
    voting.phone_ballots([[Y, Y, N]] * 5)
    voting.close()
    ops.publish_result(voting.chair, voting.plan)
    db.session.commit()
    assert db.session.execute(select(VoteResult)).scalars().one().plan_id == voting.plan.id
