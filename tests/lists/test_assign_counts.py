"""Assigning supervisors shows, beside each deputy, how many live items of this year they supervise
now, computed in one query whatever the number of deputies."""

from __future__ import annotations

from supervise.core.clock import utcnow
from supervise.extensions import db
from supervise.lists.models import Rating, SupervisorAssignment
from tests.helpers import statements_of_a_second_visit, text_of


def test_each_deputy_shows_their_live_items_of_this_year(client, login_as, factory):
    station = factory.station(name="江口联络站")
    busy = factory.deputy(name="王大明", station_id=station.id)
    idle = factory.deputy(name="李小红")
    factory.item("supervising", supervisors=[busy])
    factory.item("completed", supervisors=[busy])
    factory.item("closed", supervisors=[busy], result=Rating.satisfied)  # its life is over
    ended = factory.item("supervising", supervisors=[idle])
    ended.assignments[0].ended_at = utcnow()  # replaced as supervisor
    db.session.add(SupervisorAssignment(item_id=ended.id, deputy_id=factory.deputy().id))
    last_year = factory.item("supervising", supervisors=[idle])
    last_year.list_id = factory.supervision_list("commitment", year=2025).id
    item = factory.item("listed")
    login_as("presidium")
    db.session.commit()
    page = text_of(client.get(f"/items/{item.id}/actions/assign"))
    assert "王大明（江口联络站） · 2026 年监督 2 项" in page
    assert "李小红 · 2026 年监督 0 项" in page


def test_next_years_item_counts_next_years_work(client, login_as, factory):
    """Next year's list is assigned in December: its counts are of next year, not of today's."""
    deputy = factory.deputy(name="王大明")
    factory.item("supervising", supervisors=[deputy])  # this year's list (2026)
    factory.item("supervising", supervisors=[deputy], year=2027)
    item = factory.item("listed", year=2027)
    login_as("presidium")
    db.session.commit()
    page = text_of(client.get(f"/items/{item.id}/actions/assign"))
    assert "王大明 · 2027 年监督 1 项" in page


def test_the_counts_cost_the_same_queries_for_3_and_15_deputies(client, login_as, factory, count_queries):
    item = factory.item("listed")
    login_as("presidium")

    def deputies(n: int) -> None:
        for _ in range(n):
            deputy = factory.deputy(station_id=factory.station().id)
            factory.item("supervising", supervisors=[deputy])
        db.session.commit()

    deputies(3)
    few = statements_of_a_second_visit(client, count_queries, f"/items/{item.id}/actions/assign")
    deputies(12)
    many = statements_of_a_second_visit(client, count_queries, f"/items/{item.id}/actions/assign")
    assert many == few
