"""The evaluation meeting's rules (民主评议): quorum, grade rule, rate.

Pure functions over counts, in exact integer arithmetic: "exactly half" is decided without floats.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..core.enums import N_, LabeledEnum
from ..lists.models import Rating


class Denominator(LabeledEnum):
    """What "half" is half of in the grade rule."""

    roster = ("roster", N_("应到代表数"), "secondary")
    present = ("present", N_("实到代表数"), "secondary")
    valid = ("valid", N_("该项有效票数"), "secondary")


@dataclass(frozen=True)
class Counts:
    """The marks one rated line received: each grade and invalid (blank or double marks)."""

    satisfied: int = 0
    basic: int = 0
    dissatisfied: int = 0
    invalid: int = 0

    @property
    def valid(self) -> int:
        return self.satisfied + self.basic + self.dissatisfied

    @property
    def total(self) -> int:
        return self.valid + self.invalid


@dataclass(frozen=True)
class GradeRule:
    """满意 if satisfied ≥ satisfied_percent % of the denominator; else 基本满意 if satisfied + basic ≥
    basic_percent % of it; else 不满意. The default is half and half."""

    satisfied_percent: int = 50
    basic_percent: int = 50
    denominator: Denominator = Denominator.present

    def base(self, counts: Counts, roster: int, present: int) -> int:
        if self.denominator is Denominator.roster:
            return roster
        if self.denominator is Denominator.present:
            return present
        return counts.valid

    def grade(self, counts: Counts, roster: int, present: int) -> Rating | None:
        """The line's grade; None when nobody marked it validly (no grade can be given from nothing)."""
        base = self.base(counts, roster, present)
        if counts.valid == 0 or base <= 0:
            return None
        if counts.satisfied * 100 >= self.satisfied_percent * base:
            return Rating.satisfied
        if (counts.satisfied + counts.basic) * 100 >= self.basic_percent * base:
            return Rating.basically_satisfied
        return Rating.dissatisfied


def satisfaction_rate(counts: Counts) -> Fraction | None:
    """(满意 + 基本满意) / valid marks, or None without valid marks."""
    if counts.valid == 0:
        return None
    return Fraction(counts.satisfied + counts.basic, counts.valid)


def percent(rate: Fraction | None) -> str:
    """A rate as the summary prints it: 95.5%, or — without valid marks."""
    if rate is None:
        return "—"
    value = round(float(rate) * 100, 1)
    return f"{value:g}%"


@dataclass(frozen=True)
class Quorum:
    """Default: more than two thirds of the roster present (strictly more)."""

    numerator: int = 2
    denominator: int = 3
    strict: bool = True

    def is_met(self, present: int, roster: int) -> bool:
        if roster <= 0:
            return False
        if self.strict:
            return present * self.denominator > roster * self.numerator
        return present * self.denominator >= roster * self.numerator

    def needed(self, roster: int) -> int:
        """The smallest number present that meets the quorum."""
        if self.strict:
            return roster * self.numerator // self.denominator + 1
        return -(-roster * self.numerator // self.denominator)

    def more_needed(self, present: int, roster: int) -> int:
        return max(0, self.needed(roster) - present)
