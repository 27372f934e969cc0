"""The county's comparison table: 镇 sorts by pinyin (the township's 拼音代码), not by code point;
总体满意率 and 较上年 link to the evaluation results they come from, 已票决 to the vote's plan; in
English the headers read "Consultations" and (the unfinished items') "Reason"."""

from __future__ import annotations

import re
from html import unescape

from supervise.ballots.approval import Vote
from supervise.evaluation.models import EvaluationMeeting
from supervise.extensions import db
from supervise.livelihood import vote_operations as ops
from tests.helpers import html_of
from tests.livelihood.test_vote import Voting

from .test_county_links import township_cells
from .test_county_view import build_county

Y, N = Vote.yes, Vote.no


def names_in_order(html: str) -> list[str]:
    return re.findall(r'data-township="([^"]+)"', html)


def test_townships_sort_by_pinyin(app, factory, client, login_as):
    for name, slug in (("四亩地镇", "simudi"), ("龙王镇", "longwang"), ("城关镇", "chengguan")):
        factory.township(name).slug = slug
    db.session.commit()
    login_as("county")
    assert names_in_order(html_of(client.get("/statistics/townships?sort=name"))) == [
        "城关镇",
        "龙王镇",
        "四亩地镇",
    ]
    backwards = names_in_order(html_of(client.get("/statistics/townships?sort=name&order=desc")))
    assert backwards == ["四亩地镇", "龙王镇", "城关镇"]
    assert names_in_order(html_of(client.get("/statistics/townships"))) == ["城关镇", "龙王镇", "四亩地镇"]


def test_the_rates_link_to_the_evaluation_results_they_come_from(app, factory, client, login_as):
    county = build_county(factory)
    login_as("county")
    html = html_of(client.get("/statistics/townships?year=2026"))
    cells = township_cells(html)["江口镇"]
    linked = {text: link for text, link in cells if link and "/evaluation/" in link}
    assert set(linked) == {"100%", "+33.3"}, cells  # this year's rate, the change since 2025
    for text, year in (("100%", 2026), ("+33.3", 2025)):
        meeting_id = int(re.search(r"/evaluation/(\d+)/results", linked[text]).group(1))
        meeting = db.session.get(EvaluationMeeting, meeting_id)
        assert (meeting.township_id, meeting.year) == (county["a"].id, year)
        assert client.get(linked[text]).status_code == 200
    # 城关镇 was not rated: its dashes link nowhere
    assert not [link for text, link in township_cells(html)["城关镇"] if link and "/evaluation/" in link]


def test_a_vote_held_links_to_its_plan(app, factory, client, login_as):
    voting = Voting(factory)
    voting.open()
    voting.phone_ballots([[Y, Y, N]] * 5)
    voting.close()
    ops.publish_result(voting.chair, voting.plan)
    db.session.commit()
    login_as("county")
    html = html_of(client.get(f"/statistics/townships?year={voting.plan.year}"))
    cells = township_cells(html)[voting.plan.township.name]
    assert (("已票决", f"/livelihood/plans/{voting.plan.id}")) in cells
    page = client.get(f"/livelihood/plans/{voting.plan.id}")
    assert page.status_code == 200
    # last year there was no plan: 未票决, and no list of items pretending to be the vote
    cells = township_cells(html_of(client.get(f"/statistics/townships?year={voting.plan.year - 1}")))
    assert ("未票决", None) in cells[voting.plan.township.name]


def test_the_english_headers(app, factory, client, login_as):
    county = build_county(factory)
    login_as("county")
    client.post("/language", data={"locale": "en"})
    townships = html_of(client.get("/statistics/townships?year=2026"))
    assert ">Consultations</a>" in unescape(townships)
    statistics = html_of(client.get(f"/statistics/townships/{county['a'].id}?year=2026"))
    head = statistics.split('id="unfinished"', 1)[1].split("</thead>", 1)[0]
    assert '<th class="reason">Reason</th>' in head and "Problem" not in head
