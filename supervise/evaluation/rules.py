"""The evaluation meeting's rules (民主评议): the grade rule and the rate (its result rule).

The quorum and "reaches a share" are the ballot engine's (ballots/quorum.py), re-exported here.

Pure functions over counts, in exact integer arithmetic: "exactly half" is decided without floats.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from flask_babel import gettext as _

from ..ballots.quorum import Quorum, reaches, threshold_word
from ..core.enums import N_, LabeledEnum
from ..lists.models import Rating

__all__ = [
    "Counts",
    "Denominator",
    "GradeRule",
    "Quorum",
    "percent",
    "reaches",
    "satisfaction_rate",
    "threshold_word",
]


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
    """满意 if satisfied reach satisfied_percent % of the denominator; else 基本满意 if satisfied +
    basic reach basic_percent % of it; else 不满意. Each threshold is "at least" that share (≥), or
    with ``*_strict`` "more than" it (>: exactly that share is not enough), as rules are written both
    ways. The default is at least half and at least half."""

    satisfied_percent: int = 50
    basic_percent: int = 50
    denominator: Denominator = Denominator.present
    satisfied_strict: bool = False
    basic_strict: bool = False

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
        if reaches(counts.satisfied, self.satisfied_percent, base, self.satisfied_strict):
            return Rating.satisfied
        if reaches(counts.satisfied + counts.basic, self.basic_percent, base, self.basic_strict):
            return Rating.basically_satisfied
        return Rating.dissatisfied

    def text(self) -> str:
        """The rule as printed on the sheets and the summary and shown on the pages."""
        return _(
            "满意票%(op_a)s%(base)s的 %(a)s%% 为“满意”；满意与基本满意票合计%(op_b)s%(base)s的 %(b)s%% "
            "为“基本满意”；否则为“不满意”。",
            op_a=threshold_word(self.satisfied_strict),
            op_b=threshold_word(self.basic_strict),
            base=self.denominator.label,
            a=self.satisfied_percent,
            b=self.basic_percent,
        )

    def bases_note(self, roster: int, present: int) -> str:
        """What the rate and the grade are each counted on, printed under the results: a line's rate
        may read 100% while its grade, counted on the deputies present, is 不满意."""
        if self.denominator is Denominator.valid:
            return _("满意率 =（满意 + 基本满意）÷ 该项有效票；等次也按该项有效票评定。")
        if self.denominator is Denominator.roster:
            return _(
                "满意率 =（满意 + 基本满意）÷ 该项有效票；等次按应到代表 %(n)d 人评定，"
                "没有收回的票和无效票都不计入满意或基本满意。",
                n=roster,
            )
        return _(
            "满意率 =（满意 + 基本满意）÷ 该项有效票；等次按实到代表 %(n)d 人评定，"
            "没有收回的票和无效票都不计入满意或基本满意。",
            n=present,
        )


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
