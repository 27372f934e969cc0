"""A multi-year item (跨年度) is on each year's list it spans without being copied: the 2026 views of
its list kind show an item of the 2025 list that ends in 2026, marked with its years; its monthly
cycle runs on into 2026. Once carried over, its copy stands for it instead."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from supervise.extensions import db
from supervise.lists import todo
from supervise.lists.models import Item, ItemState
from supervise.notices.queries import snapshot_lines
from supervise.progress.calendar import expected_months
from supervise.progress.grid import month_grid
from supervise.progress.queries import spans_for, unreported_items
from tests.helpers import html_of, text_of


def count_where(*conditions) -> int:
    return db.session.execute(select(func.count(Item.id)).where(*conditions)).scalar_one()


@pytest.fixture
def spanning(people):
    """An item of the 2025 list running to 2026, under supervision, and the 2026 list of its kind."""
    item = people.item(
        "supervising", year=2025, title="江口大桥危桥改造", deadline=date(2026, 6, 30), end_year=2026
    )
    this_years = people.item("supervising", year=2026, title="集镇停车场建设")
    db.session.commit()
    return item, this_years


def test_it_shows_in_the_item_list_of_each_year_it_spans(people, spanning):
    item, this_years = spanning
    client = people.client("presidium")
    in_2026 = html_of(client.get("/items/?year=2026"))
    assert item.title in in_2026 and this_years.title in in_2026
    assert "跨年度 2025–2026" in in_2026
    assert item.title in html_of(client.get("/items/?year=2025"))
    in_2027 = html_of(client.get("/items/?year=2027"))
    assert item.title not in in_2027 and this_years.title not in in_2027
    # Another kind's list of 2026 does not show it.
    assert item.title not in html_of(client.get("/items/?year=2026&kind=suggestion"))


def test_the_list_page_of_the_later_year_shows_it_without_a_copy(people, spanning):
    item, this_years = spanning
    page = text_of(people.client("presidium").get(f"/lists/{this_years.list_id}"))
    assert item.title in page and item.code in page and "跨年度 2025–2026" in page
    assert count_where(Item.carried_from_id.isnot(None)) == 0


def test_its_office_has_it_to_do_and_its_monthly_cycle_runs_across_years(people):
    item = people.factory.supervised_item(
        date(2025, 10, 8),
        year=2025,
        end_year=2026,
        deadline=date(2026, 6, 30),
        lead_office_id=people.lead_office.id,
    )
    db.session.commit()
    assert item in todo.government_todo(people.township.id, people.lead_office.id)["office_items"]
    months = expected_months(spans_for([item])[item.id], date(2026, 3, 15))
    assert months == [
        date(2025, 10, 1),
        date(2025, 11, 1),
        date(2025, 12, 1),
        *(date(2026, m, 1) for m in (1, 2, 3)),
    ]
    # The 2026 month grid of the office's township has it, with those months owed.
    grid = month_grid(item.township, 2026, date(2026, 3, 15))
    [row] = [row for row in grid if row.item.id == item.id]
    assert [cell.month.month for cell in row.cells if cell.status.value != "not_due"][:3] == [1, 2, 3]


def test_once_carried_over_its_copy_stands_for_it(people, spanning):
    item, this_years = spanning
    assert people.act("presidium", item, "carry_over", reason="跨年度未完成，转入下年。").status_code == 302
    db.session.refresh(item)
    assert item.state is ItemState.carried_over
    in_2026 = text_of(people.client("presidium").get("/items/?year=2026"))
    assert in_2026.count(item.title) == 1  # the copy in the 2026 list, not the carried-over original


def test_the_notices_of_its_later_months_show_it(people):
    item = people.factory.supervised_item(
        date(2025, 10, 8),
        year=2025,
        end_year=2026,
        deadline=date(2026, 6, 30),
        lead_office_id=people.lead_office.id,
    )
    db.session.commit()
    march = date(2026, 3, 1)
    assert item.id in {line.item_id for line in snapshot_lines(people.township.id, march)}
    assert item in unreported_items(item.township, march, date(2026, 4, 20))
