"""Closing voting and publishing the results cannot be undone: their forms ask first (data-confirm,
static/confirm.js) and say what will happen."""

from __future__ import annotations

from supervise.extensions import db
from tests.helpers import html_of


def test_closing_voting_asks_first(client, login_as, hall):
    login_as(hall.chair)
    hall.open()
    page = html_of(client.get(f"/evaluation/{hall.meeting.id}"))
    assert 'data-confirm="结束投票后，不能再投票或补录选票，测评结果随即统计。确定要结束投票吗？"' in page


def test_publishing_the_results_asks_first(client, login_as, factory):
    chair = login_as("presidium")
    meeting = factory.closed_evaluation(chair, voters=3)
    db.session.commit()
    page = html_of(client.get(f"/evaluation/{meeting.id}/results"))
    assert 'data-confirm="测评结果将在公示栏向公众公布，公布后不能撤回。确定要公布吗？"' in page
