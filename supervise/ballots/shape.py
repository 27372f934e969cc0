"""The seam between the engine and a meeting: a ballot's shape and a vote's result rule.

A ballot is one mark per line ({line id: mark}); a mark is a string (the meetings' marks are
``LabeledEnum`` members, which are strings). What the engine does with ballots (rolls, serials,
double entry, codes, the sealed pool, the reconciliation, the projection's counts, corrections)
never looks inside a mark: only the shape reads ticks, fills blank lines, says whether a whole
ballot is invalid and turns stored marks into counts, and only the result rule turns counts into
a result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

Outcome_co = TypeVar("Outcome_co", covariant=True)


class BallotShape(Protocol):
    """What a line may be marked and how a whole ballot is read."""

    @property
    def marks(self) -> tuple[str, ...]:
        """The marks a line may validly carry, in the order the sheet prints them."""
        ...

    def read_line(self, ticked: Collection[str]) -> str:
        """The line's mark from the boxes a clerk saw ticked (none, one or several)."""
        ...

    def fill(self, line_ids: Sequence[int], chosen: Mapping[int, str]) -> dict[int, str]:
        """A mark for every line: the chosen ones, and what a blank line counts as."""
        ...

    def unanswered(self, line_ids: Sequence[int], chosen: Mapping[int, str]) -> list[int]:
        """The lines a phone ballot must still answer before it may be cast (a blank that would
        not count as a valid mark): a phone never casts an invalid line by mistake."""
        ...

    @property
    def invalid(self) -> str:
        """The mark of an invalid line (a void sheet's lines all carry it)."""
        ...

    def void_reason(self, marks: Mapping[int, str]) -> str | None:
        """Why the ballot is invalid as a whole, from its marks alone; None when it is not."""
        ...

    def phone_refusal(self, marks: Mapping[int, str]) -> str | None:
        """Why a phone refuses to cast these marks (a ballot its shape would void), said to the
        deputy holding it: nothing is cast, and how to put it right; None when it may be cast."""
        ...

    def phone_hint(self) -> str | None:
        """What the phone ballot says above its lines besides the marks (a limit), or None."""
        ...

    def count(self, rows: Iterable[tuple[int, str, int]]) -> dict[int, Counter[str]]:
        """{line id: Counter of marks} from (line id, mark, how many) rows of valid ballots."""
        ...


def plain(mark: str) -> str:
    """A mark as a plain string (an enum member's value), so that counters key on values alone."""
    return str.__str__(mark)


@dataclass(frozen=True)
class Numbers:
    """The counts a result rule may need besides the marks: 应到, 实到, valid and invalid ballots."""

    roster: int
    present: int
    valid: int
    invalid: int = 0


class ResultRule(Protocol[Outcome_co]):
    """Turns a vote's counts into its result (grades per line; candidates passed and chosen)."""

    def decide(self, counts: Mapping[int, Counter[str]], numbers: Numbers) -> Outcome_co: ...

    def text(self) -> str:
        """The rule as printed on the sheets, the report and the pages."""
        ...


@dataclass(frozen=True)
class LineShape:
    """A ballot of lines, each marked with one of ``marks``: a blank line reads as ``blank``, a
    line with several ticks as ``several``. Its ballots are never invalid as a whole by their
    marks (only a clerk voids a sheet). Subclasses add whole-ballot rules."""

    marks: tuple[str, ...]
    blank: str
    several: str

    @property
    def invalid(self) -> str:
        return self.several

    def read_line(self, ticked: Collection[str]) -> str:
        chosen = set(ticked)
        if not chosen:
            return self.blank
        if len(chosen) == 1 and next(iter(chosen)) in self.marks:
            return next(iter(chosen))
        return self.several

    def fill(self, line_ids: Sequence[int], chosen: Mapping[int, str]) -> dict[int, str]:
        return {line_id: chosen.get(line_id, self.blank) for line_id in line_ids}

    def unanswered(self, line_ids: Sequence[int], chosen: Mapping[int, str]) -> list[int]:
        if self.blank in self.marks:
            return []
        return [line_id for line_id in line_ids if chosen.get(line_id) not in self.marks]

    def void_reason(self, marks: Mapping[int, str]) -> str | None:
        return None

    def phone_refusal(self, marks: Mapping[int, str]) -> str | None:
        return self.void_reason(marks)

    def phone_hint(self) -> str | None:
        return None

    def count(self, rows: Iterable[tuple[int, str, int]]) -> dict[int, Counter[str]]:
        out: dict[int, Counter[str]] = {}
        for line_id, mark, number in rows:
            out.setdefault(line_id, Counter())[plain(mark)] += number
        return out
