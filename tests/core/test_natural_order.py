"""Names numbered in Chinese or Arabic numerals sort in their numbers' order (core/spellings.py)."""

from __future__ import annotations

from supervise.core.spellings import natural_key


def test_names_sort_in_their_numbers_order():
    names = ["第十代表小组", "第一代表小组", "第三代表小组", "第二代表小组", "第十一代表小组"]
    names += ["第2组", "第10组"]
    assert sorted(names, key=natural_key) == [
        "第一代表小组",
        "第二代表小组",
        "第2组",
        "第三代表小组",
        "第十代表小组",
        "第10组",
        "第十一代表小组",
    ]


def test_a_run_that_is_no_number_sorts_as_text_and_never_fails():
    assert natural_key("十十组") == ((-1, ""), (-1, "十十"), (-1, "组"))
    assert natural_key("第十一组") == ((-1, "第"), (11, ""), (-1, "组"))
