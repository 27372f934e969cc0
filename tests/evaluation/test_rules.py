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


# Each threshold "at least" (≥) or "more than" (>) its share: exactly half decides between them.
# (satisfied strict, basic strict, satisfied, basic, dissatisfied, expected) over 10 valid votes.
EXACT_HALF = [
    (False, False, 5, 0, 5, SAT),  # 5 of 10 is at least half
    (True, False, 5, 0, 5, BASIC),  # 5 of 10 is not more than half; 5 + 0 is at least half
    (True, True, 5, 0, 5, DIS),  # nor is satisfied + basic more than half
    (False, True, 5, 0, 5, SAT),  # the second threshold's mode does not touch the first
    (False, False, 4, 1, 5, BASIC),
    (False, True, 4, 1, 5, DIS),
    (True, True, 6, 0, 4, SAT),  # one over half passes either way
    (True, True, 4, 2, 4, BASIC),
]


@pytest.mark.parametrize("satisfied_strict,basic_strict,s,b,d,expected", EXACT_HALF)
def test_each_threshold_is_at_least_or_more_than_half(satisfied_strict, basic_strict, s, b, d, expected):
    rule = GradeRule(50, 50, Denominator.valid, satisfied_strict=satisfied_strict, basic_strict=basic_strict)
    assert rule.grade(Counts(s, b, d, 0), 20, 10) is expected


def test_exactly_half_of_those_present_in_both_modes():
    counts = Counts(6, 0, 4, 2)  # 12 present, 6 satisfied: exactly half
    assert GradeRule(denominator=P).grade(counts, 20, 12) is SAT
    assert GradeRule(denominator=P, satisfied_strict=True).grade(counts, 20, 12) is BASIC
    assert GradeRule(denominator=P, satisfied_strict=True, basic_strict=True).grade(counts, 20, 12) is DIS


def test_the_rule_text_says_at_least_or_more_than_for_each_threshold(app):
    with app.test_request_context():
        default = GradeRule(denominator=P).text()
        strict_first = GradeRule(60, 50, P, satisfied_strict=True).text()
        strict_both = GradeRule(denominator=R, satisfied_strict=True, basic_strict=True).text()
    assert default == (
        "满意票达到实到代表数的 50% 为“满意”；"
        "满意与基本满意票合计达到实到代表数的 50% 为“基本满意”；否则为“不满意”。"
    )
    assert "满意票超过实到代表数的 60% 为“满意”" in strict_first
    assert "合计达到实到代表数的 50% 为“基本满意”" in strict_first
    assert "满意票超过应到代表数的 50%" in strict_both and "合计超过应到代表数的 50%" in strict_both
