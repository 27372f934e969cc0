"""How long the evaluation meeting's tally and blank sheets take. Prints figures, asserts nothing.

    .venv/bin/python bench/evaluation_tally.py [--ballots 1000] [--lines 100] [--sheets 60] [--runs 5]

Builds a SQLite file database with one meeting of ``lines`` rated lines (offices) and ``ballots``
ballots (every line marked, 2% of them corrected once), then times:
- tally.results (one GROUP BY over the ballots as they stand), against a baseline in the same run:
  loading every mark into Python and counting there (target: the tally well under one second);
- the blank assessment sheets for ``sheets`` deputies as one PDF, against one sheet alone.
Each figure is the median of warm runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select  # noqa: E402

from config import TestConfig  # noqa: E402
from supervise import create_app  # noqa: E402
from supervise.accounts.models import User  # noqa: E402
from supervise.core.pdf import html_to_pdf  # noqa: E402
from supervise.evaluation import documents  # noqa: E402
from supervise.evaluation.models import (  # noqa: E402
    Ballot,
    BallotCorrection,
    BallotKind,
    BallotMark,
    EvaluationMeeting,
    Mark,
)
from supervise.evaluation.operations import remove_lines  # noqa: E402
from supervise.evaluation.tally import results  # noqa: E402
from supervise.extensions import db  # noqa: E402
from tests.factories import Factory  # noqa: E402

GRADES = [Mark.satisfied, Mark.satisfied, Mark.basic, Mark.dissatisfied, Mark.invalid]


def median_time(fn, runs: int) -> float:
    fn()  # warm: fonts, statement caches
    times = []
    for _n in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def build(ballots: int, lines: int, deputies: int):
    factory = Factory()
    chair = factory.user("presidium")
    for n in range(lines):
        factory.office(name=f"测评站所{n + 1:03d}")
    meeting = factory.evaluation_meeting(chair, deputies=deputies, items=[])
    db.session.commit()
    line_ids = [line.id for line in meeting.lines]
    db.session.execute(
        insert(Ballot),
        [{"meeting_id": meeting.id, "source": BallotKind.phone} for _n in range(ballots)],
    )
    ballot_ids = list(db.session.execute(select(Ballot.id).where(Ballot.meeting_id == meeting.id)).scalars())
    marks = [
        {"ballot_id": b, "line_id": line, "mark": GRADES[(b * 7 + i) % len(GRADES)]}
        for b in ballot_ids
        for i, line in enumerate(line_ids)
    ]
    db.session.execute(insert(BallotMark), marks)
    for b in ballot_ids[:: max(1, ballots // 20)]:  # some corrections: their marks replace the ballot's
        correction = BallotCorrection(ballot_id=b, made_by_id=chair.id, reason="核对原件更正")
        db.session.add(correction)
        db.session.flush()
        db.session.execute(
            insert(BallotMark),
            [
                {"ballot_id": b, "line_id": line, "mark": Mark.satisfied, "correction_id": correction.id}
                for line in line_ids
            ],
        )
    db.session.commit()
    return meeting.id


def naive_counts(meeting_id: int) -> Counter:
    rows = db.session.execute(
        select(BallotMark.line_id, BallotMark.mark, BallotMark.correction_id, BallotMark.ballot_id)
        .join(Ballot, Ballot.id == BallotMark.ballot_id)
        .where(Ballot.meeting_id == meeting_id)
    ).all()
    corrected = {}
    for _line, _mark, correction, ballot in rows:
        if correction is not None:
            corrected[ballot] = max(corrected.get(ballot, 0), correction)
    return Counter(
        (line, mark) for line, mark, correction, ballot in rows if correction == corrected.get(ballot)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ballots", type=int, default=1000)
    parser.add_argument("--lines", type=int, default=100)
    parser.add_argument("--sheets", type=int, default=60)
    parser.add_argument("--sheet-lines", type=int, default=12, help="rated lines on each blank sheet")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        cfg = type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db"})
        app = create_app(cfg)
        with app.app_context(), app.test_request_context():
            db.create_all()
            meeting_id = build(args.ballots, args.lines, args.sheets)
            meeting = db.session.get(EvaluationMeeting, meeting_id)
            rows = results(meeting)
            assert sum(r.counts.total for r in rows) == args.ballots * len(meeting.lines)
            tally = median_time(lambda: results(meeting), args.runs)
            naive = median_time(lambda: naive_counts(meeting_id), args.runs)
            print(f"ballots × rated lines      {args.ballots} × {len(meeting.lines)}")
            print(f"tally.results              {tally * 1000:8.1f} ms   (target < 1000 ms)")
            print(f"baseline: count in Python  {naive * 1000:8.1f} ms   tally/baseline {tally / naive:.2f}")

            # A sheet as a township prints it: a dozen items and offices, one A4 page.
            chair = db.session.get(User, meeting.created_by_id)
            printed = Factory().evaluation_meeting(chair, deputies=0, items=[])
            remove_lines(chair, printed, [line.id for line in printed.lines[args.sheet_lines :]])
            one = documents.sheets_html(printed, [1])
            many = documents.sheets_html(printed, list(range(1, args.sheets + 1)))
            single = median_time(lambda: html_to_pdf(one), max(1, args.runs // 2))
            whole = median_time(lambda: html_to_pdf(many), max(1, args.runs // 2))
            size = len(html_to_pdf(many))
            print(f"blank sheets of {len(printed.lines)} lines:")
            print(f"  1 sheet                  {single:8.2f} s")
            print(
                f"  {args.sheets} sheets, one PDF      {whole:8.2f} s   "
                f"({size / 1024:.0f} KB, {whole / single:.1f}× one)"
            )


if __name__ == "__main__":
    main()
