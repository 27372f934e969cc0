"""Which items a month's notice shows: those under supervision in the month (or reported on for it),
those that ended during it in their final state, never those gone before it began, and items of an
earlier year's list only while still open."""

from __future__ import annotations

from datetime import date

import pytest

from supervise.extensions import db
from supervise.lists.models import ItemState as S
from supervise.lists.models import Rating
from supervise.notices.queries import shows_in_month, snapshot_lines

DEC = date(2026, 12, 1)


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


LISTED_IN_MARCH = [(d(3, 1), S.listed)]


@pytest.mark.parametrize(
    "changes, state, year, reported, shown",
    [
        # under supervision all month, or part of it
        (LISTED_IN_MARCH + [(d(4, 10), S.supervising)], S.supervising, 2026, False, True),
        (LISTED_IN_MARCH + [(d(12, 20), S.supervising)], S.supervising, 2026, False, True),
        (
            LISTED_IN_MARCH + [(d(4, 10), S.supervising), (d(11, 5), S.consulting)],
            S.consulting,
            2026,
            False,
            True,
        ),
        # reported completed last month, waiting to be verified: still followed (disputed reports and all)
        (
            LISTED_IN_MARCH + [(d(6, 10), S.supervising), (d(11, 12), S.completed)],
            S.completed,
            2026,
            False,
            True,
        ),
        # ended during the month: shown in its final state
        (
            LISTED_IN_MARCH + [(d(6, 10), S.supervising), (d(12, 2), S.completed), (d(12, 9), S.verified)],
            S.verified,
            2026,
            False,
            True,
        ),
        (LISTED_IN_MARCH + [(d(6, 10), S.verified), (d(12, 9), S.closed)], S.closed, 2026, False, True),
        (LISTED_IN_MARCH + [(d(12, 3), S.carried_over)], S.carried_over, 2026, False, True),
        (LISTED_IN_MARCH + [(d(12, 3), S.withdrawn)], S.withdrawn, 2026, False, True),
        # gone before the month began, or never on the list's work
        (LISTED_IN_MARCH + [(d(4, 10), S.supervising), (d(10, 3), S.closed)], S.closed, 2026, False, False),
        (LISTED_IN_MARCH + [(d(11, 30), S.withdrawn)], S.withdrawn, 2026, True, False),
        (
            LISTED_IN_MARCH + [(d(4, 10), S.supervising), (d(11, 3), S.carried_over)],
            S.carried_over,
            2026,
            False,
            False,
        ),
        (
            LISTED_IN_MARCH + [(d(4, 10), S.supervising), (d(9, 3), S.completed), (d(9, 20), S.verified)],
            S.verified,
            2026,
            False,
            False,
        ),
        ([(d(12, 3), S.draft), (d(12, 3), S.withdrawn)], S.withdrawn, 2026, False, False),
        (LISTED_IN_MARCH, S.listed, 2026, False, False),
        # entered supervision only after the month
        (LISTED_IN_MARCH + [(d(1, 5, 2027), S.supervising)], S.supervising, 2026, False, False),
        # an earlier year's item: only while still open in the month
        ([(d(3, 1, 2025), S.supervising)], S.supervising, 2025, False, True),
        ([(d(3, 1, 2025), S.supervising), (d(12, 8), S.closed)], S.closed, 2025, False, True),
        ([(d(3, 1, 2025), S.supervising), (d(9, 30, 2025), S.closed)], S.closed, 2025, True, False),
        (
            [(d(12, 3), S.listed), (d(12, 3), S.supervising), (d(12, 3), S.completed), (d(12, 3), S.closed)],
            S.closed,
            2025,
            False,
            False,
        ),
        # reported on for the month
        (LISTED_IN_MARCH + [(d(4, 10), S.supervising), (d(12, 2), S.listed)], S.listed, 2026, True, True),
    ],
)
def test_which_items_a_months_notice_shows(changes, state, year, reported, shown):
    assert shows_in_month(changes, state, d(3, 1), year, DEC, reported=reported) is shown


def test_an_imported_item_without_changes_holds_its_state_since_it_was_made():
    assert shows_in_month([], S.supervising, d(11, 2), 2026, DEC)
    assert not shows_in_month([], S.supervising, d(12, 2), 2026, date(2026, 11, 1))
    assert not shows_in_month([], S.closed, d(3, 2), 2026, DEC)


def _of_2025(factory, item):
    """Move an item onto the township's 2025 list."""
    item.supervision_list = factory.supervision_list(year=2025)
    item.number += 100
    db.session.flush()
    return item


def test_the_snapshot_applies_the_rule_to_the_townships_items(factory):
    month = date(2026, 11, 1)
    shown = {
        "supervising": factory.supervised_item(d(4, 10)),
        "completed last month": factory.supervised_item(d(4, 10), left=d(10, 12)),
        "closed this month": factory.supervised_item(
            d(4, 10), left=d(11, 20), left_to="closed", result=Rating.satisfied
        ),
        "2025, still open": _of_2025(factory, factory.supervised_item(d(4, 10, 2025))),
    }
    hidden = {
        "closed before": factory.supervised_item(
            d(4, 10), left=d(10, 20), left_to="closed", result=Rating.satisfied
        ),
        "2025, closed in 2025": _of_2025(
            factory,
            factory.supervised_item(
                d(4, 10, 2025), left=d(9, 20, 2025), left_to="closed", result=Rating.satisfied
            ),
        ),
        "only from December": factory.supervised_item(d(12, 2)),
    }
    codes = {line.item_code for line in snapshot_lines(factory.default_township.id, month)}
    assert {name for name, item in shown.items() if item.code in codes} == set(shown)
    assert {name for name, item in hidden.items() if item.code in codes} == set()
