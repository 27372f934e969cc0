"""Benchmark: do the pages stay flat as the database grows? Prints figures beside their targets,
asserts nothing.

A county of 3 townships is generated at 1×, 10× and 100× (3, 30, 300 townships, in counties of 3),
each township with 300 items a year over 5 years (lists, supervisors, state events, monthly reports,
follow-up sheets, published notices, evaluation results), by bulk inserts that follow the schema
(bench/scale_data.py).
The pages of the first township (and its county) are then timed with the page cache off, and the
p50 of each page printed at each size, with the ratio largest/smallest.

Targets (issue 12): every ratio ≤ 1.3; every p50 at 100× under 50 ms.

    .venv/bin/python bench/scale.py                      # 1×, 10×, 100× on SQLite (in a temp dir)
    .venv/bin/python bench/scale.py --sizes 1 10 --requests 30
    .venv/bin/python bench/scale.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_p
    .venv/bin/python bench/scale.py --quick              # a smoke test: tiny sizes, few requests

The database at --database-url is emptied (drop_all) before each size. A URL with ``{size}`` in it
names one database per size; with --reuse a database that already holds its size is measured as it
is, without generating it again (generation at 100× takes minutes):

    .venv/bin/python bench/scale.py --reuse \
        --database-url 'postgresql+psycopg://postgres@127.0.0.1:5432/bench_p{size}'
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # scale_data.py, when loaded by path

from flask import Flask  # noqa: E402
from scale_data import PASSWORD, TOWNSHIPS_PER_COUNTY, generate  # noqa: E402
from sqlalchemy import func, inspect, select  # noqa: E402

from config import TestConfig  # noqa: E402
from supervise import create_app  # noqa: E402
from supervise.extensions import db  # noqa: E402
from supervise.lists.models import ItemState  # noqa: E402

TARGET_RATIO = 1.3  # of the CPU p50s, largest size / smallest (steady under other load)
TARGET_P50_MS = 50.0  # wall p50 at the largest size, as a user waits


def pages(app: Flask) -> dict[str, tuple[str, str]]:
    """Page name → (who signs in, URL), for the first township and its county."""
    from supervise.evaluation.published_models import PublishedResult
    from supervise.lists.models import Item
    from supervise.notices.models import PublicNotice

    with app.app_context():
        first = select(func.min(Item.id)).where(Item.township_id == 1, Item.state == ItemState.supervising)
        item_id = db.session.execute(first).scalar_one()
        notice_id = db.session.execute(
            select(func.max(PublicNotice.id)).where(PublicNotice.township_id == 1)
        ).scalar_one()
        result_id = db.session.execute(
            select(func.max(PublishedResult.id)).where(PublishedResult.township_id == 1)
        ).scalar_one()
    return {
        "chair home": ("chair0", "/"),
        "item list": ("chair0", "/items/"),
        "item page": ("chair0", f"/items/{item_id}"),
        "month grid": ("chair0", "/progress/grid"),
        "notice preview": ("chair0", "/notices/preview"),
        "public board": ("", "/public/t0000/"),
        "notice page": ("", f"/public/t0000/notices/{notice_id}"),
        "county overview": ("county", "/"),
        "escalation": ("county", "/escalation"),
        "evaluation results": ("", f"/public/t0000/evaluations/{result_id}"),
    }


class Visitor:
    """Signed-in test clients for one database, and the (wall, CPU) seconds of each page's requests."""

    def __init__(self, app: Flask, only: list[str] | None = None):
        self.app = app
        self.pages = {name: page for name, page in pages(app).items() if not only or name in only}
        self.clients: dict[str, object] = {}
        self.timings: dict[str, list[tuple[float, float]]] = {name: [] for name in self.pages}
        for name, (who, url) in self.pages.items():  # sign in, and two warm-up visits
            for _ in range(2):
                response = self.client(who).get(url)
                assert response.status_code == 200, (name, url, response.status_code)

    def client(self, who: str):
        if who not in self.clients:
            client = self.app.test_client()
            if who:
                response = client.post("/login", data={"username": who, "password": PASSWORD})
                assert response.status_code in (302, 303), (who, response.status_code)
            self.clients[who] = client
        return self.clients[who]

    def visit(self, requests: int) -> None:
        for name, (who, url) in self.pages.items():
            client = self.client(who)
            for _ in range(requests):
                start, cpu = time.perf_counter(), time.thread_time()
                client.get(url)
                self.timings[name].append((time.perf_counter() - start, time.thread_time() - cpu))

    def p50_ms(self) -> dict[str, tuple[float, float]]:
        """(wall, CPU) p50 in ms of each page."""
        return {
            name: (
                statistics.median(w for w, _c in found) * 1000,
                statistics.median(c for _w, c in found) * 1000,
            )
            for name, found in self.timings.items()
        }


def holds(app: Flask, size: int) -> bool:
    """Whether the database already holds a generated county of this size (and today's schema)."""
    from supervise.org.models import Township

    with app.app_context():
        found = inspect(db.engine)
        tables = set(found.get_table_names())
        for name, table in db.metadata.tables.items():  # made before a schema change: generate again
            if name not in tables or {c["name"] for c in found.get_columns(name)} != set(table.c.keys()):
                return False
            if not {index.name for index in table.indexes} <= {i["name"] for i in found.get_indexes(name)}:
                return False
        count = db.session.execute(select(func.count(Township.id))).scalar_one()
        db.session.remove()
        return count == size * TOWNSHIPS_PER_COUNTY


def bench_app(url: str) -> Flask:
    settings = {
        "SQLALCHEMY_DATABASE_URI": url,
        "CACHE_URL": "none",
        "WTF_CSRF_ENABLED": False,
    }
    return create_app(type("ScaleConfig", (TestConfig,), settings))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="default: SQLite, one file per size in a temporary directory")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--per-year", type=int, default=300, help="items per township and year")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--requests", type=int, default=30, help="requests per page and size")
    parser.add_argument("--quick", action="store_true", help="smoke test: sizes 1 2, 30 items, 2 years")
    parser.add_argument(
        "--reuse", action="store_true", help="keep a database that already holds its size (URL with {size})"
    )
    parser.add_argument("--pages", nargs="+", help="measure only these pages (names as printed)")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.per_year, args.requests, args.years = [1, 2], 30, 5, 2
    with tempfile.TemporaryDirectory() as tmp:
        where = args.database_url.split("@")[-1] if args.database_url else "SQLite"
        print(f"database: {where}; {args.per_year} items a township-year, {args.years} years; page cache off")
        visitors: dict[int, Visitor] = {}
        for size in args.sizes:
            url = (args.database_url or f"sqlite:///{Path(tmp) / 'scale{size}.db'}").replace(
                "{size}", str(size)
            )
            app = bench_app(url)
            if args.reuse and holds(app, size):
                print(f"{size:>4}×: {size * TOWNSHIPS_PER_COUNTY} townships, as generated before", flush=True)
            else:
                start = time.perf_counter()
                counts = generate(app, size, args.per_year, args.years)
                print(
                    f"{size:>4}×: {size * TOWNSHIPS_PER_COUNTY} townships, {counts['item']} items, "
                    f"{counts['item_event']} events, {counts['monthly_report']} reports, "
                    f"{counts['public_notice_line']} notice lines; "
                    f"generated in {time.perf_counter() - start:.1f} s",
                    flush=True,
                )
            visitors[size] = Visitor(app, args.pages)
            if args.database_url and "{size}" not in args.database_url:  # measure before the next replaces it
                visitors[size].visit(args.requests)
        if (
            not args.database_url or "{size}" in args.database_url
        ):  # rounds in turn, so that every size sees the same machine load
            for _round in range(3):
                for visitor in visitors.values():
                    visitor.visit(max(1, args.requests // 3))
    report({size: visitor.p50_ms() for size, visitor in visitors.items()})


def report(results: dict[int, dict[str, tuple[float, float]]]) -> None:
    """p50 wall and CPU at each size; the ratio of the largest to the smallest size, on CPU time (the
    machine is shared: wall time also counts other processes) and on wall time."""
    sizes = sorted(results)
    smallest, largest = sizes[0], sizes[-1]
    head = "page".ljust(20) + "".join(f"{f'{s}× wall/cpu ms':>18}" for s in sizes)
    targets = f"targets: ratio ≤ {TARGET_RATIO}, p50 < {TARGET_P50_MS:.0f} ms"
    print(f"\n{head}{'ratio cpu':>11}{'ratio wall':>11}  {targets}")
    for name in results[smallest]:
        figures = "".join(f"{results[s][name][0]:10.1f}/{results[s][name][1]:6.1f} " for s in sizes)
        wall = results[largest][name][0] / results[smallest][name][0]
        cpu = results[largest][name][1] / results[smallest][name][1]
        met = cpu <= TARGET_RATIO and results[largest][name][0] < TARGET_P50_MS
        print(f"{name.ljust(20)}{figures}{cpu:11.2f}{wall:11.2f}  {'ok' if met else 'MISSED'}")


if __name__ == "__main__":
    main()
