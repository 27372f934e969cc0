"""The evaluation meeting's own part of the ballot engine: its ballot's shape and its result rule.

A line (an item or an office) is marked 满意 / 基本满意 / 不满意; a blank line or one with several
ticks is an invalid line, never a whole invalid ballot. The result rule grades each line by the
meeting's GradeRule (rules.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from ..ballots.shape import LineShape, Numbers
from ..lists.models import Rating
from .models import GRADES, Mark
from .rules import Counts, GradeRule

SHAPE = LineShape(marks=tuple(GRADES), blank=Mark.invalid, several=Mark.invalid)

FIELDS = {Mark.satisfied: "satisfied", Mark.basic: "basic", Mark.dissatisfied: "dissatisfied"}


def counts_of(marks: Counter[str]) -> Counts:
    """A line's Counter of marks as the grade rule reads it: any mark not a grade is invalid."""
    values = {"satisfied": 0, "basic": 0, "dissatisfied": 0, "invalid": 0}
    for mark, number in marks.items():
        values[FIELDS.get(Mark(mark), "invalid")] += number
    return Counts(**values)


@dataclass(frozen=True)
class GradeResult:
    """The meeting's GradeRule as a ResultRule: {line id: grade or None}."""

    rule: GradeRule

    def decide(self, counts: Mapping[int, Counter[str]], numbers: Numbers) -> dict[int, Rating | None]:
        return {
            line_id: self.rule.grade(counts_of(marks), numbers.roster, numbers.present)
            for line_id, marks in counts.items()
        }

    def text(self) -> str:
        return self.rule.text()
