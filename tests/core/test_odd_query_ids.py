"""Ids and years in query strings are parsed strictly: text, '²', negative and huge numbers are
ignored (or a 404), never a database error or a 500."""

from __future__ import annotations

import pytest

BAD = ["99999999999999999999", "2147483648", "²", "abc", "-1", "1e3", ""]

PAGES = [
    ("presidium", "/items/?{}", ("township", "list", "year", "office", "supervisor")),
    ("presidium", "/lists/?{}", ("township",)),
    ("presidium", "/activity-days/?{}", ("station",)),
    ("presidium", "/consultations/new?{}", ("item",)),
    ("presidium", "/manage/accounts/?{}", ("township",)),
    ("county", "/progress/grid?{}", ("township", "year")),
    ("county", "/manage/accounts/?{}", ("township",)),
]


@pytest.mark.parametrize("role, url, names", PAGES)
def test_bad_ids_in_the_query_string_never_break_a_page(client, login_as, role, url, names):
    login_as(role)
    for name in names:
        for value in BAD:
            response = client.get(url.format(f"{name}={value}"))
            assert response.status_code in (200, 404), (name, value, response.status_code)
            assert b"Traceback" not in response.data
