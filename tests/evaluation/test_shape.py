"""The evaluation's ballot shape through the engine's seam: how a sheet's lines are read and counted."""

from __future__ import annotations

from collections import Counter

import pytest

from supervise.ballots.shape import Numbers
from supervise.evaluation.models import Mark
from supervise.evaluation.rules import Counts, GradeRule
from supervise.evaluation.shape import SHAPE, GradeResult, counts_of
from supervise.lists.models import Rating

S, B, D, X = Mark.satisfied, Mark.basic, Mark.dissatisfied, Mark.invalid


@pytest.mark.parametrize(
    ("ticked", "mark"),
    [
        ([], X),
        (["satisfied"], S),
        (["basic"], B),
        (["dissatisfied"], D),
        (["satisfied", "basic"], X),
        (["invalid"], X),
    ],
)
def test_a_line_is_one_grade_and_a_blank_or_several_ticks_are_invalid(ticked, mark):
    assert SHAPE.read_line(ticked) == mark


def test_blank_lines_are_invalid_and_a_phone_must_answer_every_line():
    assert SHAPE.fill([1, 2, 3], {1: S}) == {1: S, 2: X, 3: X}
    assert SHAPE.unanswered([1, 2, 3], {1: S, 3: X}) == [2, 3]
    assert SHAPE.void_reason({1: X, 2: X}) is None  # only a clerk voids a whole evaluation sheet


def test_stored_marks_become_the_grade_rules_counts():
    counted = SHAPE.count([(1, S, 5), (1, B, 2), (1, X, 1), (2, D, 3), (1, S, 1)])
    assert counts_of(counted[1]) == Counts(satisfied=6, basic=2, invalid=1)
    assert counts_of(counted[2]) == Counts(dissatisfied=3)
    grades = GradeResult(GradeRule()).decide(counted, Numbers(roster=10, present=8, valid=8))
    assert grades == {1: Rating.satisfied, 2: Rating.dissatisfied}
    assert counts_of(Counter()) == Counts()
