"""The demo county's townships for the county's view: at least five with two years of work, 城关镇
visibly behind on its monthly reports."""

from __future__ import annotations

from sqlalchemy import select

from supervise.core.clock import today
from supervise.core.demo_calendar import DemoCalendar
from supervise.demo import seed_demo
from supervise.extensions import db
from supervise.org.models import County
from supervise.statistics.comparison import township_rows
from supervise.statistics.demo import seed_county_townships
from supervise.statistics.figures import satisfaction_by_year


def test_the_demo_county_compares_townships_over_two_years(app):
    seed_demo()
    db.session.commit()
    calendar = DemoCalendar(today())
    county = db.session.execute(select(County)).scalar_one()
    seed_county_townships(calendar, county)
    db.session.commit()
    townships = [t for t in county.townships if t.is_active]
    assert len(townships) >= 6
    rows, _total = township_rows(townships, calendar.year, today())
    with_items = [row for row in rows if row.figures["items"]]
    assert len(with_items) >= 6
    before, _total = township_rows(townships, calendar.year - 1, today())
    assert sum(1 for row in before if row.figures["items"]) >= 5
    by_name = {row.township.name: row for row in rows}
    assert any("个月未报送" in reason for reason in by_name["城关镇"].reasons)
    assert by_name["城关镇"].reports.missing > max(
        r.reports.missing for n, r in by_name.items() if n != "城关镇"
    )
    rates = satisfaction_by_year([t.id for t in townships])
    assert sum(1 for per_year in rates.values() if {calendar.year - 1, calendar.year} <= set(per_year)) >= 5
