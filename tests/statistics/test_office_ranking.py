"""The offices' ranking: offices with the same results share a rank (1, 2, 2, 4); the bottom
offices (排名靠后) are named only among 3 or more rated offices, the last third, and never one that
ties with an office above it."""

from __future__ import annotations

from datetime import date

from supervise.lists.models import Rating
from supervise.org.models import Office
from supervise.statistics.offices import OfficeRating, OfficeRow, rank_rows, satisfied_line

S, B, D = Rating.satisfied, Rating.basically_satisfied, Rating.dissatisfied


def ranked(*results: tuple[Rating, int]) -> list[OfficeRow]:
    """Offices 站所1, 站所2, … rated ``grade`` with ``good`` of 10 valid votes, ranked."""
    rows = []
    for number, (grade, good) in enumerate(results, start=1):
        row = OfficeRow(Office(name=f"站所{number}"))
        row.rating = OfficeRating(date(2026, 6, 1), grade, good, 10)
        rows.append(row)
    return rank_rows(rows)


def ranks(rows: list[OfficeRow]) -> list[tuple[str, int | None]]:
    return [(r.office.name, r.rank) for r in rows]


def test_offices_with_the_same_results_share_a_rank():
    rows = ranked((B, 8), (S, 10), (B, 8), (D, 3))
    assert ranks(rows) == [("站所2", 1), ("站所1", 2), ("站所3", 2), ("站所4", 4)]


def test_two_offices_have_no_bottom():
    assert satisfied_line(ranked((S, 10), (D, 2))) == (1, 2, [])


def test_the_bottom_third_is_named():
    assert satisfied_line(ranked((S, 10), (B, 8), (D, 2))) == (1, 3, ["站所3"])
    six = ranked((S, 10), (S, 9), (B, 8), (B, 7), (B, 6), (D, 2))
    assert satisfied_line(six)[2] == ["站所5", "站所6"]


def test_an_office_tied_with_one_above_the_bottom_is_not_named():
    assert satisfied_line(ranked((S, 10), (B, 6), (B, 6)))[2] == []
    # 站所2 and 站所3 tie at rank 2, above the cut of four offices (the last one)
    assert satisfied_line(ranked((S, 10), (B, 6), (B, 6), (D, 1)))[2] == ["站所4"]
    assert satisfied_line(ranked((S, 10), (S, 10), (B, 6), (B, 6)))[2] == []


def test_satisfied_offices_are_never_named():
    assert satisfied_line(ranked((S, 10), (S, 9), (S, 8)))[2] == []
