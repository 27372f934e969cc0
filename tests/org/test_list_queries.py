"""Every list page runs a fixed number of SQL statements, however many records it shows."""

import pytest

from supervise.extensions import db

from .cases import KIND_CASES, every_kind, listed

ALL_KINDS = [kind.key for kind in KIND_CASES] + ["townships"]


def add_deputies(factory, township, n: int) -> None:
    for _ in range(n):
        factory.deputy(township, station_id=factory.station(township).id, group_id=factory.group(township).id)


def statements_for(client, count_queries, url: str) -> int:
    # Committing expires what the test loaded, so nothing can stand in for a query the page must run.
    db.session.commit()
    with count_queries() as counter:
        listed(client.get(url))
    return counter.count


@pytest.mark.parametrize("role", ["presidium", "county"])
def test_deputies_list_runs_the_same_queries_for_5_and_60_deputies(
    client, factory, login_as, count_queries, county, role
):
    login_as(role, township=county.home)
    add_deputies(factory, county.home, 5)
    few = statements_for(client, count_queries, "/manage/deputies/")

    add_deputies(factory, county.home, 30)
    add_deputies(factory, county.neighbour, 25)
    many = statements_for(client, count_queries, "/manage/deputies/")

    assert few == many


@pytest.mark.parametrize("kind_key", ALL_KINDS)
def test_every_list_page_runs_a_fixed_number_of_queries(client, factory, login_as, count_queries, kind_key):
    login_as("county")
    make = {
        "deputies": lambda: add_deputies(factory, factory.default_township, 1),
        "offices": lambda: factory.office(),
        "stations": lambda: factory.station(),
        "groups": lambda: factory.group(),
        "townships": lambda: factory.township(),
    }[kind_key]
    make()
    few = statements_for(client, count_queries, f"/manage/{kind_key}/")

    for _ in range(20):
        make()
    many = statements_for(client, count_queries, f"/manage/{kind_key}/")

    assert few == many


@every_kind
def test_the_list_page_shows_fifty_records_and_a_second_page(client, factory, login_as, kind):
    for n in range(55):
        getattr(factory, kind.make)(None, f"记录{n:03d}")
    login_as("presidium")

    first, second = (
        listed(client.get(f"/manage/{kind.key}/")),
        listed(client.get(f"/manage/{kind.key}/?page=2")),
    )

    assert "记录000" in first and "记录049" in first and "记录050" not in first
    assert "记录050" in second and "记录054" in second
