"""The quorum of a session and "reaches a share" in exact integer arithmetic: shared by every vote.

"Exactly half" is decided without floats.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _


def reaches(votes: int, percent_needed: int, base: int, strict: bool) -> bool:
    """``votes`` reach ``percent_needed`` % of ``base``: at least (≥), or more than it when strict."""
    if strict:
        return votes * 100 > percent_needed * base
    return votes * 100 >= percent_needed * base


def threshold_word(strict: bool) -> str:
    """How a threshold reads in a rule's text: 超过 (more than) or 达到 (at least)."""
    return _("超过") if strict else _("达到")


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

    @property
    def word(self) -> str:
        """超过 or 达到, as the rules' thresholds read."""
        return threshold_word(self.strict)

    def more_needed(self, present: int, roster: int) -> int:
        return max(0, self.needed(roster) - present)
