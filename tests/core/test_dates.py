"""Month arithmetic and dates written out (supervise/core/dates.py)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from supervise.core.dates import (
    add_months_clamped,
    china_date_of,
    chinese_date,
    day_in_month,
    month_end,
    month_of,
    months_of_year,
    parse_month,
    reader_date,
    reader_month,
    shift_month,
)


@pytest.mark.parametrize(
    ("month", "n", "expected"),
    [
        (date(2026, 12, 1), 1, date(2027, 1, 1)),  # December → January
        (date(2026, 1, 1), -1, date(2025, 12, 1)),  # January → December
        (date(2026, 11, 1), -11, date(2025, 12, 1)),
        (date(2026, 11, 1), -23, date(2024, 12, 1)),
        (date(2026, 3, 1), 24, date(2028, 3, 1)),
        (date(2026, 5, 1), 0, date(2026, 5, 1)),
        (date(2026, 1, 31), 1, date(2026, 2, 1)),  # a month, not a day: the 31st does not matter
    ],
)
def test_shift_month_moves_whole_months(month, n, expected):
    assert shift_month(month, n) == expected


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (date(2026, 3, 15), 3, date(2026, 6, 15)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # no 31 February: the month's last day
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # a leap year
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2028, 2, 29), 48, date(2032, 2, 29)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 10, 31), 3, date(2027, 1, 31)),
        (date(2026, 12, 31), 12, date(2027, 12, 31)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),  # December → January
        (date(2026, 3, 31), -1, date(2026, 2, 28)),  # backwards, clamped too
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 5, 31), -15, date(2025, 2, 28)),
    ],
)
def test_add_months_clamped_keeps_the_day_within_the_month(day, n, expected):
    assert add_months_clamped(day, n) == expected


@pytest.mark.parametrize(
    ("month", "day", "expected"),
    [
        (date(2026, 2, 1), 31, date(2026, 2, 28)),
        (date(2028, 2, 1), 31, date(2028, 2, 29)),
        (date(2026, 4, 1), 31, date(2026, 4, 30)),
        (date(2026, 4, 1), 0, date(2026, 4, 1)),
        (date(2026, 4, 1), 25, date(2026, 4, 25)),
    ],
)
def test_day_in_month_is_clamped_to_the_month(month, day, expected):
    assert day_in_month(month, day) == expected


def test_months_their_ends_and_the_year():
    assert month_of(date(2026, 7, 19)) == date(2026, 7, 1)
    assert month_end(date(2026, 2, 10)) == date(2026, 2, 28)
    assert month_end(date(2024, 2, 1)) == date(2024, 2, 29)
    assert month_end(date(2026, 12, 1)) == date(2026, 12, 31)
    year = months_of_year(2026)
    assert len(year) == 12 and year[0] == date(2026, 1, 1) and year[-1] == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-05", date(2026, 5, 1)),
        ("2026-5", date(2026, 5, 1)),
        (" 2026-12 ", date(2026, 12, 1)),
        ("2026-13", None),
        ("2026-0", None),
        ("1999-05", None),
        ("2101-01", None),
        ("2026-05-01", None),
        ("²²²²-05", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_month(text, expected):
    assert parse_month(text) == expected


def test_a_stored_time_is_read_as_a_china_date():
    # 17:00 UTC on 31 December is 01:00 on 1 January in China.
    assert china_date_of(datetime(2026, 12, 31, 17, 0)) == date(2027, 1, 1)
    assert china_date_of(datetime(2026, 12, 31, 15, 59)) == date(2026, 12, 31)


def test_chinese_date():
    assert chinese_date(date(2026, 6, 8)) == "2026年6月8日"
    assert chinese_date(datetime(2026, 12, 31, 17, 0)) == "2027年1月1日"
    assert chinese_date(None) == ""


def test_reader_dates_follow_the_language(app):
    from flask_babel import force_locale

    with app.test_request_context():
        with force_locale("zh_Hans_CN"):
            assert reader_date(date(2026, 6, 18)) == "2026年6月18日"
            assert reader_month(date(2026, 5, 1)) == "2026年5月"
        with force_locale("en"):
            assert reader_date(datetime(2026, 6, 17, 20, 0)) == "June 18, 2026"
            assert reader_month(date(2026, 5, 1)) == "May 2026"
        assert reader_date(None) == ""


def test_the_filters_are_there_for_every_template(app):
    from flask import render_template_string

    with app.test_request_context():
        html = render_template_string("{{ day|chinese_date }} {{ day|reader_date }}", day=date(2026, 6, 18))
    assert html == "2026年6月18日 2026年6月18日"
