"""The published result's numbers as the public page and the printed report say them: per
candidate 赞成 + 不赞成 + 弃权 + 无效 = 收回, and 发出 / 收回 / 有效 / 无效 for paper and phone alike,
the same on the page, in the report and in the reconciliation."""

from __future__ import annotations

import re

import pytest

from supervise.ballots import hall, paper, phone
from supervise.ballots.approval import Vote
from supervise.ballots.models import BallotKind
from supervise.ballots.tally import reconcile
from supervise.extensions import db
from supervise.livelihood import vote_documents
from supervise.livelihood import vote_operations as ops
from tests.ballots.double_entry import check_all
from tests.helpers import html_of, text_of
from tests.livelihood.test_vote import Voting

Y, N, A = Vote.yes, Vote.no, Vote.abstain


@pytest.fixture
def mixed(factory) -> Voting:
    """5 present: two paper sheets (one with a doubly ticked line, one with three 赞成: void),
    three phone codes of which two are used."""
    voting = Voting(factory, runoffs=0)
    voting.open()
    vote, first, second, third = voting.vote, *voting.line_ids()
    deputies = [row.deputy_id for row in vote.roster]
    for deputy in deputies[:2]:
        hall.hand_out(voting.chair, vote, deputy, BallotKind.paper)
    paper.issue_serials(voting.chair, vote, [1, 2])
    paper.enter_paper(voting.chair, vote, 1, {first: [Y.value], second: [Y.value, N.value], third: [N.value]})
    paper.enter_paper(voting.chair, vote, 2, {first: [Y.value], second: [Y.value], third: [Y.value]})
    for deputy in deputies[2:]:
        hall.hand_out(voting.chair, vote, deputy, BallotKind.phone)
    codes = phone.draw_codes(voting.chair, vote, 3)
    db.session.commit()
    for code in codes[:2]:
        phone.submit_phone_ballot(code, vote.id, {first: Y, second: Y, third: N})
        db.session.commit()
    check_all(vote, factory.user("presidium", township=voting.planning.collecting.township))
    voting.close()
    ops.publish_result(voting.chair, voting.plan)
    db.session.commit()
    return voting


def _rows(html: str) -> dict[str, list[int]]:
    table = re.search(r"<table[^>]*public-results.*?</table>", html, re.S).group(0)
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        cells = [re.sub(r"<[^>]+>", "", td).strip() for td in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        rows[cells[0]] = [int(cell) for cell in cells[1:5]]
    return rows


def test_each_line_adds_up_to_the_ballots_returned(mixed, client):
    plan = mixed.plan
    html = html_of(client.get(f"/public/{mixed.planning.collecting.slug}/livelihood/{plan.year}/vote"))
    rows = _rows(html)  # 赞成, 不赞成, 弃权, 无效
    assert rows["候选项目1"] == [3, 0, 0, 1]  # the void sheet's line is 无效
    assert rows["候选项目2"] == [2, 0, 0, 2]  # and so is the doubly ticked line
    assert all(sum(counts) == 4 for counts in rows.values())  # 收回 4
    assert "无效" in re.search(r"<thead>.*?</thead>", html, re.S).group(0)


def test_the_page_the_report_and_the_reconciliation_count_alike(mixed, client):
    plan = mixed.plan
    check = reconcile(mixed.vote)
    assert (check.ballots_issued, check.ballots_returned, check.ballots_not_returned) == (5, 4, 1)
    page = text_of(client.get(f"/public/{mixed.planning.collecting.slug}/livelihood/{plan.year}/vote"))
    assert "发出表决票 5 张" in page and "收回 4 张" in page and "未收回 1 张" in page
    assert "有效 3 张" in page and "无效 1 张" in page
    assert "含手机投票码" in page  # what 发出 is made of
    report = re.sub(r"<[^>]+>", " ", vote_documents.report_html(plan) or "")
    numbers = re.search(r"应到\s+实到\s+发出\s+收回\s+有效\s+无效.*?((?:\d+\s+){6})", report, re.S)
    assert numbers is not None and numbers.group(1).split() == ["5", "5", "5", "4", "3", "1"]
    assert "纸质表决票 2 张" in report and "手机投票码 3 个" in report and "未收回 1 张" in report
