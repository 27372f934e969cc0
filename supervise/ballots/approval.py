"""The livelihood projects' vote (票决): its ballot's shape and its result rule, pure and exact.

Shape: each candidate is marked 赞成 / 不赞成 / 弃权; a blank line is 弃权, a line with several ticks
an invalid line; a sheet with more 赞成 than the places to fill is invalid as a whole.

Rule: a candidate passes with 赞成 from more than half of the denominator (all deputies, those
present, or the valid ballots); the passing are ranked by 赞成 and the first N are chosen. A tie at
the cut, or fewer than N passing, leads to a run-off round among the tied (or the remaining)
candidates for the places still open, when the rule allows one; otherwise those places stay empty.
A run-off round is decided by the same rule, with its own ballots.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from flask_babel import gettext as _
from flask_babel import ngettext, pgettext

from ..core.enums import N_, LabeledEnum
from .shape import LineShape, Numbers, plain


class Vote(LabeledEnum):
    """What one ballot says about one candidate."""

    yes = ("yes", N_("赞成"), "success")
    no = ("no", N_("不赞成"), "danger")
    abstain = ("abstain", N_("弃权"), "secondary")
    invalid = ("invalid", N_("无效"), "secondary")


class PassBase(LabeledEnum):
    """What "more than half" is half of."""

    roster = ("roster", N_("应到代表数"), "secondary")
    present = ("present", N_("实到代表数"), "secondary")
    valid = ("valid", N_("有效票数"), "secondary")

    @property
    def in_rule(self) -> str:
        """The denominator as the rule's sentence says it: English writes it there in lower case
        ("more than half of the deputies present"), where the label stands alone as a choice."""
        if self is PassBase.roster:
            return pgettext("rule", "应到代表数")
        if self is PassBase.present:
            return pgettext("rule", "实到代表数")
        return pgettext("rule", "有效票数")


@dataclass(frozen=True)
class ApprovalShape(LineShape):
    """赞成 / 不赞成 / 弃权 per candidate, at most ``limit`` 赞成 on a valid ballot."""

    limit: int = 0

    def _ayes(self, marks: Mapping[int, str]) -> int:
        return sum(1 for mark in marks.values() if mark == Vote.yes)

    def void_reason(self, marks: Mapping[int, str]) -> str | None:
        """A paper sheet's rule: more 赞成 than places voids the whole sheet."""
        ayes = self._ayes(marks)
        if ayes > self.limit:
            return ngettext(
                "赞成 %(ayes)d 项，超过应选的 %(num)d 项：整张选票无效。",
                "赞成 %(ayes)d 项，超过应选的 %(num)d 项：整张选票无效。",
                self.limit,
                ayes=ayes,
            )
        return None

    def phone_refusal(self, marks: Mapping[int, str]) -> str | None:
        """A phone never casts a sheet the rule would void: it says so before anything is cast."""
        ayes = self._ayes(marks)
        if ayes > self.limit:
            return ngettext(
                "您选了 %(ayes)d 个“赞成”，最多可投 %(num)d 个赞成票。这张选票没有提交，没有计入任何票数："
                "请把其中 %(extra)d 个“赞成”改为“不赞成”或“弃权”，再提交。",
                "您选了 %(ayes)d 个“赞成”，最多可投 %(num)d 个赞成票。这张选票没有提交，没有计入任何票数："
                "请把其中 %(extra)d 个“赞成”改为“不赞成”或“弃权”，再提交。",
                self.limit,
                ayes=ayes,
                extra=ayes - self.limit,
            )
        return None

    def phone_hint(self) -> str | None:
        return ngettext(
            "本轮应选 %(num)d 个项目：最多可投 %(num)d 个赞成票，其余项目选“不赞成”或“弃权”。",
            "本轮应选 %(num)d 个项目：最多可投 %(num)d 个赞成票，其余项目选“不赞成”或“弃权”。",
            self.limit,
        )


def approval_shape(places: int) -> ApprovalShape:
    """The shape of a sheet that fills ``places`` places (the first round's N, or a run-off's)."""
    return ApprovalShape(
        marks=(Vote.yes, Vote.no, Vote.abstain), blank=Vote.abstain, several=Vote.invalid, limit=places
    )


@dataclass(frozen=True)
class BallotCount:
    """The valid ballots' marks per candidate, and how many ballots were valid and invalid."""

    counts: dict[int, Counter[str]]
    valid: int
    invalid: int


def count_ballots(
    shape: ApprovalShape, candidates: Sequence[int], ballots: Iterable[Mapping[int, str]]
) -> BallotCount:
    """Read each ballot by the shape (blank lines filled) and count the valid ones' marks."""
    counts: dict[int, Counter[str]] = {candidate: Counter() for candidate in candidates}
    valid = invalid = 0
    for ballot in ballots:
        marks = shape.fill(candidates, ballot)
        if shape.void_reason(marks) is not None:
            invalid += 1
            continue
        valid += 1
        for candidate, mark in marks.items():
            counts[candidate][plain(mark)] += 1
    return BallotCount(counts, valid, invalid)


@dataclass(frozen=True)
class CandidateResult:
    """One candidate in one round: the marks, whether it passed, was chosen, or is tied at the cut."""

    candidate: int
    yes: int
    no: int
    abstain: int
    invalid: int
    passed: bool
    chosen: bool = False
    tied: bool = False


@dataclass(frozen=True)
class Round:
    """One round's result. ``lines`` are ranked: the passing by 赞成 (most first), then the rest."""

    places: int
    base: int
    numbers: Numbers
    lines: list[CandidateResult]

    @property
    def chosen(self) -> list[int]:
        return [line.candidate for line in self.lines if line.chosen]

    @property
    def tied(self) -> list[int]:
        """Passing candidates tied at the cut, more of them than the places left for them."""
        return [line.candidate for line in self.lines if line.tied]

    @property
    def passed(self) -> list[int]:
        return [line.candidate for line in self.lines if line.passed]

    @property
    def open_places(self) -> int:
        return self.places - len(self.chosen)

    @property
    def runoff_candidates(self) -> list[int]:
        """Who a run-off would be among: the tied, else every candidate that did not pass."""
        if not self.open_places:
            return []
        if self.tied:
            return self.tied
        return [line.candidate for line in self.lines if not line.passed]


@dataclass(frozen=True)
class RunOff:
    """A run-off round still to hold: among these candidates, for these places."""

    candidates: list[int]
    places: int


@dataclass(frozen=True)
class Outcome:
    """The whole vote: every round, the projects chosen (in the order chosen), the places left
    empty, and the run-off still to hold (None when the vote is settled)."""

    rule: ApprovalRule
    rounds: list[Round]
    chosen: list[int] = field(default_factory=list)
    vacancies: int = 0
    runoff: RunOff | None = None

    @property
    def settled(self) -> bool:
        return self.runoff is None

    @property
    def candidates(self) -> int:
        """How many candidates stood in the first round."""
        return len(self.rounds[0].lines)

    @property
    def chosen_share(self) -> Fraction | None:
        """The 票决率's first half: the share of the candidates that were chosen (None without any)."""
        return Fraction(len(self.chosen), self.candidates) if self.candidates else None


@dataclass(frozen=True)
class ApprovalRule:
    """The vote's result rule: ``places`` to fill (N), the denominator, and how many run-off
    rounds the rules allow (0: a tie at the cut or too few passing leaves places empty)."""

    places: int
    base: PassBase = PassBase.roster
    runoffs: int = 1

    def base_of(self, numbers: Numbers) -> int:
        if self.base is PassBase.roster:
            return numbers.roster
        if self.base is PassBase.present:
            return numbers.present
        return numbers.valid

    def passes(self, yes: int, numbers: Numbers) -> bool:
        """More than half of the denominator: exactly half is not enough."""
        base = self.base_of(numbers)
        return base > 0 and yes * 2 > base

    def decide(self, counts: Mapping[int, Counter[str]], numbers: Numbers) -> Round:
        """The first round: every candidate counted, for all the places."""
        return self.decide_round(counts, numbers, self.places)

    def decide_round(self, counts: Mapping[int, Counter[str]], numbers: Numbers, places: int) -> Round:
        """One round among the candidates in ``counts`` for ``places`` places."""
        raw = [
            (candidate, marks[Vote.yes.value], self.passes(marks[Vote.yes.value], numbers), marks)
            for candidate, marks in counts.items()
        ]
        raw.sort(key=lambda row: (not row[2], -row[1], row[0]))
        passing = [row for row in raw if row[2]]
        chosen: set[int] = set()
        tied: set[int] = set()
        if len(passing) <= places:
            chosen = {row[0] for row in passing}
        else:
            cut = passing[places - 1][1] if places else None
            if places and passing[places][1] == cut:
                chosen = {row[0] for row in passing if row[1] > cut}
                tied = {row[0] for row in passing if row[1] == cut}
            else:
                chosen = {row[0] for row in passing[:places]}
        lines = [
            CandidateResult(
                candidate=candidate,
                yes=yes,
                no=marks[Vote.no.value],
                abstain=marks[Vote.abstain.value],
                invalid=marks[Vote.invalid.value],
                passed=passed,
                chosen=candidate in chosen,
                tied=candidate in tied,
            )
            for candidate, yes, passed, marks in raw
        ]
        return Round(places=places, base=self.base_of(numbers), numbers=numbers, lines=lines)

    def settle(self, rounds: Sequence[tuple[Mapping[int, Counter[str]], Numbers]]) -> Outcome:
        """The vote from its rounds' counts: the first round's, then each run-off's (counted on
        sheets of ``runoff.candidates`` only). Counts for more run-offs than needed are refused."""
        if not rounds:
            raise ValueError("a vote has at least one round")
        done: list[Round] = []
        chosen: list[int] = []
        places = self.places
        runoff: RunOff | None = None
        for index, (counts, numbers) in enumerate(rounds):
            if index and runoff is None:
                raise ValueError("a run-off round was counted that the result does not call for")
            if runoff is not None and set(counts) != set(runoff.candidates):
                raise ValueError("a run-off's counts must be those of its candidates")
            result = self.decide_round(counts, numbers, places)
            done.append(result)
            chosen.extend(result.chosen)
            places = result.open_places
            allowed = index < self.runoffs
            runoff = (
                RunOff(result.runoff_candidates, places)
                if places and allowed and result.runoff_candidates
                else None
            )
        vacancies = 0 if runoff else places
        return Outcome(rule=self, rounds=done, chosen=chosen, vacancies=vacancies, runoff=runoff)

    def text(self) -> str:
        """The rule as the report prints it."""
        # ngettext: Chinese has one form, English two ("the first is chosen", "at most 2 rounds").
        text = ngettext(
            "候选项目获得赞成票超过%(base)s的半数为通过；通过的项目按赞成票多少排序，前 %(num)d 个当选。",
            "候选项目获得赞成票超过%(base)s的半数为通过；通过的项目按赞成票多少排序，前 %(num)d 个当选。",
            self.places,
            base=self.base.in_rule,
        )
        if self.runoffs:
            return text + ngettext(
                "排序末位赞成票相等，或通过的项目少于应选数时，就票数相等或未通过的项目另行投票，"
                "最多 %(num)d 轮；仍不能确定的名额空缺。",
                "排序末位赞成票相等，或通过的项目少于应选数时，就票数相等或未通过的项目另行投票，"
                "最多 %(num)d 轮；仍不能确定的名额空缺。",
                self.runoffs,
            )
        return text + _("排序末位赞成票相等，或通过的项目少于应选数时，不能确定的名额空缺。")
