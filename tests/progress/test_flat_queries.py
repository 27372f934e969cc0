"""Pages whose time stays flat as other townships and past years grow: scoped queries, EXISTS instead
of IN (SELECT … FROM item_event), the chair's home counts read from progress_summary."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date

from sqlalchemy import event

from supervise.core.clock import today
from supervise.core.dates import shift_month
from supervise.extensions import db
from supervise.lists.models import Item
from supervise.progress.grid import month_grid
from supervise.progress.models import ProgressSummary
from supervise.progress.queries import unreported_items

IN_SUBSELECT_OF_EVENTS = re.compile(r"IN\s*\(\s*SELECT\s+item_event\.", re.IGNORECASE)


def test_no_page_reads_every_townships_events_through_an_in_subselect(client, login_as, cycle, count_queries):
    login_as(cycle.chair)
    with count_queries() as counter:
        for path in ("/", "/progress/grid", "/notices/preview", "/escalation"):
            assert client.get(path).status_code == 200, path
    assert counter.statements
    offending = [s for s in counter.statements if IN_SUBSELECT_OF_EVENTS.search(s)]
    assert offending == []


def _old_item(factory, cycle):
    """An item of a list three years ago, supervised then and reported done that same year."""
    year = today().year - 3
    return factory.supervised_item(
        date(year, 2, 1), left=date(year, 10, 1), year=year, lead_office_id=cycle.clerk.office_id
    )


@contextmanager
def loaded_items():
    """The ids of the items loaded from the database inside the block."""
    ids: set[int] = set()

    def note(target, _context):
        ids.add(target.id)

    event.listen(Item, "load", note)
    try:
        yield ids
    finally:
        event.remove(Item, "load", note)


def test_the_month_grid_loads_no_item_that_left_supervision_in_a_past_year(factory, cycle):
    old = _old_item(factory, cycle)
    older_still_open = factory.supervised_item(
        date(today().year - 2, 3, 1), year=today().year - 2, lead_office_id=cycle.clerk.office_id
    )
    db.session.commit()
    ids = (old.id, older_still_open.id, cycle.item.id)
    old_id, township = old.id, cycle.item.township
    db.session.expunge_all()
    township = db.session.merge(township)

    with loaded_items() as loaded:
        rows = month_grid(township, today().year, today())

    assert {row.item.id for row in rows} == set(ids) - {old_id}
    assert old_id not in loaded, "an item done years ago was loaded for this year's grid"
    # Its own year's grid still shows it.
    assert old_id in {row.item.id for row in month_grid(township, today().year - 3, today())}


def test_the_notice_preview_loads_no_item_that_left_supervision_in_a_past_year(factory, cycle):
    old = _old_item(factory, cycle)
    db.session.commit()
    old_id, item_id, township = old.id, cycle.item.id, cycle.item.township
    db.session.expunge_all()
    township = db.session.merge(township)

    with loaded_items() as loaded:
        owing = unreported_items(township, cycle.this_month, today())

    assert [i.id for i in owing] == [item_id]
    assert old_id not in loaded


def test_the_chair_home_reads_stored_counts_and_they_follow_each_change(
    client, login_as, factory, cycle, count_queries
):
    login_as(cycle.chair)
    first = client.get("/").get_data(as_text=True)
    assert "已报 0 项" in first
    stored = db.session.get(ProgressSummary, (cycle.item.township_id, "presidium", 0))
    assert stored is not None and stored.day == today()

    with count_queries() as again:
        client.get("/")
    # The grid is not built again: neither events nor reports are read.
    touched = [s for s in again.statements if re.search(r"\b(item_event|monthly_report)\b", s)]
    assert touched == []

    # A report committed (as any change) bumps the data version in its transaction: the next visit
    # counts again.
    factory.monthly_report(cycle.item, cycle.this_month)
    db.session.commit()
    assert "已报 1 项" in client.get("/").get_data(as_text=True)


def test_stored_counts_of_another_day_are_not_used(client, login_as, cycle):
    login_as(cycle.chair)
    client.get("/")
    stored = db.session.get(ProgressSummary, (cycle.item.township_id, "presidium", 0))
    stored.day, stored.counts = shift_month(today(), -1), {**stored.counts, "reported": 7, "owed": 7}
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "已报 7 项" not in page and "已报 0 项" in page


def test_the_month_grid_shows_a_page_of_rows_and_the_totals_of_all(client, login_as, factory, cycle):
    from supervise.progress.grid import ROWS_PER_PAGE

    for n in range(ROWS_PER_PAGE + 2):
        cycle.item_like(title=f"分页事项{n:03d}")
    db.session.commit()
    login_as(cycle.chair)
    first = client.get("/progress/grid").get_data(as_text=True)
    second = client.get("/progress/grid?page=2").get_data(as_text=True)
    shown = re.findall(r"分页事项\d{3}", first)
    assert 0 < len(set(shown)) < ROWS_PER_PAGE + 2 and "page=2" in first
    assert set(re.findall(r"分页事项\d{3}", second)).isdisjoint(shown)
    # The totals count every row's months, on each page: three owed months missing per item.
    from supervise.progress.grid import grid_page

    page = grid_page(cycle.item.township, today().year, today())
    assert page.total == ROWS_PER_PAGE + 3 and len(page.items) == ROWS_PER_PAGE
    missing = sum(
        1
        for row in month_grid(cycle.item.township, today().year, today())
        for c in row.cells
        if c.status.value == "missing"
    )
    assert page.totals[next(s for s in page.totals if s.value == "missing")] == missing > 0


def test_reminders_load_no_item_that_left_supervision_in_a_past_year(factory, cycle):
    from supervise.progress.operations import create_reminders

    old = _old_item(factory, cycle)
    db.session.commit()
    old_id, item_id = old.id, cycle.item.id
    db.session.expunge_all()
    with loaded_items() as loaded:
        made = create_reminders(today())
    assert made and old_id not in loaded
    assert item_id in loaded


def test_the_grid_leaves_out_an_item_never_under_supervision(client, login_as, factory, cycle):
    """Only listed (no supervisor yet): no month is owed, no row, and the chair's counts leave it out."""
    listed = factory.item(
        "listed", year=today().year, lead_office_id=cycle.clerk.office_id, title="尚未分配监督员的事项"
    )
    db.session.commit()
    rows = month_grid(cycle.item.township, today().year, today())
    assert {row.item.id for row in rows} == {cycle.item.id}
    login_as(cycle.chair)
    assert f'id="grid-{listed.id}"' not in client.get("/progress/grid").get_data(as_text=True)
    assert "本月应报 1 项" in client.get("/").get_data(as_text=True)
