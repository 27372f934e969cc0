"""The demo's monthly cycle works out the same whatever day it is loaded: its no-progress item is an
escalation candidate, the items that move on are not."""

from __future__ import annotations

from datetime import date

import pytest

from supervise.extensions import db
from supervise.lists.models import Item
from supervise.progress.demo import DATES, REPORTS, entered_on, planned_reports
from supervise.progress.queries import progress_flags

STALLED = "C-007"  # the demo item without progress, by number


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 3, 1),
        date(2026, 3, 3),
        date(2026, 3, 20),
        date(2026, 3, 21),
        date(2026, 3, 26),
        date(2026, 3, 28),
        date(2026, 3, 31),
        date(2027, 1, 3),  # months back cross the year
        date(2027, 2, 28),
    ],
)
def test_the_demo_no_progress_item_is_flagged_on_any_day(factory, day):
    township = factory.default_township
    township.report_due_day = 25
    ids = {}
    for code, _entered, completed_back in DATES:
        if code not in REPORTS or completed_back is not None:
            continue
        entered, _completed = entered_on(code, day)
        item = factory.supervised_item(entered, title=code)
        ids[code] = item.id
        for _back, month, percent, on, done in planned_reports(code, day):
            factory.monthly_report(item, month, percent=percent, submitted_on=on, done=done)
    db.session.flush()
    _disputed, stalled = progress_flags(Item.id.in_(list(ids.values())), day)
    assert {code for code, item_id in ids.items() if item_id in stalled} == {STALLED}
