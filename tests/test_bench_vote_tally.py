"""bench/vote_tally.py is not run in CI: it is run here at a tiny size (the same tie at the cut,
run-off, closing through the engine, report and evaluation tally) so that it follows the schema and
the operations as these change. Its figures are printed by the bench, never asserted."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "vote_tally.py"


def test_the_vote_bench_builds_ties_settles_by_a_runoff_and_reports(tmp_path):
    spec = importlib.util.spec_from_file_location("bench_vote_tally", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    figures = bench.run(ballots=30, candidates=6, places=3, runs=1, folder=str(tmp_path))
    assert (figures["chosen"], figures["vacancies"], figures["evaluation_lines"]) == (3, 0, 6)
    names = ("outcome", "report_html", "direct_pdf", "report_pdf", "first_request", "served", "evaluation")
    assert all(figures[name] > 0 for name in names)
