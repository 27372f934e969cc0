"""The demo's collection: next year's, 30 proposals in every state, merges keeping proposers, closed
when the congress held the vote on next year's projects."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from supervise.demo import seed_demo
from supervise.extensions import db
from supervise.livelihood.demo import demo_plan
from supervise.livelihood.models import Proposal, ProposalPeriod, ProposalState, ProposerKind
from supervise.livelihood.plan_models import CandidateRemark, PlanState
from supervise.livelihood.vote_operations import chosen_item_of, outcome, rounds_of
from tests.helpers import text_of


def test_the_demo_collects_next_years_proposals(app, client):
    seed_demo()
    db.session.commit()
    period = db.session.execute(select(ProposalPeriod)).scalar_one()
    # The vote on next year's projects has been held: that year's collection closed with it.
    assert not period.is_open and period.closed_at is not None and period.township.slug == "jiangkou"
    proposals = db.session.execute(select(Proposal)).scalars().all()
    assert len(proposals) == 30
    states = Counter(p.state for p in proposals)
    assert states[ProposalState.forwarded] >= 10 and states[ProposalState.merged] >= 4
    assert states[ProposalState.rejected] >= 3 and states[ProposalState.submitted] >= 2
    assert {p.proposer_kind for p in proposals} == set(ProposerKind)
    assert all(p.merged_into.state is not ProposalState.merged for p in proposals if p.merged_into)
    listing = text_of(client.get("/public/jiangkou/proposals/"))
    assert "群众（匿名）" in listing and "并入" in listing
    assert all(p.title not in listing for p in proposals if p.state is ProposalState.rejected)
    form = client.get("/public/jiangkou/proposals/new")
    assert form.status_code == 200 and "不再征集建议" in text_of(form) and "查看票决结果" in text_of(form)
    the_plan_is_voted(period, client)


def the_plan_is_voted(period, client):
    """12 candidates for 10 places, drawn from the taken-up proposals, with 3 deputies' remarks;
    voted on: a tie at the cut settled by a run-off, the result published, 10 projects listed."""
    plan = demo_plan()
    assert plan is not None and plan.state is PlanState.VOTED and plan.period_id == period.id
    assert (plan.places, plan.surplus_percent, len(plan.ballot_candidates)) == (10, 20, 12)
    assert plan.surplus.ok and plan.year == period.year
    answered = [p for c in plan.ballot_candidates for p in c.proposals]
    assert answered and all(p.state is ProposalState.forwarded for p in answered)
    assert all(c.lead_office and c.amount_wan and c.deadline for c in plan.ballot_candidates)
    remarks = db.session.execute(select(CandidateRemark)).scalars().all()
    assert len(remarks) == 3 and len({r.deputy_id for r in remarks}) == 3
    page = text_of(client.get(f"/public/jiangkou/proposals/{answered[0].id}"))
    assert "已列为候选项目：" in page
    rounds = rounds_of(plan)
    assert [(r.number, r.places, len(r.lines)) for r in rounds] == [(1, 10, 12), (2, 1, 2)]
    result = outcome(plan)
    assert result.settled and len(result.chosen) == 10 and result.vacancies == 0
    assert len(result.rounds[0].tied) == 2 and result.rounds[1].chosen
    items = chosen_item_of([c.id for c in plan.ballot_candidates])
    assert len(items) == 10 and all(
        i.chosen_by_vote and i.supervision_list.year == plan.year for i in items.values()
    )
    public = client.get(f"/public/jiangkou/livelihood/{plan.year}/vote")
    assert public.status_code == 200 and "83.3%" in text_of(public)  # 10 of 12 candidates chosen
