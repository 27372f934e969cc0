"""Benchmark: the county's view (/statistics/townships) of a county of 30 townships × 3 years × 300
items with reports and sheets (bench/scale_data.py, its townships then put in one county), against
the bare 50-row page of bench/item_list.py under the same load; and the annual report PDF's render
time. Prints figures beside their targets, asserts nothing.

Targets (issue 15): the county page as served (a second visit: the whole page from the cache, keyed
by the townships' data versions) reaches at least 50% of the bare page's throughput; the county's
annual report PDF renders in under 3 s warm (its HTML with the charts, then WeasyPrint), printed
beside WeasyPrint as documented on the same HTML, rendered in turn (bench/pdf_reference.py).

    .venv/bin/python bench/county_view.py [--townships 30] [--per-year 300] [--years 3] [--requests 60]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # scale_data.py, item_list.py, pdf_reference.py

from item_list import bare_app, measure  # noqa: E402
from pdf_reference import direct_html, direct_pdf, in_turn  # noqa: E402
from scale_data import PASSWORD, TOWNSHIPS_PER_COUNTY, generate  # noqa: E402
from sqlalchemy import text  # noqa: E402

from config import TestConfig  # noqa: E402
from supervise import create_app  # noqa: E402
from supervise.core.pdf import html_to_pdf  # noqa: E402
from supervise.extensions import db  # noqa: E402
from supervise.org.models import County  # noqa: E402

TARGET_RATIO = 0.5  # of the bare page's throughput
TARGET_PDF_SECONDS = 3.0


def county_app(path: Path, cache_url: str):
    settings = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
        "CACHE_URL": cache_url,
        "WTF_CSRF_ENABLED": False,
    }
    return create_app(type("CountyConfig", (TestConfig,), settings))


def build(path: Path, townships: int, per_year: int, years: int):
    """The generated counties' townships all moved into the first county (the county user's)."""
    app = county_app(path, "none")
    counts = generate(app, max(1, townships // TOWNSHIPS_PER_COUNTY), per_year, years)
    with app.app_context():
        db.session.execute(text("UPDATE township SET county_id = 1"))
        db.session.commit()
    return counts


def pdf_seconds(app, tries: int = 5) -> tuple[float, float, float]:
    """Seconds to make the county's annual report (HTML with charts, then the PDF): the first time
    in this process, then the median of warm runs in turn with the reference, WeasyPrint as
    documented on the same saved HTML (bench/pdf_reference.py)."""
    from supervise.statistics.documents import AnnualReport, contents

    with app.test_request_context():
        county = db.session.get(County, 1)
        record = AnnualReport(county, None, time.localtime().tm_year)
        start = time.perf_counter()
        html = contents(record)
        html_to_pdf(html)
        cold = time.perf_counter() - start
        saved = direct_html(html)
        timed = in_turn(tries, report=lambda: html_to_pdf(contents(record)), direct=lambda: direct_pdf(saved))
        db.session.remove()
    return cold, timed["report"]["wall"], timed["direct"]["wall"]


def signed_in(app):
    client = app.test_client()
    client.post("/login", data={"username": "county", "password": PASSWORD})
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--townships", type=int, default=30)
    parser.add_argument("--per-year", type=int, default=300)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "county.db"
        start = time.perf_counter()
        counts = build(path, args.townships, args.per_year, args.years)
        print(
            f"{counts['township']} townships in one county, {counts['item']} items, "
            f"{counts['monthly_report']} reports, {counts['follow_up_sheet']} sheets; "
            f"generated in {time.perf_counter() - start:.1f} s",
            flush=True,
        )
        served, uncached = county_app(path, "memory://"), county_app(path, "none")
        pages = {
            "county page": (signed_in(served), "/statistics/townships"),
            "cache off": (signed_in(uncached), "/statistics/townships"),
            "bare compiled": (bare_app(path).test_client(), "/bare-compiled"),
        }
        for name, (client, url) in pages.items():  # warm up (and fill the cache)
            measure(client, url, 2 if name == "cache off" else 10)
        results: dict[str, list[tuple[float, float]]] = {}
        for _ in range(3):  # rounds in turn, so that every page sees the same machine load
            for name, (client, url) in pages.items():
                n = max(1, args.requests // (30 if name == "cache off" else 3))
                results.setdefault(name, []).extend(measure(client, url, n))
        rates = {}
        for name, timings in results.items():
            wall = [w for w, _c in timings]
            rates[name] = len(wall) / sum(wall)
            cpu = statistics.mean(c for _w, c in timings) * 1000
            print(
                f"{name:14} {rates[name]:8.1f} req/s   median {statistics.median(wall) * 1000:8.2f} ms"
                f"   CPU {cpu:8.2f} ms/request"
            )
        ratio = rates["county page"] / rates["bare compiled"]
        met = "ok" if ratio >= TARGET_RATIO else "MISSED"
        print(f"county page / bare compiled throughput: {ratio:.0%} (target ≥ {TARGET_RATIO:.0%}) {met}")
        cold, warm, direct = pdf_seconds(served)
        met = "ok" if warm < TARGET_PDF_SECONDS else "MISSED"
        print(
            f"annual report PDF: first {cold:.2f} s, warm {warm:.2f} s (median) "
            f"(target < {TARGET_PDF_SECONDS:.0f} s warm) {met}"
        )
        print(
            f"  WeasyPrint on the same HTML (reference, in turn) {direct:.2f} s; "
            f"report / reference {warm / direct:.2f}"
        )


if __name__ == "__main__":
    main()
