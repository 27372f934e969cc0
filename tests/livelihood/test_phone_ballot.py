"""The vote's phone ballot as a deputy sees it: the page names the vote, says the most 赞成 it may
carry before any is marked, and refuses one with too many without casting it."""

from __future__ import annotations

import re

import pytest

from supervise.ballots import hall, phone
from supervise.ballots.models import BallotKind
from supervise.ballots.tally import turnout
from supervise.extensions import db
from tests.helpers import html_of, text_of
from tests.livelihood.test_vote import Voting


@pytest.fixture
def code_of(factory):
    """A vote of 3 candidates for 2 places, voting, and one deputy's phone code."""
    voting = Voting(factory)
    voting.open()
    hall.hand_out(voting.chair, voting.vote, voting.vote.roster[0].deputy_id, BallotKind.phone)
    (code,) = phone.draw_codes(voting.chair, voting.vote, 1)
    db.session.commit()
    return voting, code


def _header(html: str) -> str:
    return re.search(r"<header\b.*?</header>", html, re.S).group(0)


def test_the_phone_pages_name_the_vote_not_the_public_notices(app, code_of):
    voting, code = code_of
    phone_client = app.test_client()
    code_page = html_of(phone_client.get("/vote"))
    assert "人大代表手机投票" in _header(code_page) and "三清单" not in _header(code_page)
    ballot = html_of(phone_client.post("/vote", data={"code": code}))
    header = _header(ballot)
    assert voting.vote.title in header and voting.vote.township.name in header
    assert "三清单" not in header
    title = re.search(r"<title>(.*?)</title>", ballot, re.S).group(1)
    assert voting.vote.title in title and "三清单" not in title


def test_the_most_yes_is_said_above_the_ballot(app, code_of):
    voting, code = code_of
    html = html_of(app.test_client().post("/vote", data={"code": code}))
    said = html.find("最多可投 2 个赞成票")
    assert said != -1 and said < html.find("<form")


def test_too_many_yes_is_refused_before_it_is_cast_and_the_ballot_is_kept(app, code_of):
    voting, code = code_of
    phone_client = app.test_client()
    lines = voting.line_ids()
    three = {f"line-{line}": "yes" for line in lines}
    refused = phone_client.post("/vote/ballot", data={"code": code, "meeting_id": voting.vote.id, **three})
    text, html = text_of(refused), html_of(refused)
    assert refused.status_code == 400
    assert "选了 3 个“赞成”" in text and "最多可投 2 个赞成票" in text
    assert "没有提交" in text and "没有计入" in text  # nothing was recorded
    assert "改为“不赞成”或“弃权”" in text  # and how to correct it
    assert "整张选票无效" not in text  # as if it had been cast and spoiled
    for line in lines:  # the ballot as the deputy marked it
        assert f'value="yes" id="v{line}-yes" autocomplete="off" checked' in html
    assert turnout(voting.vote).phone_ballots == 0
    # The same code casts the corrected ballot.
    fixed = {**three, f"line-{lines[2]}": "no"}
    done = phone_client.post("/vote/ballot", data={"code": code, "meeting_id": voting.vote.id, **fixed})
    assert done.status_code == 302 and turnout(voting.vote).phone_ballots == 1


def test_the_phone_ballot_reads_in_english(app, code_of):
    voting, code = code_of
    phone_client = app.test_client()
    phone_client.post("/language", data={"locale": "en"})
    ballot = phone_client.post("/vote", data={"code": code})
    heading = re.search(r"<h1\b[^>]*>(.*?)</h1>", html_of(ballot), re.S).group(1).strip()
    assert heading[:1].isupper(), heading  # the sheet's noun, alone as a heading
    assert "This round chooses 2 projects: you may give at most 2 “For” votes" in text_of(ballot)
    assert "Choose “For”, “Against” or “Abstain” for every line" in text_of(ballot)
