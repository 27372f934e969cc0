"""The evaluation's results: each rated line's counts and grade by the meeting's grade rule, from
the engine's tally (ballots/tally.py)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from ..ballots.shape import Numbers
from ..ballots.tally import Turnout, line_marks, turnout
from ..lists.models import Rating
from .models import EvaluationMeeting, RatedLine
from .rules import Counts, satisfaction_rate
from .shape import GradeResult, counts_of


def line_counts(meeting: EvaluationMeeting) -> dict[int, Counts]:
    """{rated line id: its counts} as the grade rule reads them."""
    return {line_id: counts_of(marks) for line_id, marks in line_marks(meeting).items()}


@dataclass(frozen=True)
class LineResult:
    line: RatedLine
    counts: Counts
    grade: Rating | None

    @property
    def rate(self) -> Fraction | None:
        return satisfaction_rate(self.counts)


def results(meeting: EvaluationMeeting, numbers: Turnout | None = None) -> list[LineResult]:
    """Every rated line with its counts, satisfaction rate and grade by the meeting's result rule."""
    numbers = numbers or turnout(meeting)
    found = line_marks(meeting)
    marks = {line.id: found.get(line.id, Counter()) for line in meeting.lines}
    grades = GradeResult(meeting.rule).decide(
        marks,
        Numbers(
            roster=numbers.roster,
            present=numbers.present,
            valid=numbers.ballots - numbers.void_ballots,
            invalid=numbers.void_ballots,
        ),
    )
    return [LineResult(line, counts_of(marks[line.id]), grades[line.id]) for line in meeting.lines]
