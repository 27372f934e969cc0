"""The presidium's side: periods, decisions on proposals, merges that keep every proposer; deputies
and offices proposing; who may do what, and other townships' records not found."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from supervise.core.errors import DomainError, PermissionDenied
from supervise.core.history import HistoryIsAppendOnly
from supervise.extensions import db
from supervise.livelihood import operations as ops
from supervise.livelihood.models import Proposal, ProposalEvent, ProposalPeriod, ProposalState, ProposerKind
from supervise.livelihood.workflow import WORKFLOW, ProposalInput
from tests.helpers import count, refused, text_of

from .conftest import start_collecting

S = ProposalState


def test_accept_forward_and_the_events(collecting, client, login_as):
    proposal = collecting.propose()
    login_as(collecting.chair)
    assert client.post(f"/livelihood/proposals/{proposal.id}/actions/accept").status_code == 302
    assert client.post(f"/livelihood/proposals/{proposal.id}/actions/forward").status_code == 302
    proposal = db.session.get(Proposal, proposal.id)
    assert proposal.state is S.forwarded and proposal.decided_by_id == collecting.chair.id
    events = db.session.execute(select(ProposalEvent).order_by(ProposalEvent.id)).scalars().all()
    assert [(e.action, e.from_state, e.to_state) for e in events] == [
        ("create", None, S.submitted),
        ("accept", S.submitted, S.accepted),
        ("forward", S.accepted, S.forwarded),
    ]
    again = client.post(f"/livelihood/proposals/{proposal.id}/actions/accept")
    assert again.status_code == 409 and "不能" in text_of(again)
    events[0].reason = "改写历史"
    with pytest.raises(HistoryIsAppendOnly):
        db.session.flush()
    db.session.rollback()


def test_rejecting_needs_a_reason(collecting, client, login_as):
    proposal = collecting.propose()
    login_as(collecting.chair)
    empty = client.post(f"/livelihood/proposals/{proposal.id}/actions/reject", data={"reason": "  "})
    assert empty.status_code == 409 and "请填写不予采纳的理由" in text_of(empty)
    assert db.session.get(Proposal, proposal.id).state is S.submitted
    done = client.post(
        f"/livelihood/proposals/{proposal.id}/actions/reject", data={"reason": "不属于镇级事权。"}
    )
    assert done.status_code == 302
    proposal = db.session.get(Proposal, proposal.id)
    assert (proposal.state, proposal.rejection_reason) == (S.rejected, "不属于镇级事权。")


def test_merging_keeps_every_proposer(collecting, client, login_as, factory):
    kept = collecting.decide(collecting.propose(title="江口社区健身广场", proposer_name="甲"), "accept")
    first = collecting.decide(collecting.propose(title="健身场地", proposer_name="乙"), "accept")
    earlier = collecting.decide(
        collecting.propose(title="广场舞场地", proposer_name="丙"), "merge", kept=first
    )
    deputy = factory.user("deputy", township=collecting.township)
    by_deputy = collecting.propose(user=deputy, title="社区健身器材")
    login_as(collecting.chair)
    # The kept proposal must have been taken up.
    unready = client.post(f"/livelihood/proposals/{kept.id}/actions/merge", data={"kept": str(by_deputy.id)})
    assert unready.status_code == 409 and "请先采纳它" in text_of(unready)
    assert (
        client.post(
            f"/livelihood/proposals/{first.id}/actions/merge", data={"kept": str(kept.id)}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/livelihood/proposals/{by_deputy.id}/actions/merge", data={"kept": str(kept.id)}
        ).status_code
        == 302
    )
    db.session.expire_all()
    kept = db.session.get(Proposal, kept.id)
    # Merged into the merged one earlier: now points at the kept one too, nobody lost.
    assert db.session.get(Proposal, earlier.id).merged_into_id == kept.id
    assert {p.proposer_name for p in kept.all_proposals} == {"甲", "乙", "丙", deputy.deputy.name}
    page = text_of(client.get(f"/livelihood/proposals/{kept.id}"))
    assert all(name in page for name in ("甲", "乙", "丙", deputy.deputy.name))
    with pytest.raises(DomainError, match="它自己"):
        ops.decide(collecting.chair, kept, "merge", ProposalInput(kept=kept))


def test_only_the_townships_presidium_decides(collecting, factory, client, login_as):
    proposal = collecting.propose()
    other = start_collecting(factory, factory.township("石泉镇"))
    theirs = other.propose(title="石泉镇的项目")
    login_as("deputy", township=collecting.township)
    # Another's unpublished proposal is no page for a deputy; a published one is, but not theirs to decide.
    assert client.post(f"/livelihood/proposals/{proposal.id}/actions/accept").status_code == 404
    published = collecting.decide(collecting.propose(title="已采纳的"), "accept")
    assert client.get(f"/livelihood/proposals/{published.id}").status_code == 200
    assert client.post(f"/livelihood/proposals/{published.id}/actions/forward").status_code == 403
    assert client.post(f"/livelihood/periods/{collecting.period.id}/close").status_code == 403
    client.post("/logout")
    login_as(collecting.chair)
    assert client.get(f"/livelihood/proposals/{theirs.id}").status_code == 404
    assert client.post(f"/livelihood/proposals/{theirs.id}/actions/accept").status_code == 404
    assert client.get(f"/livelihood/periods/{other.period.id}").status_code == 404
    assert client.post(f"/livelihood/periods/{other.period.id}/close").status_code == 404
    # Nor can a foreign proposal be the kept one of a merge.
    collecting.decide(proposal, "accept")
    mine = collecting.propose(title="另一条")
    other.decide(theirs, "accept")
    foreign = client.post(f"/livelihood/proposals/{mine.id}/actions/merge", data={"kept": str(theirs.id)})
    assert foreign.status_code == 409 and db.session.get(Proposal, mine.id).state is S.submitted
    refused(lambda: ops.decide(other.chair, proposal, "forward"), "您不能")
    assert WORKFLOW.available(proposal, other.chair) == []


def test_the_presidium_opens_and_closes_the_period(factory, client, login_as):
    chair = login_as("presidium")
    page = client.post(
        "/livelihood/periods/new", data={"year": "2031", "starts_on": "2030-10-01", "ends_on": ""}
    )
    assert page.status_code == 302
    period = db.session.execute(select(ProposalPeriod)).scalar_one()
    assert not period.is_open
    twice = client.post("/livelihood/periods/new", data={"year": "2031", "starts_on": "2030-10-01"})
    assert twice.status_code == 409 and "已经存在" in text_of(twice)
    backwards = client.post(
        "/livelihood/periods/new", data={"year": "2032", "starts_on": "2031-10-01", "ends_on": "2031-09-01"}
    )
    assert backwards.status_code == 409 and "截止日期不能早于开始日期" in text_of(backwards)
    assert "2031-09-01" in backwards.get_data(as_text=True)
    assert client.post(f"/livelihood/periods/{period.id}/open").status_code == 302
    assert db.session.get(ProposalPeriod, period.id).opened_at is not None
    detail = client.get(f"/livelihood/periods/{period.id}")
    assert detail.status_code == 200 and "data:image/svg+xml" in detail.get_data(as_text=True)
    assert 'data-confirm="' in detail.get_data(as_text=True)
    poster = client.get(f"/livelihood/periods/{period.id}/poster")
    assert poster.status_code == 200 and f"/public/{chair.township.slug}/proposals/new" in text_of(poster)
    assert client.post(f"/livelihood/periods/{period.id}/close").status_code == 302
    assert db.session.get(ProposalPeriod, period.id).closed_at is not None


def test_deputies_and_offices_propose_and_see_their_own(collecting, factory, client, login_as):
    deputy = login_as("deputy", township=collecting.township)
    form = client.get(f"/livelihood/periods/{collecting.period.id}/proposals/new")
    assert form.status_code == 200 and 'name="viewport"' in form.get_data(as_text=True)
    bad = client.post(f"/livelihood/periods/{collecting.period.id}/proposals/new", data={"problem": "缺路灯"})
    assert bad.status_code == 400 and "缺路灯" in bad.get_data(as_text=True)
    sent = client.post(
        f"/livelihood/periods/{collecting.period.id}/proposals/new",
        data={"title": "高桥村路灯", "problem": "缺路灯", "cost_wan": "8"},
    )
    assert sent.status_code == 302
    mine = db.session.execute(select(Proposal)).scalar_one()
    assert (mine.proposer_kind, mine.deputy_id, mine.proposer_name) == (
        ProposerKind.deputy,
        deputy.deputy_id,
        deputy.deputy.name,
    )
    assert "高桥村路灯" in text_of(client.get("/livelihood/mine"))

    client.post("/logout")
    clerk = login_as("government", township=collecting.township)
    assert client.get(f"/livelihood/proposals/{mine.id}").status_code == 404  # another's, unpublished
    client.post(
        f"/livelihood/periods/{collecting.period.id}/proposals/new",
        data={"title": "集镇垃圾中转站", "problem": "垃圾清运不及时"},
    )
    theirs = db.session.execute(select(Proposal).where(Proposal.office_id == clerk.office_id)).scalar_one()
    assert theirs.proposer_kind is ProposerKind.office
    assert "高桥村路灯" not in text_of(client.get("/livelihood/mine"))
    assert client.get(f"/livelihood/periods/{collecting.period.id}").status_code == 403
    with pytest.raises(PermissionDenied):
        ops.submit_proposal(collecting.period, ops.ProposalText(title="x", problem="y"), collecting.chair)


def test_nothing_is_proposed_while_closed(collecting, factory):
    ops.close_period(collecting.chair, collecting.period)
    with pytest.raises(DomainError, match="没有在进行"):
        collecting.propose()
    assert count(Proposal) == 0


def test_the_presidium_list_filters_and_costs_the_same_for_more(collecting, client, login_as, count_queries):
    login_as(collecting.chair)
    url = f"/livelihood/periods/{collecting.period.id}"

    def statements() -> int:
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    for n in range(3):
        collecting.decide(collecting.propose(title=f"项目{n}"), "accept")
    few = statements()
    kept = db.session.execute(select(Proposal)).scalars().first()
    for n in range(12):
        proposal = collecting.propose(title=f"重复{n}")
        if n % 2:
            collecting.decide(proposal, "merge", kept=kept)
    assert statements() == few
    rejected = collecting.decide(collecting.propose(title="不采纳的"), "reject", reason="重复")
    only = text_of(client.get(f"{url}?state=rejected"))
    assert rejected.title in only and "项目1" not in only


def test_a_deputy_never_sees_a_resident_merged_into_their_proposal(collecting, client, login_as, factory):
    """The deputy sees who proposed their own proposal; an anonymous resident merged into it stays
    anonymous to them (only the presidium knows residents), and the cost reads as lists write it."""
    deputy = factory.user("deputy", township=collecting.township)
    mine = collecting.decide(
        collecting.propose(user=deputy, title="社区健身器材", cost_wan=Decimal("30"), cost_approximate=True),
        "accept",
    )
    resident = collecting.propose(
        title="健身场地", proposer_name="秘密张三", proposer_contact="13912345678", anonymous=True
    )
    collecting.decide(resident, "merge", kept=mine)
    login_as(deputy)
    page = text_of(client.get(f"/livelihood/proposals/{mine.id}"))
    assert deputy.deputy.name in page and "30余万元" in page
    assert "秘密张三" not in page and "13912345678" not in page
    public = client.get(f"/public/{collecting.slug}/proposals/")
    assert public.status_code == 200 and "30余万元" in text_of(public) and "秘密张三" not in text_of(public)


def test_a_deputys_double_click_proposes_once(collecting, client, login_as, factory):
    deputy = factory.user("deputy", township=collecting.township)
    login_as(deputy)
    address = f"/livelihood/periods/{collecting.period.id}/proposals/new"
    key = re.search(r'name="submission_key"[^>]*value="([^"]+)"', client.get(address).get_data(as_text=True))
    data = {"title": "村口路灯", "problem": "夜间无照明。", "submission_key": key.group(1)}

    first, second = client.post(address, data=data), client.post(address, data=data)

    assert first.status_code == second.status_code == 302 and first.location == second.location
    assert count(Proposal) == 1
