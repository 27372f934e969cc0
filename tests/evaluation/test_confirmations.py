"""Closing voting and publishing the results cannot be undone: their forms ask first (data-confirm,
static/confirm.js) and say what will happen."""

from __future__ import annotations

from supervise.extensions import db
from supervise.lists.workflow import TRANSITIONS
from tests.helpers import html_of

from .conftest import S


def test_closing_voting_asks_first_saying_how_many_ballots_came_back_of_the_present(client, login_as, hall):
    login_as(hall.chair)
    present = len(hall.open())
    codes = hall.phone_codes(hall.deputy_ids[:2])
    hall.vote(codes[0], *[S] * len(hall.lines))
    page = html_of(client.get(f"/evaluation/{hall.meeting.id}"))
    # It says how many ballots are in of how many deputies present, so that closing with most of
    # them still out is not a slip: the grade counts on the deputies present.
    asks = (
        f"实到代表 {present} 人，已发出选票 2 张，收回 1 张。"
        + f"还有 {present - 1} 名实到代表的选票没有收回。"
        + "等次按实到代表数评定，没有收回的选票不计为满意或基本满意。"
        + "结束投票后，不能再投票或补录选票，测评结果随即统计。确定要结束投票吗？"
    )
    assert f'data-confirm="{asks}"' in page


def test_closing_voting_with_every_present_deputys_ballot_in_asks_without_a_warning(client, login_as, hall):
    login_as(hall.chair)
    present = hall.open()
    for code in hall.phone_codes(present):
        hall.vote(code, *[S] * len(hall.lines))
    page = html_of(client.get(f"/evaluation/{hall.meeting.id}"))
    n = len(present)
    asks = (
        f"实到代表 {n} 人，已发出选票 {n} 张，收回 {n} 张。"
        + "结束投票后，不能再投票或补录选票，测评结果随即统计。确定要结束投票吗？"
    )
    assert f'data-confirm="{asks}"' in page


def test_publishing_the_results_asks_first(client, login_as, factory):
    chair = login_as("presidium")
    meeting = factory.closed_evaluation(chair, voters=3)
    db.session.commit()
    page = html_of(client.get(f"/evaluation/{meeting.id}/results"))
    assert 'data-confirm="测评结果将在公示栏向公众公布，公布后不能撤回。确定要公布吗？"' in page


def test_closing_an_item_from_the_results_asks_with_the_item_tables_text(client, login_as, factory):
    chair = login_as("presidium")
    meeting = factory.closed_evaluation(chair, voters=3)
    db.session.commit()
    assert client.post(f"/evaluation/{meeting.id}/actions/apply_results").status_code == 302
    page = html_of(client.get(f"/evaluation/{meeting.id}/results"))
    item_id = next(line.item_id for line in meeting.lines if line.item_id)
    close = page[page.index(f'action="/items/{item_id}/actions/close"') :]
    assert close.split(">", 1)[0].endswith(f'data-confirm="{TRANSITIONS["close"].confirm}"')


def test_recording_the_results_asks_first_and_the_button_goes_once_done(client, login_as, factory):
    chair = login_as("presidium")
    meeting = factory.closed_evaluation(chair, voters=3)
    db.session.commit()
    asks = 'data-confirm="测评结果将登记到每个测评事项'
    for path in (f"/evaluation/{meeting.id}", f"/evaluation/{meeting.id}/results"):
        assert asks in html_of(client.get(path)), path
    assert client.post(f"/evaluation/{meeting.id}/actions/apply_results").status_code == 302
    for path in (f"/evaluation/{meeting.id}", f"/evaluation/{meeting.id}/results"):
        assert "apply_results" not in html_of(client.get(path)), path
