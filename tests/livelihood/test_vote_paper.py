"""The vote's paper sheets over HTTP: a sheet with more 赞成 than places keeps its marks (for the
check entry) and is invalid as a whole, said after entry and on its page; a checked sheet says so."""

from __future__ import annotations

import re

from supervise.ballots import hall, paper
from supervise.ballots.models import BallotKind
from supervise.ballots.tally import reconcile
from supervise.extensions import db
from supervise.livelihood import vote_operations as ops
from tests.evaluation.test_secrecy import signed_in
from tests.helpers import html_of, text_of
from tests.livelihood.test_vote import Voting


def _sheet(voting: Voting, serial: int) -> None:
    deputy = next(row.deputy_id for row in voting.vote.roster if row.ballot_kind is None)
    hall.hand_out(voting.chair, voting.vote, deputy, BallotKind.paper)
    paper.issue_serials(voting.chair, voting.vote, [serial])
    db.session.commit()


def _row(text: str, title: str) -> str:
    """The sheet table's row of a candidate: its title and what follows up to the next number."""
    match = re.search(re.escape(title) + r" (.*?)(?= \d+ 候选项目| 更正记录| 核对原件)", text)
    assert match, text
    return match.group(1)


def test_a_sheet_with_too_many_yes_keeps_its_marks_and_is_invalid_as_a_whole(app, factory, client, login_as):
    voting = Voting(factory, runoffs=0)  # 3 candidates for 2 places
    voting.open()
    _sheet(voting, 1)
    login_as(voting.chair)
    base = f"/livelihood/votes/{voting.vote.id}"
    three_yes = {f"line-{line_id}": "yes" for line_id in voting.line_ids()}
    entered = client.post(f"{base}/paper", data={"serial": "001", **three_yes}, follow_redirects=True)
    said = text_of(entered)
    assert "表决票 001 已录入：赞成 3 项，超过应选的 2 项：整张选票无效。" in said

    page = client.get(f"{base}/paper/1")
    text, html = text_of(page), html_of(page)
    assert "赞成 3 项，超过应选的 2 项：整张选票无效。" in text
    # The marks as entered are kept (现计 and the first entry both read 赞成), not 无效.
    for title in ("候选项目1", "候选项目2", "候选项目3"):
        assert _row(text, title).split()[:2] == ["赞成", "赞成"], _row(text, title)
    assert "整张作废 否 否" in text
    # The correction form is not pre-ticked 整张作废 (that is for a spoiled sheet) but 赞成 thrice.
    void_box = re.search(r'<input[^>]*name="void"[^>]*>', html)
    assert void_box and "checked" not in void_box.group(0)
    assert len(re.findall(r'value="yes"[^>]*checked|checked[^>]*value="yes"', html)) == 3
    assert "已录入，待复核" in text

    # The tally counts it as one invalid ballot, every line invalid.
    counts, numbers = ops.round_counts(voting.vote)
    assert (numbers.valid, numbers.invalid) == (0, 1)
    assert all(sum(c.values()) == c["invalid"] == 1 for c in counts.values())

    # A second clerk's entry of the same sheet agrees with the marks as entered.
    clerk = factory.user("presidium", township=voting.planning.collecting.township)
    checking = signed_in(app, factory, clerk)
    checked = checking.post(f"{base}/paper", data={"serial": "001", **three_yes}, follow_redirects=True)
    assert "表决票 001 复核一致" in text_of(checked)
    assert paper.unresolved_serials(voting.vote) == []
    text = text_of(client.get(f"{base}/paper/1"))
    assert "已复核" in text and "待复核" not in text and "复核不一致" not in text
    check = reconcile(voting.vote)
    assert (check.returned, check.valid, check.invalid, check.unchecked) == (1, 0, 1, [])


def test_a_second_entry_reading_fewer_yes_differs_from_the_sheet_with_too_many(
    app, factory, client, login_as
):
    voting = Voting(factory, runoffs=0)
    voting.open()
    _sheet(voting, 1)
    login_as(voting.chair)
    base = f"/livelihood/votes/{voting.vote.id}"
    first, second, third = (f"line-{line_id}" for line_id in voting.line_ids())
    client.post(f"{base}/paper", data={"serial": "001", first: "yes", second: "yes", third: "yes"})
    checking = signed_in(
        app, factory, factory.user("presidium", township=voting.planning.collecting.township)
    )
    checked = checking.post(
        f"{base}/paper",
        data={"serial": "001", first: "yes", second: "yes", third: "no"},
        follow_redirects=True,
    )
    assert "复核与现有录入不一致" in text_of(checked)
    assert paper.unresolved_serials(voting.vote) == [1]
    text = text_of(client.get(f"{base}/paper/1"))
    assert "复核不一致" in text and "已复核" not in text


def test_a_spoiled_sheet_is_still_set_aside_with_every_line_invalid(factory, client, login_as):
    voting = Voting(factory, runoffs=0)
    voting.open()
    _sheet(voting, 1)
    login_as(voting.chair)
    base = f"/livelihood/votes/{voting.vote.id}"
    first = f"line-{voting.line_ids()[0]}"
    entered = client.post(
        f"{base}/paper", data={"serial": "001", first: "yes", "void": "y"}, follow_redirects=True
    )
    assert "表决票 001 已录入。" in text_of(entered)
    text = text_of(client.get(f"{base}/paper/1"))
    assert "整张作废 是 是" in text and "超过应选" not in text
    assert _row(text, "候选项目1").split()[:2] == ["无效", "无效"]
