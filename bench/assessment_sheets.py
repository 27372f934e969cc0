"""Benchmark: the evaluation meeting's blank assessment sheets (测评表) for 60 deputies, as one PDF,
made by one queue worker (issue 12). Prints figures beside their targets, asserts nothing.

A SQLite file database gets one meeting of ``--deputies`` deputies (one numbered sheet each) and
``--lines`` rated lines (a township's dozen items and offices). A child process, started afresh as
a worker is, then runs the document task itself (core/documents.py's render_document, through the
job row and storage, as `flask worker` does) ``--runs`` times: the first run includes loading the
fonts, the others are the steady state of a worker that has rendered before. The peak RSS is the
child's ``ru_maxrss`` (os.wait4), beside that of a child that only starts the app.

Target: under 5 s for 60 sheets on one worker; peak RSS printed.

    .venv/bin/python bench/assessment_sheets.py [--deputies 60] [--lines 12] [--runs 3]
    .venv/bin/python bench/assessment_sheets.py --profile     # where the time goes (cProfile, top 25)
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 5.0


def bench_app(folder: str):
    from config import TestConfig
    from supervise import create_app

    cfg = type(
        "BenchConfig",
        (TestConfig,),
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db", "STORAGE_DIR": f"{folder}/storage"},
    )
    return create_app(cfg)


def build(folder: str, deputies: int, lines: int) -> int:
    """The meeting, prepared through the operation as a township's chair does; its id."""
    from sqlalchemy import func, select

    from supervise.evaluation.operations import remove_lines
    from supervise.extensions import db
    from supervise.org.models import Deputy
    from tests.factories import Factory

    app = bench_app(folder)
    with app.app_context(), app.test_request_context():
        db.create_all()
        factory = Factory()
        chair = factory.user("presidium")
        items = [
            factory.item("verified", township=chair.township, title=f"评议事项{n:02d}") for n in range(8)
        ]
        # The items' supervisors are on the roster too: as many more as make ``deputies`` sheets.
        supervisors = db.session.execute(select(func.count()).select_from(Deputy)).scalar_one()
        meeting = factory.evaluation_meeting(chair, deputies=max(0, deputies - supervisors), items=items)
        remove_lines(chair, meeting, [line.id for line in meeting.lines[lines:]])
        db.session.commit()
        return meeting.id


def child(folder: str, meeting_id: int, runs: int, profile: bool) -> None:
    """In the child process: run the task ``runs`` times, print the figures as JSON."""
    from sqlalchemy import delete

    from supervise.core import documents, jobs
    from supervise.evaluation.documents import SHEETS_KIND, sheet_serials
    from supervise.evaluation.models import EvaluationDocument, EvaluationMeeting
    from supervise.extensions import db

    logging.getLogger("huey").setLevel(logging.WARNING)
    app = bench_app(folder)
    times, cpu = [], []
    with app.app_context(), app.test_request_context():
        meeting = db.session.get(EvaluationMeeting, meeting_id)
        sheets, lines = len(sheet_serials(meeting)), len(meeting.lines)
        kind = documents.KINDS[SHEETS_KIND]
        for _n in range(runs):
            # No stored copy: the task renders (a current copy would be served as it is).
            db.session.execute(delete(EvaluationDocument))
            db.session.commit()
            started, started_cpu = time.perf_counter(), time.process_time()
            if profile and _n == runs - 1:
                import cProfile
                import pstats

                profiler = cProfile.Profile()
                profiler.runcall(documents.request_render, SHEETS_KIND, meeting_id)
                pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
            else:
                documents.request_render(SHEETS_KIND, meeting_id)  # immediate: the task runs here
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            job = jobs.job_for(documents.job_key(SHEETS_KIND, meeting_id))
            assert job is not None and job.state == jobs.DONE, job and (job.state, job.error)
        pdf = kind.stored(meeting)
        assert pdf is not None and pdf.startswith(b"%PDF-")
        (Path(folder) / "sheets.pdf").write_bytes(pdf)
    print(json.dumps({"times": times, "cpu": cpu, "bytes": len(pdf), "sheets": sheets, "lines": lines}))


def run_child(args: list[str]) -> tuple[str, int]:
    """The child's standard output and its peak RSS in KiB (Linux reports ru_maxrss in KiB)."""
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, __file__, *args], stdout=subprocess.PIPE, cwd=ROOT
    )
    assert process.stdout is not None
    out = process.stdout.read().decode()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"the child failed ({process.returncode})")
    return out, usage.ru_maxrss


def main() -> None:
    from pypdf import PdfReader

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deputies", type=int, default=60)
    parser.add_argument("--lines", type=int, default=12, help="rated lines on each sheet")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("FOLDER", "MEETING"), help=argparse.SUPPRESS)
    parser.add_argument("--idle", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), args.runs, args.profile)
        return
    if args.idle:
        bench_app(args.idle)
        return
    with tempfile.TemporaryDirectory() as folder:
        meeting_id = build(folder, args.deputies, args.lines)
        _out, idle_rss = run_child(["--idle", folder])
        child_args = ["--child", folder, str(meeting_id), "--runs", str(args.runs)]
        out, rss = run_child(child_args + (["--profile"] if args.profile else []))
        figures = json.loads(out.strip().splitlines()[-1])
        pages = len(PdfReader(Path(folder) / "sheets.pdf").pages)
    times, cpu = figures["times"], figures["cpu"]
    again, again_cpu = times[1:] or times, cpu[1:] or cpu
    warm, warm_cpu = statistics.median(again), statistics.median(again_cpu)
    verdict = "meets" if warm < TARGET_SECONDS else "MISSES"
    print(
        f"blank assessment sheets: {figures['sheets']} sheets of {figures['lines']} lines, one PDF of "
        f"{pages} pages ({figures['bytes'] // 1024} KiB), made by the document task in one worker process"
    )
    print(f"  first render (fonts loading)   {times[0]:6.2f} s   CPU {cpu[0]:6.2f} s")
    print(
        f"  rendered again (median of {len(again)})  {warm:6.2f} s   CPU {warm_cpu:6.2f} s"
        f"   (target < {TARGET_SECONDS:.0f} s: {verdict}; on a busy machine see the CPU time)"
    )
    idle = f"{idle_rss / 1024:.0f} MiB"
    print(f"  peak RSS of the worker         {rss / 1024:6.0f} MiB   (a worker that only started: {idle})")


if __name__ == "__main__":
    main()
