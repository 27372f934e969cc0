"""A proposer follows their proposal past the vote: 已当选 with a link to the item it became, or
未当选 with a link to the published result, on every page that shows a proposal's fate; its
history says so; the result is linked from the township's board and the proposals list."""

from __future__ import annotations

import re

import pytest

from supervise.ballots.approval import Vote
from supervise.extensions import db
from supervise.livelihood import vote_operations as ops
from tests.helpers import html_of, text_of
from tests.livelihood.test_vote import Voting

Y, N = Vote.yes, Vote.no


@pytest.fixture
def voted(factory, login_as):
    """Candidate 1 (answering a deputy's proposal) chosen; candidate 2 (answering a resident's
    proposal, with another merged into it) not chosen; the result published."""
    voting = Voting(factory, runoffs=0)
    collecting = voting.planning.collecting
    deputy = factory.user("deputy", township=collecting.township)
    db.session.commit()
    own = collecting.propose(deputy, title="村卫生室改造")
    collecting.decide(own, "accept")
    first, second, _third = voting.plan.ballot_candidates
    first.proposals = [own]
    second.proposals = [voting.planning.proposals[1]]
    db.session.commit()
    voting.open()
    voting.phone_ballots([[Y, N, N]] * 5)
    voting.close()
    ops.publish_result(voting.chair, voting.plan)
    db.session.commit()
    voting.own, voting.deputy = own, deputy
    voting.item = ops.chosen_item_of([first.id])[first.id]
    return voting


def _cell(html: str, proposal_id: int) -> str:
    return re.search(rf'<tr id="p-{proposal_id}">(.*?)</tr>', html, re.S).group(1)


def test_the_public_list_says_chosen_or_not_and_links_the_result(voted, client):
    slug, year = voted.planning.collecting.slug, voted.plan.year
    html = html_of(client.get(f"/public/{slug}/proposals/"))
    result_url = f"/public/{slug}/livelihood/{year}/vote"
    chosen = _cell(html, voted.own.id)
    assert "已当选" in chosen and f"#project-{voted.item.id}" in chosen
    for proposal in voted.planning.proposals[1:3]:  # the one not chosen, and the one merged into it
        cell = _cell(html, proposal.id)
        assert "未当选" in cell and result_url in cell and "已当选" not in cell
    assert f'href="{result_url}"' in html.split("<table")[0]  # above the list too


def test_a_not_chosen_proposals_public_page_says_so(voted, client):
    slug = voted.planning.collecting.slug
    proposal = voted.planning.proposals[1]
    page = text_of(client.get(f"/public/{slug}/proposals/{proposal.id}"))
    assert "未当选" in page and f"查看{voted.plan.year}年票决结果" in page
    track = html_of(client.get(f"/public/{slug}/proposals/track/{voted.own.token}"))
    assert "已当选" in track
    project = re.search(r'class="col-sm-9 project".*?</dd>', track, re.S).group(0)
    assert re.search(rf'<a class="project-link" href="[^"]+">{voted.item.code} ', project)


def test_the_deputy_sees_their_proposal_chosen_with_its_item(voted, client, login_as):
    login_as(voted.deputy)
    item_url = f"/items/{voted.item.id}"
    for url in ("/livelihood/mine", f"/livelihood/proposals/{voted.own.id}"):
        html = html_of(client.get(url))
        assert "已当选" in html and f'href="{item_url}"' in html, url
    history = text_of(client.get(f"/livelihood/proposals/{voted.own.id}")).split("处理经过")[1]
    assert "票决当选" in history and voted.item.code in history


def test_a_not_chosen_proposals_history_ends_with_the_vote(voted, client, login_as):
    login_as(voted.chair)
    proposal = voted.planning.proposals[2]  # merged into the not-chosen candidate's proposal
    page = text_of(client.get(f"/livelihood/proposals/{proposal.id}"))
    assert "未当选" in page
    history = page.split("处理经过")[1].split("清单监督")[0].strip()
    assert history.endswith("票决未当选 · 王建华：候选项目2")


def test_the_board_links_the_published_result(voted, client, factory):
    slug, year = voted.planning.collecting.slug, voted.plan.year
    # The board shows once the township has published a notice: this year's item's.
    item = factory.item("supervising", township=voted.planning.collecting.township)
    factory.report_row(item, percent=60, done="路基完成。")
    factory.published_notice(voted.chair)
    db.session.commit()
    html = html_of(client.get(f"/public/{slug}/"))
    assert f'href="/public/{slug}/livelihood/{year}/vote"' in html, html[html.find("page-title") :][:900]


def test_a_chosen_items_source_links_the_vote_and_its_proposals(voted, client, login_as):
    login_as(voted.chair)
    html = html_of(client.get(f"/items/{voted.item.id}"))
    source = re.search(r'id="item-source">(.*?)</dd>', html, re.S).group(1)
    slug, year = voted.planning.collecting.slug, voted.plan.year
    assert f'href="/public/{slug}/livelihood/{year}/vote"' in source and "票决产生" in source
    assert f'href="/livelihood/proposals/{voted.own.id}">{voted.own.reference} 村卫生室改造</a>' in source


def test_the_english_result_page_and_list_are_english(voted, client):
    slug, year = voted.planning.collecting.slug, voted.plan.year
    client.get(f"/public/{slug}/proposals/?lang=en")
    page = text_of(client.get(f"/public/{slug}/livelihood/{year}/vote"))
    held = voted.vote.held_on
    assert f"{held:%B} {held.day}, {held.year}" in page and "年" not in page.split("Rule")[0]
    rule = page.split("Rule:")[1].split(".")[0]
    assert "候选" not in rule and "more than half" in rule
    listing = text_of(client.get(f"/public/{slug}/proposals/"))
    merged = voted.planning.proposals[2]
    assert f"Merged into {merged.merged_into.reference}" in listing
    assert "Merged merged" not in listing and "Not chosen" in listing and "Chosen" in listing


def test_publishing_a_result_changes_the_cached_board(factory, client):
    voting = Voting(factory, runoffs=0)
    item = factory.item("supervising", township=voting.planning.collecting.township)
    factory.report_row(item, percent=60, done="路基完成。")
    factory.published_notice(voting.chair)
    db.session.commit()
    board = f"/public/{voting.planning.collecting.slug}/"
    etag = client.get(board).headers["ETag"]
    voting.open()
    voting.phone_ballots([[Y, N, N]] * 5)
    voting.close()
    ops.publish_result(voting.chair, voting.plan)
    db.session.commit()
    fresh = client.get(board, headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and f"/livelihood/{voting.plan.year}/vote" in html_of(fresh)
