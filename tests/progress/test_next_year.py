"""An item of next year's list, assigned its supervisors before that year begins, owes no monthly
report until January: not on the office's and the deputy's pages, the grid, the home pages, the
reminders, the report form or the no-progress rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from supervise.core.clock import today
from supervise.core.dates import month_of, shift_month
from supervise.core.errors import DomainError
from supervise.extensions import db
from supervise.lists.models import Item
from supervise.org.models import Deputy
from supervise.progress import queries
from supervise.progress.calendar import report_due_on
from supervise.progress.grid import month_grid
from supervise.progress.models import Notification
from supervise.progress.operations import create_reminders, owed_months, submit_report
from tests.helpers import count, text_of


@pytest.fixture
def next_years(factory, cycle):
    """An item of next year's list of the cycle's office and supervisor, assigned two months ago."""
    item = factory.supervised_item(
        shift_month(cycle.this_month, -2) + timedelta(days=9),
        lead_office_id=cycle.clerk.office_id,
        supervisors=[db.session.get(Deputy, cycle.supervisor.deputy_id)],
        year=cycle.this_month.year + 1,
        title="明年的停车场建设",
        deadline=date(cycle.this_month.year + 1, 10, 31),
    )
    db.session.commit()
    return item


def test_it_owes_no_month_of_this_year(cycle, next_years):
    day = today()
    assert owed_months(next_years, day) == []
    current, earlier = queries.office_dues(next_years.township, cycle.clerk.office_id, day)
    assert next_years.id not in {d.item.id for d in current + earlier}
    waiting, unreported = queries.deputy_dues(cycle.supervisor.deputy_id, next_years.township, day)
    assert next_years.id not in {d.item.id for d in waiting + unreported}
    grid = month_grid(next_years.township, day.year, day)
    assert next_years.id not in {row.item.id for row in grid}
    with pytest.raises(DomainError, match="无需报送"):
        submit_report(cycle.clerk, next_years, month_of(day), percent=5, done="开工准备")


def test_reminders_and_the_no_progress_rule_leave_it_alone(cycle, next_years):
    # Past this month's due day: a month owed and unreported would be overdue, and two such months
    # running would be "no progress".
    day = report_due_on(cycle.this_month, next_years.township.report_due_day) + timedelta(days=1)
    create_reminders(day)
    assert count(Notification, item_id=next_years.id) == 0
    _disputed, stalled = queries.progress_flags(Item.id == next_years.id, day)
    assert next_years.id not in stalled


def test_the_office_pages_do_not_ask_for_its_report(client, login_as, cycle, next_years):
    login_as(cycle.clerk)
    assert f"owed-{next_years.id}-" not in client.get("/progress/office").get_data(as_text=True)
    assert "本月应报 1 项" in text_of(client.get("/"))
    response = client.get(f"/progress/items/{next_years.id}/report", follow_redirects=True)
    assert "这个事项目前不需要报送月报" in text_of(response)


def test_the_grid_and_the_chairs_home_page_leave_it_out(client, login_as, cycle, next_years):
    login_as(cycle.chair)
    grid = client.get(f"/progress/grid?year={cycle.this_month.year}").get_data(as_text=True)
    assert f'id="grid-{next_years.id}"' not in grid and f'id="grid-{cycle.item.id}"' in grid
    assert "本月应报 1 项" in text_of(client.get("/"))


def test_in_january_it_owes_january(cycle, next_years):
    january = date(cycle.this_month.year + 1, 1, 1)
    day = january + timedelta(days=4)
    assert owed_months(next_years, day) == [january]
    current, earlier = queries.office_dues(next_years.township, cycle.clerk.office_id, day)
    assert [(d.item.id, d.month) for d in current if d.item.id == next_years.id] == [(next_years.id, january)]
    assert next_years.id not in {d.item.id for d in earlier}
    due = report_due_on(january, next_years.township.report_due_day)
    create_reminders(due - timedelta(days=2))
    reminded = db.session.query(Notification.month).filter_by(item_id=next_years.id).all()
    assert {month for (month,) in reminded} == {january}
