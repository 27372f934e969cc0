"""The livelihood vote's ballot shape and result rule (票决), over tables: pure, no database."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import pytest

from supervise.ballots.approval import ApprovalRule, PassBase, RunOff, Vote, approval_shape, count_ballots
from supervise.ballots.shape import Numbers

Y, N, A = Vote.yes, Vote.no, Vote.abstain
R, P, V = PassBase.roster, PassBase.present, PassBase.valid
# 应到 30, 实到 24, 有效票 20: "more than half" needs 16, 13 and 11 赞成.
NUMBERS = Numbers(roster=30, present=24, valid=20, invalid=4)
HALF = {R: 15, P: 12, V: 10}


def counts(yes: dict[int, int]) -> dict[int, Counter[str]]:
    """Candidates' 赞成 as given; the rest of the valid ballots split into 不赞成 and 弃权."""
    out = {}
    for candidate, ayes in yes.items():
        rest = NUMBERS.valid - ayes
        out[candidate] = Counter(
            {"yes": ayes, "no": max(0, rest) // 2, "abstain": max(0, rest) - max(0, rest) // 2}
        )
    return out


def at_half(base: PassBase, offset: int) -> int:
    return HALF[base] + offset


# (case, {candidate: 赞成 as offset from half}, places, run-offs allowed,
#  chosen, tied, vacancies, run-off (candidates, places) or None)
TABLE = [
    ("exactly half fails, one more passes", {1: 0, 2: 1}, 2, 0, [2], [], 1, None),
    (
        "exactly half fails: a run-off among those who did not pass",
        {1: 0, 2: 1},
        2,
        1,
        [2],
        [],
        0,
        ([1], 1),
    ),
    ("all pass, more than places, no tie", {1: 5, 2: 3, 3: 1}, 2, 1, [1, 2], [], 0, None),
    (
        "a tie at the cut: run-off among the tied",
        {1: 5, 2: 2, 3: 2, 4: -5},
        2,
        1,
        [1],
        [2, 3],
        0,
        ([2, 3], 1),
    ),
    (
        "a tie at the cut without run-offs: the place stays empty",
        {1: 5, 2: 2, 3: 2},
        2,
        0,
        [1],
        [2, 3],
        1,
        None,
    ),
    ("a three-way tie for two places", {1: 5, 2: 2, 3: 2, 4: 2}, 3, 1, [1], [2, 3, 4], 0, ([2, 3, 4], 2)),
    ("a tie below the cut is no tie", {1: 5, 2: 3, 3: 2, 4: 2}, 2, 1, [1, 2], [], 0, None),
    ("a tie that fits the places", {1: 5, 2: 2, 3: 2}, 3, 1, [1, 2, 3], [], 0, None),
    ("fewer than N pass: run-off among the rest", {1: 4, 2: 0, 3: -3}, 2, 1, [1], [], 0, ([2, 3], 1)),
    ("fewer than N pass, no run-off: vacancies", {1: 4, 2: 0, 3: -3}, 3, 0, [1], [], 2, None),
    ("nobody passes", {1: 0, 2: -1}, 1, 0, [], [], 1, None),
]


@pytest.mark.parametrize("base", [R, P, V])
@pytest.mark.parametrize(
    ("case", "offsets", "places", "runoffs", "chosen", "tied", "vacancies", "runoff"),
    TABLE,
    ids=[row[0] for row in TABLE],
)
def test_the_rule(base, case, offsets, places, runoffs, chosen, tied, vacancies, runoff):
    rule = ApprovalRule(places=places, base=base, runoffs=runoffs)
    tally = counts({candidate: at_half(base, offset) for candidate, offset in offsets.items()})
    first = rule.decide(tally, NUMBERS)
    assert first.base == HALF[base] * 2
    assert first.chosen == chosen
    assert first.tied == tied
    assert all(line.passed == (line.yes > HALF[base]) for line in first.lines)
    outcome = rule.settle([(tally, NUMBERS)])
    assert outcome.chosen == chosen
    assert outcome.vacancies == vacancies
    assert outcome.runoff == (RunOff(*runoff) if runoff else None)
    assert outcome.settled == (runoff is None)


def test_lines_are_ranked_passing_first_by_yes_then_the_rest():
    rule = ApprovalRule(places=2)
    result = rule.decide(counts({1: 10, 2: 20, 3: 16, 4: 18, 5: 15}), NUMBERS)
    assert [line.candidate for line in result.lines] == [2, 4, 3, 5, 1]
    assert [line.passed for line in result.lines] == [True, True, True, False, False]
    assert result.chosen == [2, 4]
    assert result.passed == [2, 4, 3]
    line = result.lines[0]
    assert (line.yes, line.no + line.abstain + line.invalid) == (20, 0)


def test_a_run_off_decides_the_tie_with_its_own_ballots():
    rule = ApprovalRule(places=2, base=V, runoffs=1)
    first = counts({1: 18, 2: 14, 3: 14, 4: 3})
    outcome = rule.settle([(first, NUMBERS)])
    assert outcome.runoff == RunOff([2, 3], 1)
    # The run-off's sheets carry candidates 2 and 3 only, for one place: 19 valid, 1 void.
    shape = approval_shape(outcome.runoff.places)
    ballots = [{2: Y, 3: N}] * 12 + [{2: N, 3: Y}] * 6 + [{}] + [{2: Y, 3: Y}]
    runoff = count_ballots(shape, [2, 3], ballots)
    assert (runoff.valid, runoff.invalid) == (19, 1)
    assert runoff.counts[2] == Counter({"yes": 12, "no": 6, "abstain": 1})
    numbers = Numbers(roster=30, present=24, valid=runoff.valid, invalid=runoff.invalid)
    final = rule.settle([(first, NUMBERS), (runoff.counts, numbers)])
    assert final.chosen == [1, 2]
    assert final.candidates == 4 and final.chosen_share == Fraction(1, 2)
    assert (final.vacancies, final.runoff) == (0, None)
    assert len(final.rounds) == 2 and final.rounds[1].places == 1


def test_a_second_tie_after_the_last_allowed_run_off_leaves_the_place_empty():
    rule = ApprovalRule(places=2, base=P, runoffs=1)
    first = counts({1: 18, 2: 14, 3: 14})
    again = {2: Counter({"yes": 15}), 3: Counter({"yes": 15})}
    outcome = rule.settle([(first, NUMBERS), (again, NUMBERS)])
    assert outcome.chosen == [1]
    assert outcome.rounds[1].tied == [2, 3]
    assert (outcome.vacancies, outcome.runoff) == (1, None)
    two = ApprovalRule(places=2, base=P, runoffs=2).settle([(first, NUMBERS), (again, NUMBERS)])
    assert two.runoff == RunOff([2, 3], 1) and two.vacancies == 0


def test_run_off_counts_must_match_what_the_result_calls_for():
    rule = ApprovalRule(places=1, runoffs=1)
    settled = counts({1: 20, 2: 3})
    with pytest.raises(ValueError, match="does not call for"):
        rule.settle([(settled, NUMBERS), (settled, NUMBERS)])
    tie = counts({1: 20, 2: 20, 3: 3})
    with pytest.raises(ValueError, match="its candidates"):
        rule.settle([(tie, NUMBERS), (counts({1: 20, 3: 1}), NUMBERS)])
    with pytest.raises(ValueError):
        rule.settle([])


@pytest.mark.parametrize(
    ("marks", "void"),
    [
        ({1: Y, 2: Y, 3: N}, False),  # exactly N 赞成
        ({1: Y, 2: Y, 3: Y}, True),  # more 赞成 than N: the whole sheet
        ({}, False),  # all blank: 弃权 on every line
        ({1: Y, 2: Vote.invalid, 3: Y}, False),  # an invalid line is not a 赞成
        ({1: N, 2: N, 3: N, 4: N}, False),
    ],
)
def test_more_yes_than_places_voids_the_whole_ballot(marks, void):
    shape = approval_shape(2)
    reason = shape.void_reason(shape.fill([1, 2, 3, 4], marks))
    assert (reason is not None) == void
    if void:
        assert "3" in reason and "2" in reason


@pytest.mark.parametrize(
    ("ticked", "mark"),
    [
        ([], A),
        (["yes"], Y),
        (["no"], N),
        (["abstain"], A),
        (["yes", "no"], Vote.invalid),
        (["bogus"], Vote.invalid),
    ],
)
def test_a_line_reads_blank_as_abstain_and_several_ticks_as_invalid(ticked, mark):
    assert approval_shape(3).read_line(ticked) == mark


def test_blank_lines_count_as_abstentions_and_void_ballots_count_for_nobody():
    shape = approval_shape(1)
    ballots = [{1: Y}, {2: Y}, {}, {1: Y, 2: Y}, {1: N, 2: Vote.invalid}]
    result = count_ballots(shape, [1, 2], ballots)
    assert (result.valid, result.invalid) == (4, 1)
    assert result.counts[1] == Counter({"yes": 1, "abstain": 2, "no": 1})
    assert result.counts[2] == Counter({"yes": 1, "abstain": 2, "invalid": 1})
    assert shape.unanswered([1, 2], {}) == []  # a phone may leave lines blank: they are 弃权


def test_the_valid_ballot_denominator_is_the_valid_ballots_not_the_marks():
    rule = ApprovalRule(places=1, base=V)
    shape = approval_shape(1)
    # 5 valid ballots, 3 of them 赞成 for 1: passes (3 > 2.5), though 2 void sheets also came back.
    ballots = [{1: Y}] * 3 + [{}] * 2 + [{1: Y, 2: Y}] * 2
    result = count_ballots(shape, [1, 2], ballots)
    numbers = Numbers(roster=30, present=7, valid=result.valid, invalid=result.invalid)
    assert rule.decide(result.counts, numbers).chosen == [1]
    assert ApprovalRule(places=1, base=P).decide(result.counts, numbers).chosen == []


def test_no_denominator_means_nobody_passes():
    empty = Numbers(roster=30, present=0, valid=0)
    for base in (P, V):
        assert ApprovalRule(places=1, base=base).decide({1: Counter()}, empty).passed == []


def test_the_rule_reads_as_printed(app):
    with app.test_request_context():
        text = ApprovalRule(places=10, base=R, runoffs=1).text()
        assert "应到代表数" in text and "前 10 个" in text and "最多 1 轮" in text
        assert "名额空缺" in ApprovalRule(places=10, runoffs=0).text()


@pytest.mark.parametrize(
    "places, runoffs, base, said, unsaid",
    [
        (1, 1, R, ("the deputies on the roster", "at most 1 round;", "the first is chosen"), ("rounds",)),
        (3, 2, P, ("the deputies present", "at most 2 rounds;", "the first 3 are chosen"), ()),
        (2, 0, V, ("the valid ballots", "the first 2 are chosen", "places empty"), ("round",)),
    ],
)
def test_the_rule_reads_as_english_too(app, places, runoffs, base, said, unsaid):
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("en"):
        text = ApprovalRule(places=places, base=base, runoffs=runoffs).text()
        choice = str(base.label)  # on its own, as the setup form offers it, a capital
    assert choice[0].isupper(), choice
    for words in said:
        assert words in text, text
    for words in unsaid:
        assert words not in text, text
    # The denominator sits inside a sentence: no capital in mid-sentence ("half of the Deputies").
    assert "Deputies" not in text and " 1 rounds" not in text and "first 1 " not in text


@pytest.mark.parametrize(
    "places, said",
    [
        (1, ("chooses 1 project:", "at most 1 “For” vote;")),
        (3, ("chooses 3 projects:", "at most 3 “For” votes;")),
    ],
)
def test_the_phone_hint_counts_in_english(app, places, said):
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("en"):
        hint = approval_shape(places).phone_hint() or ""
        refusal = approval_shape(places).phone_refusal({1: Y, 2: Y, 3: Y, 4: Y}) or ""
    for words in said:
        assert words in hint, hint
    assert f"at most {places} “For” vote" in refusal and ("votes" in refusal) == (places != 1), refusal
