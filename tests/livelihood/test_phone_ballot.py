"""The vote's phone ballot as a deputy sees it: the page names the vote."""

from __future__ import annotations

import re

import pytest

from supervise.ballots import hall, phone
from supervise.ballots.models import BallotKind
from supervise.extensions import db
from tests.helpers import html_of
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
