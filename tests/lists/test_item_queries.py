"""The item list and the item page run a fixed number of SQL statements, however much there is."""

from __future__ import annotations

import itertools

import pytest

from supervise.extensions import db
from tests.helpers import html_of

STATES = ("listed", "supervising", "consulting", "completed", "verified", "withdrawn")


def add_items(people, n: int) -> None:
    """n items across the three lists, with offices, flags, one or two supervisors and a history."""
    offices = [people.lead_office, people.other_office]
    deputies = [people.supervisor, people.factory.deputy(), people.factory.deputy()]
    kinds = itertools.cycle(("commitment", "suggestion", "livelihood"))
    for number in range(n):
        people.factory.item(
            STATES[number % len(STATES)],
            kind=next(kinds),
            supervisors=deputies[number % 2 : number % 2 + 1 + number % 2],
            lead_office_id=offices[number % 2].id,
            wide_impact=number % 3 == 0,
        )


def statements(people, persona: str, url: str, count_queries) -> int:
    client = people.client(persona)
    html_of(client.get(url))  # warm: sign-in bookkeeping and caches are not the page's cost
    db.session.commit()  # nothing the test loaded stands in for a query the page must run
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


@pytest.mark.parametrize("persona", ["presidium", "supervisor", "county"])
def test_the_item_list_runs_the_same_statements_for_10_and_300_items(people, count_queries, persona):
    add_items(people, 10)
    few = statements(people, persona, "/items/", count_queries)

    add_items(people, 290)
    many = statements(people, persona, "/items/", count_queries)

    assert few == many


def test_a_filtered_item_list_runs_the_same_statements_for_10_and_300_items(people, count_queries):
    url = "/items/?state=supervising&sort=deadline"
    add_items(people, 10)
    few = statements(people, "presidium", url, count_queries)

    add_items(people, 290)
    many = statements(people, "presidium", url, count_queries)

    assert few == many


def busy(people, item, events: int) -> None:
    """Give an item a long history, two supervisors, offices and proposers, and the township more items."""
    for n in range(events):
        people.act("presidium", item, "open_consultation" if n % 2 == 0 else "conclude_consultation")
    people.act("presidium", item, "assign", deputy_ids=[people.supervisor.id, people.factory.deputy().id])
    db.session.refresh(item)
    item.assisting_offices = [people.other_office, people.factory.office()]
    item.proposers = [people.factory.deputy(), people.factory.deputy()]
    add_items(people, 30)


@pytest.mark.parametrize("kind", ["commitment", "suggestion"])
@pytest.mark.parametrize("persona", ["presidium", "supervisor", "lead_clerk", "county"])
def test_the_item_page_runs_the_same_statements_however_long_its_history(
    people, count_queries, persona, kind
):
    item = people.item("supervising", kind=kind)
    quiet = statements(people, persona, f"/items/{item.id}", count_queries)

    busy(people, item, events=30)
    long_history = statements(people, persona, f"/items/{item.id}", count_queries)

    assert quiet == long_history


@pytest.mark.parametrize("persona", ["presidium", "supervisor", "county"])
def test_the_uncached_item_list_runs_the_same_statements_for_10_and_300_items(
    app, people, count_queries, persona
):
    # With caching off every visit renders the page: this counts the page's own statements.
    app.config["CACHE_URL"] = "none"
    app.extensions.pop("supervise_page_cache", None)
    add_items(people, 10)
    few = statements(people, persona, "/items/", count_queries)
    add_items(people, 290)
    many = statements(people, persona, "/items/", count_queries)
    assert few == many > 3


def test_the_office_filter_names_the_township_when_the_user_sees_several(client, login_as, factory):
    for name in ("江口镇", "城关镇"):
        factory.office(factory.township(name), name="党政综合办公室")
    login_as("county")

    html = client.get("/items/").get_data(as_text=True)

    assert "党政综合办公室（江口镇）" in html and "党政综合办公室（城关镇）" in html


def test_the_office_filter_of_one_township_is_the_bare_name(client, login_as, factory):
    factory.office(name="党政综合办公室")
    login_as("presidium")

    html = client.get("/items/").get_data(as_text=True)

    assert ">党政综合办公室</option>" in html and "党政综合办公室（" not in html


def test_supervisor_names_in_the_item_list_break_only_between_names(client, login_as, factory):
    """Each supervisor's name is one unbreakable span (杨春花、吴国 / 强 broke inside a name)."""
    first, second = factory.deputy(name="杨春花"), factory.deputy(name="吴国强")
    factory.item("supervising", supervisors=[first, second])
    login_as("presidium")
    html = client.get("/items/").get_data(as_text=True)
    assert '<span class="text-nowrap">杨春花、</span><span class="text-nowrap">吴国强</span>' in html
