"""The chair's home page has a card of the answered sheets waiting for verification, each linked."""

from __future__ import annotations

from supervise.extensions import db
from tests.helpers import html_of, statements_of_a_second_visit, text_of


def card_of(client) -> str:
    page = html_of(client.get("/"))
    start = page.index('id="sheets-to-verify"')
    return page[start : page.index("</ul>", start)]


def test_answered_sheets_wait_on_the_chairs_home_page(client, login_as, town, factory):
    waiting = town.sheet("answered", title="关于污水处理站的督办单")
    town.sheet("issued", title="关于产业路的督办单")
    town.sheet("verified", title="关于已办结事项的督办单")
    town.sheet("returned", title="关于退回事项的督办单")
    foreign = factory.township(county=factory.county("别的县"))
    factory.user("presidium", township=foreign)
    login_as(town.chair)
    card = card_of(client)
    assert f'href="/sheets/{waiting.id}"' in card and "关于污水处理站的督办单" in card
    for other in ("产业路", "已办结", "退回"):
        assert other not in card
    assert "已答复、待核实的督办单" in text_of(client.get("/"))


def test_the_card_says_when_nothing_waits(client, login_as, town):
    town.sheet("verified")
    login_as(town.chair)
    assert "没有待核实的督办单。" in card_of(client)


def test_the_card_costs_one_query_however_many_sheets_wait(client, login_as, town, count_queries):
    login_as(town.chair)
    town.sheet("answered")
    one = statements_of_a_second_visit(client, count_queries, "/")
    for _ in range(4):
        town.sheet("answered")
    db.session.commit()
    assert statements_of_a_second_visit(client, count_queries, "/") == one
