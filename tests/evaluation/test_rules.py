"""The grade rule, the satisfaction rate and the quorum over tables."""

from __future__ import annotations

from fractions import Fraction

import pytest

from supervise.evaluation.rules import Counts, Denominator, GradeRule, Quorum, percent, satisfaction_rate
from supervise.lists.models import Rating

SAT, BASIC, DIS = Rating.satisfied, Rating.basically_satisfied, Rating.dissatisfied
R, P, V = Denominator.roster, Denominator.present, Denominator.valid

# (denominator, satisfied, basic, dissatisfied, invalid, roster, present, expected grade)
GRADES = [
    # exactly half of the denominator is enough ("≥ half")
    (V, 5, 0, 5, 0, 20, 12, SAT),
    (P, 6, 0, 6, 0, 20, 12, SAT),
    (R, 10, 2, 0, 0, 20, 12, SAT),
    # one short of half: basically satisfied when satisfied + basic reach half
    (V, 4, 1, 5, 0, 20, 12, BASIC),
    (P, 5, 1, 6, 0, 20, 12, BASIC),
    (R, 9, 1, 2, 0, 20, 12, BASIC),
    # neither reaches half
    (V, 2, 2, 6, 0, 20, 12, DIS),
    (P, 3, 2, 7, 0, 20, 12, DIS),
    # the same ballots graded by each denominator: invalid marks count against only with roster/present
    (V, 6, 0, 2, 4, 14, 12, SAT),
    (P, 6, 0, 2, 4, 14, 12, SAT),
    (R, 6, 0, 2, 4, 14, 12, DIS),
    # blanks matter: 5 of 12 present satisfied is not half of those present, but is half of the valid
    (V, 5, 0, 5, 2, 20, 12, SAT),
    (P, 5, 0, 5, 2, 20, 12, DIS),
    (P, 5, 1, 4, 2, 20, 12, BASIC),
    # all blank, or no ballots at all: no valid mark, no grade, whatever the denominator
    (V, 0, 0, 0, 12, 20, 12, None),
    (P, 0, 0, 0, 12, 20, 12, None),
    (R, 0, 0, 0, 12, 20, 12, None),
    (V, 0, 0, 0, 0, 20, 12, None),
    (R, 0, 0, 0, 0, 20, 12, None),
    # a unanimous hall (the market-town road)
    (P, 18, 0, 0, 0, 20, 18, SAT),
]


@pytest.mark.parametrize("denominator,s,b,d,i,roster,present,expected", GRADES)
def test_grade_rule(denominator, s, b, d, i, roster, present, expected):
    counts = Counts(satisfied=s, basic=b, dissatisfied=d, invalid=i)
    assert GradeRule(denominator=denominator).grade(counts, roster, present) is expected


@pytest.mark.parametrize(
    "satisfied_percent,basic_percent,s,b,d,expected",
    [
        (60, 60, 6, 0, 4, SAT),  # exactly 60 % of 10
        (60, 60, 5, 1, 4, BASIC),
        (60, 80, 5, 2, 3, DIS),
        (100, 50, 9, 1, 0, BASIC),
    ],
)
def test_configured_thresholds(satisfied_percent, basic_percent, s, b, d, expected):
    rule = GradeRule(satisfied_percent, basic_percent, Denominator.valid)
    assert rule.grade(Counts(s, b, d, 0), 20, 10) is expected


@pytest.mark.parametrize(
    "counts,rate,shown",
    [
        (Counts(18, 0, 0, 0), Fraction(1), "100%"),
        (Counts(10, 5, 5, 3), Fraction(3, 4), "75%"),  # invalid marks are not in the base
        (Counts(1, 1, 1, 0), Fraction(2, 3), "66.7%"),
        (Counts(0, 0, 0, 7), None, "—"),
        (Counts(), None, "—"),
    ],
)
def test_satisfaction_rate_is_over_valid_marks(counts, rate, shown):
    assert satisfaction_rate(counts) == rate
    assert percent(satisfaction_rate(counts)) == shown


@pytest.mark.parametrize(
    "quorum,roster,present,met,more",
    [
        (Quorum(), 30, 20, False, 1),  # exactly two thirds is not "more than"
        (Quorum(), 30, 21, True, 0),
        (Quorum(), 20, 13, False, 1),
        (Quorum(), 20, 14, True, 0),
        (Quorum(), 20, 0, False, 14),
        (Quorum(strict=False), 30, 20, True, 0),
        (Quorum(1, 2), 8, 4, False, 1),
        (Quorum(1, 2, strict=False), 8, 4, True, 0),
        (Quorum(), 0, 0, False, 1),
    ],
)
def test_quorum(quorum, roster, present, met, more):
    assert quorum.is_met(present, roster) is met
    assert quorum.more_needed(present, roster) == more
