"""Once the congress holds the vote on a year's projects, that year's collection is over: holding it
closes the collection, the public form says the year's list is being decided, nothing more is
taken, the collection cannot be reopened, and a new plan does not draw on the decided year."""

from __future__ import annotations

from supervise.core.clock import today
from supervise.extensions import db
from supervise.livelihood import operations as collect
from supervise.livelihood import plan_operations as plan_ops
from supervise.livelihood.models import Proposal
from supervise.livelihood.plan_models import VotePlan
from tests.helpers import count, form_values, html_of, refused, text_of
from tests.livelihood.test_vote import Voting

COLLECTING_LINE = "征集期间可以在这里提交建议"
FORM = {"title": "冷水沟村安装路灯", "problem": "村道夜间没有照明。", "proposer_name": "张秀英"}


def test_holding_the_vote_closes_the_years_collection(factory, client, login_as):
    voting = Voting(factory)
    period = voting.planning.collecting.period
    new_proposal = f"/public/{voting.planning.collecting.slug}/proposals/new"
    assert period.is_open and "提交建议" in text_of(client.get(new_proposal))
    login_as(voting.chair)
    started = client.post(f"/livelihood/votes/{voting.vote.id}/actions/start_roll_call")
    assert started.status_code == 302
    db.session.refresh(period)
    assert not period.is_open and period.closed_by_id == voting.chair.id
    client.post("/logout")
    form = text_of(client.get(new_proposal))
    assert f"{voting.plan.year}年的民生实事项目由镇人民代表大会票决" in form and "不再征集" in form
    assert COLLECTING_LINE not in form  # no "you may propose here" under "the year is decided"
    before = count(Proposal)
    refused_post = client.post(new_proposal, data=FORM)
    assert refused_post.status_code == 409 and count(Proposal) == before
    assert "不再征集" in text_of(refused_post) and COLLECTING_LINE not in text_of(refused_post)
    # The presidium cannot open it again for a year the congress is deciding.
    login_as(voting.chair)
    again = client.post(f"/livelihood/periods/{period.id}/open")
    assert again.status_code == 409 and "征集不能再开始" in text_of(again)
    db.session.refresh(period)
    assert not period.is_open


def test_a_collection_left_open_takes_nothing_for_a_year_being_voted_on(factory, client):
    voting = Voting(factory)
    voting.open()  # the engine's own roll call: the collection's row is left as it was
    period = voting.planning.collecting.period
    form = text_of(client.get(f"/public/{voting.planning.collecting.slug}/proposals/new"))
    assert "不再征集建议" in form and COLLECTING_LINE not in form
    text = collect.ProposalText(title="路灯", problem="夜间没有照明。", proposer_name="张秀英")
    refused(lambda: collect.submit_proposal(period, text), "票决", "不再征集")
    refused(lambda: collect.open_period(voting.chair, period), "征集不能再开始")
    # Nor can a new collection be set up for that year: it could never be opened.
    township = period.township
    refused(lambda: collect.create_period(voting.chair, township, period.year, today(), None), "不再征集建议")


def test_a_new_plan_does_not_draw_on_a_decided_years_collection(factory, client, login_as):
    voting = Voting(factory)
    voting.open()
    period, year = voting.planning.collecting.period, voting.plan.year
    login_as(voting.chair)
    html = html_of(client.get("/livelihood/plans/"))
    assert ("year", str(year + 1)) in form_values(html, "year")
    assert ("period_id", "") in form_values(html, "period_id")  # not the decided year's collection
    linked = client.post(
        "/livelihood/plans/new",
        data={"period_id": str(period.id), "year": str(year + 1), "places": "3", "surplus_percent": "20"},
    )
    assert linked.status_code == 409
    assert f"{year}年的项目征集" in text_of(linked) and f"{year + 1}" in text_of(linked)
    assert db.session.query(VotePlan).filter_by(year=year + 1).count() == 0
    refused(
        lambda: plan_ops.create_plan(voting.chair, voting.planning.collecting.township, year + 1, period, 3),
        f"{year}年的项目征集",
    )
    assert today().year + 1 == year  # the fixture's collection is next year's
