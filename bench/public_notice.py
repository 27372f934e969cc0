"""Benchmark: a township's public notice page (公示, 200 items) against a bare Flask page rendering
50 rows × 5 columns from the same database, under the same load in one run; then the warm render
time of a two-page notice PDF.

Target (issue 5): the notice page reaches at least 70% of the bare page's throughput, helped by
caching. Three ways of asking for the notice page are measured, anonymous as residents are:
- "notice page": a plain GET without a validator (a first visit): the page as rendered for its
  ETag comes from the page cache (SUPERVISE_CACHE_URL, memory:// by default);
- "revalidated": a GET with the ETag of the previous answer, as a browser revisiting: a 304;
- "cache off": the page rendered afresh every time (as the first visit after an opinion is approved).
Prints figures only, asserts nothing.

    .venv/bin/python bench/public_notice.py [--items 200] [--requests 300] [--renders 5]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask import Flask  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from config import TestConfig  # noqa: E402
from supervise import create_app  # noqa: E402
from supervise.core.clock import today  # noqa: E402
from supervise.core.pdf import html_to_pdf  # noqa: E402
from supervise.extensions import db  # noqa: E402
from supervise.notices import operations as ops  # noqa: E402
from supervise.notices.documents import notice_html, notice_pdf  # noqa: E402
from supervise.notices.models import PublicNotice  # noqa: E402
from tests.factories import Factory  # noqa: E402

BARE_TEMPLATE = """<!doctype html><html><body><table>
{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}
</table></body></html>"""
# Enough lines for a notice PDF of two A4 pages.
PDF_ITEMS = 8


def bench_app(path: Path, **settings) -> Flask:
    cfg = type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", **settings})
    return create_app(cfg)


def build(path: Path, items: int) -> tuple[Flask, dict[str, int]]:
    """One township with ``items`` supervised items and their reports, published; a second
    township with a notice short enough for two PDF pages."""
    app = bench_app(path)
    with app.app_context():
        db.create_all()
        factory = Factory()
        notices = {}
        for name, count in (("big", items), ("pdf", PDF_ITEMS)):
            township = factory.township(f"{name}镇")
            offices = [factory.office(township) for _ in range(8)]
            deputies = [factory.deputy(township) for _ in range(30)]
            for n in range(count):
                item = factory.item(
                    "supervising",
                    township=township,
                    supervisors=[deputies[n % 30], deputies[(n + 7) % 30]],
                    lead_office_id=offices[n % 8].id,
                    title=f"集镇基础设施提升项目{n:03d}",
                    target="年内完成主体工程并通过验收，群众满意度达到90%以上。",
                )
                factory.report_row(
                    item,
                    percent=(n * 7) % 101,
                    done="完成路基开挖和管网铺设，正在进行沥青摊铺，完成计划进度的七成。",
                    problems="雨季影响工期，部分群众对施工围挡有意见。",
                )
            chair = factory.user("presidium", township=township)
            notice = ops.publish_notice(chair, township.id, today().replace(day=1))
            opinion = ops.submit_opinion(notice, notice.lines[0].id, "施工期间请注意路口安全。", "居民")
            ops.approve_opinion(chair, opinion, "已安排专人值守。")
            notices[name] = notice.id
            notices[f"{name}_slug"] = township.slug
        db.session.commit()
    return app, notices


def bare_app(path: Path) -> Flask:
    app = Flask("bare")
    engine = create_engine(f"sqlite:///{path}")
    # Compiled once, as a page with a template file is (render_template_string would recompile it on
    # every request and make the bare page look slower than a real one).
    template = app.jinja_env.from_string(BARE_TEMPLATE)
    statement = text("SELECT code, title, state, deadline, lead_office_id FROM item ORDER BY code LIMIT 50")

    @app.get("/bare")
    def bare():
        with engine.connect() as conn:
            rows = conn.execute(statement).all()
        return template.render(rows=rows)

    return app


def measure(client, url: str, requests: int, conditional: bool = False) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of each request; ``conditional`` sends the ETag of the previous answer."""
    timings = []
    headers = {}
    if conditional:
        headers["If-None-Match"] = client.get(url).headers["ETag"]
    expected = 304 if conditional else 200
    for _ in range(requests):
        start, cpu = time.perf_counter(), time.thread_time()
        response = client.get(url, headers=headers)
        timings.append((time.perf_counter() - start, time.thread_time() - cpu))
        assert response.status_code == expected, response.status_code
    return timings


def median_ms(run, times: int) -> float:
    timings = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def page_count(pdf: bytes) -> str:
    """Pages, by poppler's pdfinfo (WeasyPrint compresses the page tree); "?" without it."""
    pdfinfo = shutil.which("pdfinfo")
    if not pdfinfo:
        return "?"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run([pdfinfo, handle.name], capture_output=True, text=True).stdout  # noqa: S603
    found = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return found.group(1) if found else "?"


def pdf_figures(app: Flask, notice_id: int, renders: int) -> None:
    with app.app_context(), app.test_request_context(base_url="https://gongshi.example.cn"):
        notice = db.session.get(PublicNotice, notice_id)
        html = notice_html(notice)
        pdf = html_to_pdf(html)  # the first render loads the fonts
        pages = page_count(pdf)
        render = median_ms(lambda: html_to_pdf(notice_html(notice)), renders)
        notice_pdf(notice)
        db.session.commit()
        stored = median_ms(lambda: notice_pdf(notice), renders)
        print(f"notice PDF ({len(notice.lines)} items, {pages} pages, {len(pdf) // 1024} KiB):")
        print(f"  warm render {render:8.1f} ms (median of {renders})")
        print(f"  stored copy {stored:8.1f} ms (served again while unchanged)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--renders", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        app, notices = build(path, args.items)
        url = f"/public/{notices['big_slug']}/notices/{notices['big']}"
        pages = {
            "notice page": (app.test_client(), url, False),
            "revalidated": (app.test_client(), url, True),
            "cache off": (bench_app(path, CACHE_URL="none").test_client(), url, False),
            "bare page": (bare_app(path).test_client(), "/bare", False),
        }
        for client, page_url, conditional in pages.values():  # warm up (and fill the cache)
            measure(client, page_url, 20, conditional)
        results: dict[str, list[tuple[float, float]]] = {}
        # Interleave rounds so all pages see the same machine load.
        for _ in range(3):
            for name, (client, page_url, conditional) in pages.items():
                results.setdefault(name, []).extend(
                    measure(client, page_url, args.requests // 3, conditional)
                )
        print(f"items on the notice: {args.items}, requests per page: {args.requests}")
        rates, cpu = {}, {}
        for name, timings in results.items():
            wall = [w for w, _c in timings]
            rates[name] = len(wall) / sum(wall)
            cpu[name] = sum(c for _w, c in timings) / len(timings)
            print(
                f"{name:12} {rates[name]:8.1f} req/s   median {statistics.median(wall) * 1000:6.2f} ms"
                f"   CPU {cpu[name] * 1000:6.2f} ms/request"
            )
        for name in ("notice page", "revalidated", "cache off"):
            ratio = rates[name] / rates["bare page"]
            by_cpu = cpu["bare page"] / cpu[name]
            target = " (target ≥ 70%)" if name == "notice page" else ""
            print(f"{name} / bare page throughput: {ratio:.0%}{target}; by CPU time: {by_cpu:.0%}")
        pdf_figures(app, notices["pdf"], args.renders)


if __name__ == "__main__":
    main()
