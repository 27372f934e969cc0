"""bench/county_view.py is not run in CI: its county is built here at a tiny size and its pages and
report made once, so that it follows the schema and the pages as these change."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_the_county_bench_builds_its_county_and_every_page_answers(tmp_path):
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location("bench_county_view", BENCH / "county_view.py")
        assert spec is not None and spec.loader is not None
        bench = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(bench)
    finally:
        sys.path.remove(str(BENCH))
    path = tmp_path / "county.db"
    counts = bench.build(path, 6, per_year=4, years=2)
    assert counts["township"] == 6
    app = bench.county_app(path, "memory://")
    client = bench.signed_in(app)
    page = client.get("/statistics/townships")
    assert page.status_code == 200
    assert page.get_data(as_text=True).count('data-township="') == 6
    assert all(seconds > 0 for seconds in bench.pdf_seconds(app, tries=1))  # first, warm, reference
