"""The progress status rule printed on notices (超前 / 正常 / 滞后): its edges."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from supervise.core.amounts import wan_yuan
from supervise.progress.status import TOLERANCE, ProgressStatus, progress_status, rule_text, time_share

START = date(2026, 1, 1)
DEADLINE = date(2026, 12, 31)  # 364 days after START
HALF = date(2026, 7, 2)  # 182 days after START: exactly half the time


def test_the_time_share():
    assert time_share(START, HALF, DEADLINE) == Fraction(1, 2)
    assert time_share(START, START, DEADLINE) == 0
    assert time_share(START, date(2025, 6, 1), DEADLINE) == 0  # before the start: nothing passed
    assert time_share(START, date(2027, 3, 1), DEADLINE) == 1  # past the deadline: all of it
    assert time_share(START, HALF, START) == 1  # a deadline on the start day
    assert time_share(START, HALF, date(2025, 12, 1)) == 1  # a deadline before the start


@pytest.mark.parametrize(
    ("percent", "expected"),
    [
        (50, ProgressStatus.on_schedule),
        (50 + TOLERANCE, ProgressStatus.on_schedule),  # exactly at the tolerance: still on schedule
        (50 - TOLERANCE, ProgressStatus.on_schedule),
        (50 + TOLERANCE + 1, ProgressStatus.ahead),
        (50 - TOLERANCE - 1, ProgressStatus.behind),
        (100, ProgressStatus.ahead),
        (0, ProgressStatus.behind),
    ],
)
def test_the_status_around_half_time(percent, expected):
    assert progress_status(percent, START, HALF, DEADLINE) == (expected, 50)


def test_the_tolerance_is_a_parameter():
    assert progress_status(56, START, HALF, DEADLINE, tolerance=5)[0] is ProgressStatus.ahead
    assert progress_status(55, START, HALF, DEADLINE, tolerance=5)[0] is ProgressStatus.on_schedule


def test_no_deadline_no_report():
    assert progress_status(40, START, HALF, None) == (None, None)  # no deadline: not judged
    assert progress_status(None, START, HALF, DEADLINE) == (None, 50)  # no report: not judged


def test_past_the_deadline_anything_short_of_done_is_behind_beyond_the_tolerance():
    after = date(2027, 2, 28)
    assert progress_status(100, START, after, DEADLINE) == (ProgressStatus.on_schedule, 100)
    assert progress_status(90, START, after, DEADLINE) == (ProgressStatus.on_schedule, 100)
    assert progress_status(89, START, after, DEADLINE) == (ProgressStatus.behind, 100)


def test_the_exact_share_is_compared_not_the_rounded_one():
    # 2 days of 364: 0.549…%; 10 points above it is 10.549…, so 11 is ahead and 10 is not.
    day = date(2026, 1, 3)
    status, shown = progress_status(10, START, day, DEADLINE)
    assert (status, shown) == (ProgressStatus.on_schedule, 1)
    assert progress_status(11, START, day, DEADLINE)[0] is ProgressStatus.ahead


def test_the_rule_text_states_the_tolerance(app):
    with app.test_request_context():
        assert "超过 10 个百分点" in rule_text(10) and "超过 5 个百分点" in rule_text(5)


@pytest.mark.parametrize(
    ("value", "approx", "unit", "text"),
    [
        (Decimal("230"), True, True, "230余万元"),
        (Decimal("230.00"), False, True, "230万元"),
        (Decimal("335.15"), False, False, "335.15"),
        (Decimal("0.50"), False, True, "0.5万元"),
        (Decimal("1200"), True, False, "1200余"),
        (12000, False, True, "1.2亿元"),
        (12000, False, False, "12000"),
        (None, True, True, "—"),
    ],
)
def test_amounts_as_lists_write_them(value, approx, unit, text):
    assert wan_yuan(value, approx, unit=unit) == text
