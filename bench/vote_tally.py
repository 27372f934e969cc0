"""How long the livelihood vote's result takes from the stored ballots, and its report. Prints
figures, asserts nothing (issue 14's performance point).

    .venv/bin/python bench/vote_tally.py [--ballots 1000] [--candidates 30] [--places 10] [--runs 5]

Builds a SQLite file database with a fixed plan of ``candidates`` candidates for ``places`` places,
``ballots`` deputies all present, and the vote's first round (a ``VoteRound`` on the ballot engine)
with one stored ballot per deputy: the sheets of bench/approval_tally.py (three candidates tied for
the last two places, 2% of the sheets void on paper, the rest phone ballots), inserted as rows as
bench/evaluation_tally.py inserts the evaluation's. The round is closed through the engine
(reconciliation, unsealing), the run-off round the outcome calls for is set up by
``create_runoff`` and given as many ballots, and closed. Then times, each the median of warm runs:
- the outcome: both rounds' tallies of the stored ballots and ``ApprovalRule.settle``, through
  ``vote_operations.outcome(plan)`` (target < 0.5 s);
- the result report: ``vote_documents.report_html`` and ``report_pdf`` (HTML and PDF: the render
  itself, target < 0.5 s warm), in turn with its reference of the same run, WeasyPrint as documented
  on the report's saved HTML (bench/pdf_reference.py), and the ratio of the two;
- the report as the chair downloads it (``GET /livelihood/plans/<id>/result.pdf``, a warm process):
  the first request, with the data just read again from the database (it renders the PDF and stores
  it, the worker running in the request as in tests), then a later request (the stored copy,
  current while the closed rounds print the same HTML);
and, in the same run, the evaluation's ``tally.results`` over as many ballots and lines.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from approval_tally import sheets, vote_size  # noqa: E402
from evaluation_tally import build, median_time  # noqa: E402
from pdf_reference import direct_html, direct_pdf, in_turn  # noqa: E402
from sqlalchemy import insert, select, update  # noqa: E402

from config import TestConfig  # noqa: E402
from supervise import create_app  # noqa: E402
from supervise.ballots import hall  # noqa: E402
from supervise.ballots.approval import PassBase, Vote, approval_shape  # noqa: E402
from supervise.ballots.models import (  # noqa: E402
    Attendance,
    Ballot,
    BallotKind,
    BallotMark,
    PaperEntry,
    PaperSerial,
    SerialState,
)
from supervise.ballots.shape import plain  # noqa: E402
from supervise.evaluation.models import EvaluationMeeting  # noqa: E402
from supervise.evaluation.tally import results  # noqa: E402
from supervise.extensions import db  # noqa: E402
from supervise.livelihood import vote_documents  # noqa: E402
from supervise.livelihood import vote_operations as ops  # noqa: E402
from supervise.livelihood.vote_models import VoteRound  # noqa: E402
from tests.factories import Factory  # noqa: E402
from tests.livelihood.test_vote import Voting  # noqa: E402


def bench_app(url: str):
    cfg = type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url})
    return create_app(cfg)


def store_round(voting: Voting, vote: VoteRound, ballots: list[Mapping[int, str]]) -> None:
    """Roll call (all present), the ballots stored as rows (a void sheet on paper, the others by
    phone), hand-outs and serials to match, and the round closed through the engine."""
    chair = voting.chair
    if vote.state.value == "preparing":
        hall.start_roll_call(chair, vote)
    hall.mark_all_present(chair, vote)
    hall.open_voting(chair, vote)
    shape = approval_shape(vote.places)
    line_ids = [line.id for line in vote.lines]
    read = [shape.fill(line_ids, sheet) for sheet in ballots]
    void = [shape.void_reason(marks) is not None for marks in read]
    deputies = [row.deputy_id for row in vote.roster][: len(ballots)]
    paper = [d for d, v in zip(deputies, void, strict=True) if v]
    for kind, given in ((BallotKind.paper, paper), (BallotKind.phone, set(deputies) - set(paper))):
        db.session.execute(
            update(Attendance)
            .where(Attendance.meeting_id == vote.id, Attendance.deputy_id.in_(given))
            .values(ballot_kind=kind)
        )
    db.session.execute(
        update(PaperSerial)
        .where(PaperSerial.meeting_id == vote.id, PaperSerial.serial <= len(paper))
        .values(state=SerialState.returned)
    )
    serials = iter(range(1, len(paper) + 1))
    rows = [
        {
            "meeting_id": vote.id,
            "source": BallotKind.paper if v else BallotKind.phone,
            "serial": next(serials) if v else None,
            "is_void": v,
        }
        for v in void
    ]
    db.session.execute(insert(Ballot), rows)
    ids = db.session.execute(
        select(Ballot.id).where(Ballot.meeting_id == vote.id).order_by(Ballot.id)
    ).scalars()
    db.session.execute(
        insert(BallotMark),
        [
            {"ballot_id": ballot_id, "line_id": line, "mark": Vote.invalid.value if v else plain(mark)}
            for ballot_id, marks, v in zip(ids, read, void, strict=True)
            for line, mark in marks.items()
        ],
    )
    # The second clerk's check entry of each paper sheet, as it stands (closing requires double entry).
    if paper:
        db.session.execute(
            insert(PaperEntry),
            [
                {
                    "meeting_id": vote.id,
                    "serial": serial,
                    "entered_by_id": chair.id,
                    "is_first": False,
                    "is_void": True,
                    "marks": {str(line): Vote.invalid.value for line in line_ids},
                }
                for serial in range(1, len(paper) + 1)
            ],
        )
    db.session.expire_all()
    hall.close_voting(chair, vote)
    db.session.commit()


def build_vote(ballots: int, candidates: int, places: int) -> Voting:
    """A fixed plan, its first round closed on a tie at the cut, and the run-off round closed."""
    voting = Voting(
        Factory(), candidates=candidates, places=places, deputies=ballots, pass_base=PassBase.valid, runoffs=1
    )
    line_ids = [line.id for line in voting.vote.lines]
    store_round(voting, voting.vote, sheets(ballots, line_ids, places, seed=1))
    first = ops.outcome(voting.plan)
    assert first is not None and first.runoff is not None, "the bench's first round must tie at the cut"
    runoff = ops.create_runoff(voting.chair, voting.plan)
    db.session.commit()
    a, b, c = [line.id for line in runoff.lines]
    two_thirds = ballots * 2 // 3
    store_round(
        voting,
        runoff,
        [{a: Vote.yes, b: Vote.yes, c: Vote.no}] * two_thirds + [{c: Vote.yes}] * (ballots - two_thirds),
    )
    return voting


def report_requests(app, voting: Voting, runs: int) -> tuple[float, float, float]:
    """Seconds of the report's first download (renders and stores it) and the median of later ones
    (the stored copy), through the page as the chair asks for it; and the rendered PDF's size."""
    client = app.test_client()
    client.post("/login", data={"username": voting.chair.username, "password": Factory.PASSWORD})
    url = f"/livelihood/plans/{voting.plan.id}/result.pdf"
    db.session.expire_all()
    start = time.perf_counter()
    first = client.get(url)
    seconds = time.perf_counter() - start
    assert first.status_code == 200 and first.mimetype == "application/pdf", first.status_code
    later = median_time(lambda: client.get(url), runs)
    assert client.get(url).data == first.data
    return seconds, later, len(first.data)


def run(ballots: int, candidates: int, places: int, runs: int, folder: str) -> dict[str, float]:
    """The figures in seconds (and the outcome's counts), from databases made in ``folder``."""
    figures: dict[str, float] = {}
    app = bench_app(f"sqlite:///{folder}/vote.db")
    with app.app_context(), app.test_request_context():
        db.create_all()
        voting = build_vote(ballots, candidates, places)
        plan = voting.plan
        settled = ops.outcome(plan)
        assert settled is not None and settled.settled and len(settled.rounds) == 2
        assert set(settled.chosen) == {line.candidate_id for line in voting.vote.lines[:places]}
        figures["chosen"], figures["vacancies"] = len(settled.chosen), settled.vacancies
        figures["outcome"] = median_time(lambda: ops.outcome(plan), runs)
        figures["report_html"] = median_time(lambda: vote_documents.report_html(plan), runs)
        html = vote_documents.report_html(plan)
        assert html is not None
        saved = direct_html(html)
        timed = in_turn(
            runs, report=lambda: vote_documents.report_pdf(plan), direct=lambda: direct_pdf(saved)
        )
        figures["report_pdf"], figures["direct_pdf"] = timed["report"]["wall"], timed["direct"]["wall"]
        first, later, size = report_requests(app, voting, runs)
        figures["first_request"], figures["served"], figures["report_bytes"] = first, later, size
        db.session.remove()
        db.engine.dispose()
    evaluation = bench_app(f"sqlite:///{folder}/evaluation.db")
    with evaluation.app_context(), evaluation.test_request_context():
        db.create_all()
        meeting = db.session.get(EvaluationMeeting, build(ballots, candidates, 60))
        figures["evaluation"] = median_time(lambda: results(meeting), runs)
        figures["evaluation_lines"] = len(meeting.lines)
        db.session.remove()
        db.engine.dispose()
    return figures


def main() -> None:
    args = vote_size()
    with tempfile.TemporaryDirectory() as folder:
        f = run(args.ballots, args.candidates, args.places, args.runs, folder)
    print(f"vote (SQLite): ballots × candidates   {args.ballots} × {args.candidates}, {args.places} places")
    print(f"  outcome: tally + settle, 2 rounds  {f['outcome'] * 1000:8.1f} ms   (target < 500 ms)")
    print(f"  report HTML                        {f['report_html'] * 1000:8.1f} ms")
    print(
        f"  report PDF (HTML + PDF), warm      {f['report_pdf'] * 1000:8.1f} ms   (target < 500 ms)"
        f"   {f['report_bytes'] / 1024:.0f} KB"
    )
    print(
        f"  WeasyPrint on the same HTML        {f['direct_pdf'] * 1000:8.1f} ms   (reference, in turn;"
        f" report / reference {f['report_pdf'] / f['direct_pdf']:.2f})"
    )
    print(f"  download: first request (renders)  {f['first_request'] * 1000:8.1f} ms")
    print(f"  download: later (stored copy)      {f['served'] * 1000:8.1f} ms")
    print(f"  chosen {f['chosen']:.0f}, {f['vacancies']:.0f} vacancies, after a run-off of 3 for 2 places")
    print(f"evaluation: ballots × lines          {args.ballots} × {f['evaluation_lines']:.0f}")
    print(f"  tally.results (SQLite)             {f['evaluation'] * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
