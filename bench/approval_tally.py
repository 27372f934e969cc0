"""How long the livelihood vote's tally takes, next to the evaluation meeting's. Prints figures,
asserts nothing.

    .venv/bin/python bench/approval_tally.py [--ballots 1000] [--candidates 30] [--places 10] [--runs 5]

The vote (ballots/approval.py): ``ballots`` sheets of ``candidates`` lines (some blank lines, 2% of
the sheets with more 赞成 than places, hence void), read by the shape, counted, and settled by the
rule; the marks are made so that three candidates tie for the last two places, and a run-off round
of as many sheets among the three decides it. Target: the whole (both rounds) under 0.5 s.

The evaluation (same run, same machine): tally.results over a SQLite file with as many ballots and
rated lines, as bench/evaluation_tally.py builds them.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaluation_tally import build, median_time  # noqa: E402

from config import TestConfig  # noqa: E402
from supervise import create_app  # noqa: E402
from supervise.ballots.approval import ApprovalRule, PassBase, Vote, approval_shape, count_ballots  # noqa: E402
from supervise.ballots.shape import Numbers  # noqa: E402
from supervise.evaluation.models import EvaluationMeeting  # noqa: E402
from supervise.evaluation.tally import results  # noqa: E402
from supervise.extensions import db  # noqa: E402


def sheets(count: int, candidates: list[int], places: int, seed: int) -> list[dict[int, Vote]]:
    """Sheets on which three candidates tie for the last two places."""
    rng = random.Random(seed)
    fixed, three, rest = (
        candidates[: places - 2],
        candidates[places - 2 : places + 1],
        candidates[places + 1 :],
    )
    valid = count - len(range(0, count, 50))
    out = []
    k = 0
    for n in range(count):
        if n % 50 == 0:  # a void sheet: 赞成 on every line
            out.append(dict.fromkeys(candidates, Vote.yes))
            continue
        sheet = dict.fromkeys(fixed, Vote.yes)
        if k < valid - valid % 3:  # each pair of the three in turn: equal 赞成 for all three
            sheet.update(dict.fromkeys([c for i, c in enumerate(three) if i != k % 3], Vote.yes))
        k += 1
        for candidate in rest:
            choice = rng.random()
            if choice < 0.6:
                sheet[candidate] = Vote.no
            elif choice < 0.8:
                sheet[candidate] = Vote.abstain
            # else blank: 弃权 by the shape
        out.append(sheet)
    return out


def vote(first_round, runoff_round, candidates: list[int], rule: ApprovalRule, present: int):
    first = count_ballots(approval_shape(rule.places), candidates, first_round)
    numbers = Numbers(roster=present, present=present, valid=first.valid, invalid=first.invalid)
    outcome = rule.settle([(first.counts, numbers)])
    assert outcome.runoff is not None, "the bench's first round must tie at the cut"
    second = count_ballots(approval_shape(outcome.runoff.places), outcome.runoff.candidates, runoff_round)
    again = Numbers(roster=present, present=present, valid=second.valid, invalid=second.invalid)
    return rule.settle([(first.counts, numbers), (second.counts, again)])


def vote_size() -> argparse.Namespace:
    """The vote's size from the command line (bench/vote_tally.py takes the same)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--ballots", type=int, default=1000)
    parser.add_argument("--candidates", type=int, default=30)
    parser.add_argument("--places", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    return parser.parse_args()


def main() -> None:
    args = vote_size()
    candidates = list(range(1, args.candidates + 1))
    rule = ApprovalRule(places=args.places, base=PassBase.valid, runoffs=1)
    first_round = sheets(args.ballots, candidates, args.places, seed=1)
    tied = candidates[args.places - 2 : args.places + 1]
    runoff_round = [{tied[0]: Vote.yes, tied[1]: Vote.yes, tied[2]: Vote.no}] * (args.ballots * 2 // 3) + [
        {tied[2]: Vote.yes}
    ] * (args.ballots - args.ballots * 2 // 3)

    cfg_folder = tempfile.TemporaryDirectory()
    cfg = type(
        "BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{cfg_folder.name}/bench.db"}
    )
    app = create_app(cfg)
    with app.app_context(), app.test_request_context():
        outcome = vote(first_round, runoff_round, candidates, rule, args.ballots)
        assert outcome.settled and outcome.chosen == candidates[: args.places]
        approval = median_time(
            lambda: vote(first_round, runoff_round, candidates, rule, args.ballots), args.runs
        )

        db.create_all()
        meeting_id = build(args.ballots, args.candidates, 60)
        meeting = db.session.get(EvaluationMeeting, meeting_id)
        evaluation = median_time(lambda: results(meeting), args.runs)
        lines = len(meeting.lines)
    cfg_folder.cleanup()

    print(f"vote: ballots × candidates       {args.ballots} × {args.candidates}, {args.places} places")
    print(f"  two rounds (tie → run-off)     {approval * 1000:8.1f} ms   (target < 500 ms)")
    print(f"  chosen {len(outcome.chosen)}, run-off among {tied} for 2 places, {outcome.vacancies} vacancies")
    print(f"evaluation: ballots × lines      {args.ballots} × {lines}")
    print(f"  tally.results (SQLite)         {evaluation * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
