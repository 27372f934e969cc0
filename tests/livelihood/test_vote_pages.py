"""The vote's pages: setting it up (bad input kept), a round's page and its hall, publishing, the
public result with its 票决率, a proposal leading to its project, the printed documents, and another
township's vote out of reach."""

from __future__ import annotations

import re

import pytest

from supervise.ballots import hall, paper
from supervise.ballots.approval import Vote
from supervise.ballots.models import BallotKind
from supervise.extensions import db
from supervise.livelihood import plan_operations as plan_ops
from supervise.livelihood import vote_operations as ops
from supervise.livelihood.vote_models import VoteReportDocument, VoteRound, VoteSheetsDocument
from tests.helpers import count, counted_renders, html_of, pdf_fonts, pdf_text, refusal_page, text_of
from tests.livelihood.planning import start_planning
from tests.livelihood.test_vote import Voting

Y, N, A = Vote.yes, Vote.no, Vote.abstain


def test_the_chair_sets_up_the_vote_and_bad_input_is_kept(factory, client, login_as):
    planning = start_planning(factory, places=1)
    factory.deputy(planning.collecting.township)
    planning.candidates(2)
    plan_ops.fire(planning.chair, planning.plan, "fix")
    db.session.commit()
    login_as(planning.chair)
    url = f"/livelihood/plans/{planning.plan.id}/vote"
    page = client.get(url)
    assert page.status_code == 200 and "组织票决" in text_of(page)
    bad = client.post(url, data={"held_on": "2027-13-40", "place": "镇政府三楼会议室", "quorum": "half"})
    assert bad.status_code == 400
    assert "镇政府三楼会议室" in bad.get_data(as_text=True) and count(VoteRound) == 0
    # One banner above the form, not a second one above the page saying the same.
    assert text_of(bad).count("请修改下面标红的内容后再提交") == 1 and "请填写会议日期" in text_of(bad)
    made = client.post(
        url,
        data={
            "held_on": "2026-12-01",
            "place": "镇政府三楼会议室",
            "quorum": "half",
            "pass_base": "present",
        },
    )
    assert made.status_code == 302
    vote = db.session.query(VoteRound).one()
    assert (vote.quorum_numerator, vote.quorum_denominator, vote.pass_base.value) == (1, 2, "present")
    round_page = client.get(made.headers["Location"])
    text = text_of(round_page)
    assert round_page.status_code == 200 and "开始点名" in text and "候选项目1" in text
    roll_call = client.get(f"/livelihood/votes/{vote.id}/roll-call")
    assert roll_call.status_code == 200


@pytest.fixture
def voted(factory) -> Voting:
    voting = Voting(factory, runoffs=0)
    candidate = voting.plan.ballot_candidates[0]
    candidate.proposals = [voting.planning.proposals[0]]
    db.session.commit()
    voting.open()
    voting.phone_ballots([[Y, Y, N], [Y, Y, N], [Y, N, Y], [Y, Y, A], [N, Y, Y]])
    voting.close()
    return voting


def test_publishing_puts_the_result_on_the_public_page(voted, client, login_as):
    plan = voted.plan
    public_url = f"/public/{voted.planning.collecting.slug}/livelihood/{plan.year}/vote"
    assert client.get(public_url).status_code == 404  # not yet published
    login_as(voted.chair)
    overview = text_of(client.get(f"/livelihood/plans/{plan.id}/vote"))
    assert "当选项目：候选项目1、候选项目2" in overview
    assert client.post(f"/livelihood/plans/{plan.id}/publish").status_code == 302
    public = client.get(public_url)
    text = text_of(public)
    assert public.status_code == 200
    assert "66.7%" in text and "100.0%" in text  # 2 of 3 chosen; 5 of 5 present
    assert "候选项目3" in text and "未通过" in text
    proposal = voted.planning.proposals[0]
    page = text_of(client.get(f"/public/{voted.planning.collecting.slug}/proposals/{proposal.id}"))
    assert "已票决列入" in page and "候选项目1" in page


@pytest.mark.usefixtures("pdf_tools")
def test_the_result_report_and_the_ballot_papers_print(voted, client, login_as, tmp_path):
    login_as(voted.chair)
    report = client.get(f"/livelihood/plans/{voted.plan.id}/result.pdf")
    assert report.status_code == 200 and report.mimetype == "application/pdf"
    text = "".join(pdf_text(report.data, tmp_path).split())  # a title may wrap
    numbers = ("应到", "实到", "发出", "收回", "有效", "无效")
    for words in ("票决结果报告", *numbers, "监票人", "计票人", "主持人", "当选规则"):
        assert words in text
    assert "候选项目1" in text and "当选" in text
    fonts = pdf_fonts(report.data, tmp_path)
    assert fonts and all((row[-5], row[-4]) == ("yes", "yes") for row in fonts), fonts
    sheets = client.get(f"/livelihood/votes/{voted.vote.id}/sheets.pdf")
    sheet_text = pdf_text(sheets.data, tmp_path)
    assert sheet_text.count("表决票") >= 5 and "No.005" in sheet_text and "赞成" in sheet_text


def test_the_result_report_is_stored_and_served_again_without_rendering(voted, client, login_as, monkeypatch):
    renders = counted_renders(monkeypatch)
    login_as(voted.chair)
    url = f"/livelihood/plans/{voted.plan.id}/result.pdf"
    first, again = client.get(url), client.get(url)
    assert first.status_code == again.status_code == 200 and again.mimetype == "application/pdf"
    assert first.data == again.data and len(renders) == 1
    assert db.session.get(VoteReportDocument, voted.plan.id) is not None


@pytest.mark.usefixtures("render_on_change")
def test_closing_a_round_makes_the_report_before_anyone_asks(factory, client, login_as, monkeypatch):
    voting = Voting(factory, runoffs=0)
    voting.open()
    voting.phone_ballots([[Y, Y, N], [Y, Y, N], [Y, N, Y], [Y, Y, A], [N, Y, Y]])
    login_as(voting.chair)
    closed = client.post(f"/livelihood/votes/{voting.vote.id}/actions/close_voting")
    assert closed.status_code == 302
    assert db.session.get(VoteReportDocument, voting.plan.id) is not None
    renders = counted_renders(monkeypatch)
    report = client.get(f"/livelihood/plans/{voting.plan.id}/result.pdf")
    assert report.status_code == 200 and report.mimetype == "application/pdf" and renders == []


@pytest.mark.usefixtures("render_on_change")
def test_the_ballot_papers_are_printed_when_the_round_is_set_up(factory, client, login_as, monkeypatch):
    voting = Voting(factory, runoffs=0)  # its set-up is committed: the papers are queued and printed
    assert db.session.get(VoteSheetsDocument, voting.vote.id) is not None
    renders = counted_renders(monkeypatch)
    login_as(voting.chair)
    url = f"/livelihood/votes/{voting.vote.id}/sheets.pdf"
    first, again = client.get(url), client.get(url)
    assert first.status_code == again.status_code == 200 and first.mimetype == "application/pdf"
    assert first.data == again.data and renders == []


def test_a_refused_close_says_what_is_off_once(factory, client, login_as):
    voting = Voting(factory)
    voting.open()
    hall.hand_out(voting.chair, voting.vote, voting.vote.roster[0].deputy_id, BallotKind.paper)
    paper.issue_serials(voting.chair, voting.vote, [1])
    db.session.commit()
    login_as(voting.chair)
    problem = "表决票 001 已发出，但既未录入"
    before = text_of(client.get(f"/livelihood/votes/{voting.vote.id}"))
    assert before.count(problem) == 1  # the live reconciliation, while voting
    closed = client.post(f"/livelihood/votes/{voting.vote.id}/actions/close_voting")
    text = refusal_page(closed, "不能结束投票", problem)
    # The refusal lists the reconciliation's problems: the page does not list them a second time.
    assert text.count(problem) == 1, text
    assert client.get(f"/livelihood/votes/{voting.vote.id}").status_code == 200


def test_another_townships_vote_is_not_found(voted, factory, client, login_as):
    other = factory.township("别的镇")
    login_as(factory.user("presidium", township=other))
    assert client.get(f"/livelihood/votes/{voted.vote.id}").status_code == 404
    assert client.get(f"/livelihood/votes/{voted.vote.id}/roll-call").status_code == 404
    assert client.get(f"/livelihood/plans/{voted.plan.id}/vote").status_code == 404
    assert client.post(f"/livelihood/plans/{voted.plan.id}/publish").status_code == 404


def test_a_runoff_is_offered_when_the_result_calls_for_one(factory, client, login_as):
    voting = Voting(factory)
    voting.open()
    voting.phone_ballots([[Y, Y, N], [Y, Y, N], [Y, N, Y], [Y, N, Y], [N, Y, Y]])
    voting.close()
    login_as(voting.chair)
    overview = text_of(client.get(f"/livelihood/plans/{voting.plan.id}/vote"))
    assert "另行投票" in overview and "公布结果并列入清单" not in overview
    made = client.post(f"/livelihood/plans/{voting.plan.id}/runoff")
    assert made.status_code == 302
    assert len(ops.rounds_of(voting.plan)) == 2


def test_a_runoff_for_one_place_reads_in_english(factory, client, login_as):
    voting = Voting(factory)
    voting.open()
    voting.phone_ballots([[Y, Y, N], [Y, Y, N], [Y, N, Y], [Y, N, Y], [N, Y, Y]])
    voting.close()
    runoff = ops.create_runoff(voting.chair, voting.plan)
    db.session.commit()
    login_as(voting.chair)
    client.post("/language", data={"locale": "en"})
    pages = [
        client.get(f"/livelihood/plans/{voting.plan.id}/vote"),
        client.get(f"/livelihood/votes/{runoff.id}"),
    ]
    for page in pages:
        text = text_of(page)
        assert page.status_code == 200 and "Places to fill: 1" in text, text
        assert not re.search(r"\b1 places\b", text), text
    # The overview says the candidates and the places once, with the surplus.
    assert text_of(pages[0]).count("places to fill: 2") == 1
    assert "at most 1 “For” on a ballot" in text_of(pages[1])


def _table(html: str, table_id: str) -> str:
    return re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)


def test_live_counts_say_nothing_of_chosen_until_the_round_is_closed(factory, client, login_as):
    voting = Voting(factory, results_hidden_until_closed=False)
    voting.open()
    voting.phone_ballots([[Y, Y, N], [Y, Y, N], [Y, N, Y], [Y, Y, A]])
    login_as(voting.chair)
    screen = f"/livelihood/votes/{voting.vote.id}/projection"
    round_page = f"/livelihood/votes/{voting.vote.id}"
    for url, table in ((screen, "results"), (round_page, "round-lines")):
        live = _table(html_of(client.get(url)), table)
        assert "候选项目1" in live and ">4<" in live, url  # the counts show while voting
        for verdict in ("当选", "未当选", "通过", "票数相等"):
            assert verdict not in live, (url, verdict)
    voting.close()
    for url, table in ((screen, "results"), (round_page, "round-lines")):
        assert "当选" in _table(html_of(client.get(url)), table), url
