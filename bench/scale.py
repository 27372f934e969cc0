"""Benchmark: do the pages stay flat as the database grows? Prints figures beside their targets,
asserts nothing.

A county of 3 townships is generated at 1×, 10× and 100× (3, 30, 300 townships, in counties of 3),
each township with 300 items a year over 5 years (lists, supervisors, state events, monthly reports,
follow-up sheets, published notices, evaluation results), by bulk inserts that follow the schema.
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
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask import Flask  # noqa: E402
from sqlalchemy import func, inspect, select, text  # noqa: E402

from config import TestConfig  # noqa: E402
from supervise import create_app  # noqa: E402
from supervise.accounts.passwords import hash_password  # noqa: E402
from supervise.core.clock import today  # noqa: E402
from supervise.core.dates import month_of, shift_month  # noqa: E402
from supervise.core.permissions import Role  # noqa: E402
from supervise.evaluation.models import MeetingState  # noqa: E402
from supervise.extensions import db  # noqa: E402
from supervise.lists.models import ItemState, ListKind, Rating  # noqa: E402
from supervise.org.models import DeputyLevel  # noqa: E402
from supervise.sheets.models import SheetState  # noqa: E402

PASSWORD = "bench-password-1"  # noqa: S105 (a generated database nobody else uses)
TOWNSHIPS_PER_COUNTY = 3
TARGET_RATIO = 1.3
TARGET_P50_MS = 50.0
BATCH = 5000


class Ids:
    """Primary keys handed out here, so that bulk inserts need no RETURNING."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        self._next[table] = self._next.get(table, 0) + 1
        return self._next[table]


class Writer:
    """Rows collected per table and inserted in batches (executemany), parents before children."""

    ORDER = (
        "county",
        "township",
        "office",
        "deputy",
        "user",
        "supervision_list",
        "item",
        "supervisor_assignment",
        "item_event",
        "monthly_report",
        "follow_up_sheet",
        "follow_up_sheet_line",
        "public_notice",
        "public_notice_line",
        "evaluation_meeting",
        "evaluation_published_result",
        "evaluation_published_line",
    )

    def __init__(self, connection) -> None:
        self.connection = connection
        self.rows: dict[str, list[dict]] = {name: [] for name in self.ORDER}
        self.counts: dict[str, int] = dict.fromkeys(self.ORDER, 0)

    def add(self, table: str, **row) -> None:
        self.rows[table].append(row)

    def flush(self) -> None:
        tables = db.metadata.tables
        for name in self.ORDER:
            rows = self.rows[name]
            # executemany wants the same columns in every row: one batch per set of columns.
            shapes: dict[tuple, list[dict]] = {}
            for row in rows:
                shapes.setdefault(tuple(row), []).append(row)
            for same in shapes.values():
                for start in range(0, len(same), BATCH):
                    self.connection.execute(tables[name].insert(), same[start : start + BATCH])
            self.counts[name] += len(rows)
            rows.clear()


def _township(w: Writer, ids: Ids, county_id: int, n: int, years: list[int], per_year: int, day: date):
    """One township: offices, deputies, a chair, and ``per_year`` items in each year's three lists."""
    township_id = ids("township")
    w.add(
        "township",
        id=township_id,
        county_id=county_id,
        name=f"镇{n:04d}",
        short_name=f"镇{n:04d}",
        slug=f"t{n:04d}",
    )
    offices = [ids("office") for _ in range(6)]
    for k, office_id in enumerate(offices):
        w.add("office", id=office_id, township_id=township_id, name=f"站所{k}")
    deputies = [ids("deputy") for _ in range(20)]
    for k, deputy_id in enumerate(deputies):
        w.add(
            "deputy", id=deputy_id, township_id=township_id, name=f"代表{n}-{k}", level=DeputyLevel.township
        )
    chair = ids("user")
    w.add(
        "user",
        id=chair,
        username=f"chair{n}",
        display_name="主席",
        password_hash=HASH,
        role=Role.presidium,
        township_id=township_id,
    )
    this_month = month_of(day)
    kinds = (ListKind.commitment, ListKind.suggestion, ListKind.livelihood)
    for year in years:
        current = year == day.year
        entered = datetime(year, 2, 1, 4)
        last_month = this_month if current else date(year, 10, 1)
        numbered = 0
        for kind in kinds:
            list_id = ids("supervision_list")
            w.add(
                "supervision_list",
                id=list_id,
                township_id=township_id,
                year=year,
                kind=kind,
                confirmed_at=datetime(year, 1, 20),
            )
            for number in range(1, per_year // len(kinds) + 1):
                numbered += 1
                item_id = ids("item")
                _item(w, ids, item_id, list_id, township_id, offices, deputies, kind, year, number, current)
                w.add(
                    "item_event",
                    item_id=item_id,
                    at=entered,
                    action="assign",
                    from_state=ItemState.listed,
                    to_state=ItemState.supervising,
                )
                if not current:
                    for month, state in ((11, ItemState.completed), (12, ItemState.closed)):
                        w.add(
                            "item_event",
                            item_id=item_id,
                            at=datetime(year, month, 5, 4),
                            action="step",
                            from_state=None,
                            to_state=state,
                        )
                month = date(year, 2, 1)
                while month <= last_month and (month < this_month or not current):
                    w.add(
                        "monthly_report",
                        item_id=item_id,
                        township_id=township_id,
                        month=month,
                        percent=min(100, 10 * month.month),
                        done="按计划推进",
                        submitted_at=datetime(month.year, month.month, 20, 4),
                    )
                    month = shift_month(month, 1)
        _sheets_notices_results(w, ids, township_id, year, day, chair)


def _item(w, ids, item_id, list_id, township_id, offices, deputies, kind, year, number, current) -> None:
    w.add(
        "item",
        id=item_id,
        list_id=list_id,
        township_id=township_id,
        number=number,
        code=f"{township_id}-{year}-{kind.value}-{number}",
        title=f"{year}年第{number}项：村组道路硬化与路灯安装",
        target="年底前完成并通过验收",
        lead_office_id=offices[number % len(offices)],
        deadline=date(year, 12, 31),
        state=ItemState.supervising if current else ItemState.closed,
        result=None if current else Rating.satisfied,
        wide_impact=number % 20 == 0,
        created_at=datetime(year, 1, 10),
    )
    w.add("supervisor_assignment", item_id=item_id, deputy_id=deputies[number % len(deputies)])


def _sheets_notices_results(w: Writer, ids: Ids, township_id: int, year: int, day: date, chair: int) -> None:
    for number in (1, 2):
        sheet_id = ids("follow_up_sheet")
        w.add(
            "follow_up_sheet",
            id=sheet_id,
            township_id=township_id,
            year=year,
            number=number,
            state=SheetState.issued,
            title=f"督办单{number}",
            issued_at=datetime(year, 6, 1),
        )
        w.add("follow_up_sheet_line", sheet_id=sheet_id, position=1, findings="进度滞后")
    last = month_of(day) if year == day.year else date(year, 12, 1)
    month = date(year, 2, 1)
    while month < last:
        notice_id = ids("public_notice")
        w.add(
            "public_notice",
            id=notice_id,
            township_id=township_id,
            month=month,
            title=f"{month:%Y年%m月}清单事项进展公示",
            published_at=datetime(month.year, month.month, 28),
            published_by_id=chair,
            issuer="主席团",
            year=year,
            number=month.month,
        )
        for position in range(1, 31):
            w.add(
                "public_notice_line",
                notice_id=notice_id,
                position=position,
                item_code=f"{position}",
                title="村组道路硬化",
                kind_label="政府承诺事项",
                state_label="监督中",
                lead_office_name="站所",
                supervisor_names="代表",
                target="按期完成",
                reported=True,
                percent=50,
                progress="按计划推进",
                problems="",
            )
        month = shift_month(month, 1)
    if year < day.year:
        meeting_id = ids("evaluation_meeting")
        w.add(
            "evaluation_meeting",
            id=meeting_id,
            township_id=township_id,
            year=year,
            held_on=date(year, 12, 20),
            state=MeetingState.closed,
            voting_opened_at=datetime(year, 12, 20, 2),
            closed_at=datetime(year, 12, 20, 3),
        )
        result_id = ids("evaluation_published_result")
        w.add(
            "evaluation_published_result",
            id=result_id,
            township_id=township_id,
            meeting_id=meeting_id,
            title=f"{year}年度民主评议结果",
            held_on=date(year, 12, 20),
            roster=40,
            present=38,
            ballots=38,
        )
        for position in range(1, 31):
            w.add(
                "evaluation_published_line",
                result_id=result_id,
                position=position,
                title=f"事项{position}",
                satisfied=30,
                basic=6,
                dissatisfied=2,
                invalid=0,
                rate="94.7%",
            )


HASH = ""


def generate(app: Flask, scale: int, per_year: int = 300, years: int = 5, day: date | None = None) -> dict:
    """An empty database filled with ``scale`` counties of 3 townships; returns the row counts."""
    global HASH
    year_list: list[int] = []
    with app.app_context():
        HASH = HASH or hash_password(PASSWORD)
        day = day or today()
        year_list = list(range(day.year - years + 1, day.year + 1))
        db.session.remove()
        db.drop_all()
        db.create_all()
        ids = Ids()
        with db.engine.begin() as connection:
            w = Writer(connection)
            n = 0
            for c in range(scale):
                county_id = ids("county")
                w.add("county", id=county_id, name=f"县{c:04d}")
                if c == 0:
                    w.add(
                        "user",
                        id=ids("user"),
                        username="county",
                        display_name="县人大",
                        password_hash=HASH,
                        role=Role.county,
                        county_id=county_id,
                    )
                for _t in range(TOWNSHIPS_PER_COUNTY):
                    _township(w, ids, county_id, n, year_list, per_year, day)
                    n += 1
                    if len(w.rows["monthly_report"]) > 4 * BATCH:
                        w.flush()
            w.flush()
            if connection.dialect.name == "postgresql":
                for name in Writer.ORDER:
                    connection.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "  # noqa: S608
                            f'coalesce((SELECT max(id) FROM "{name}"), 0) + 1, false)'
                        )
                    )
                # As autovacuum would have by then. SQLite is left unanalysed, as the app leaves it: its
                # statistics count NULLs as one value and then prefer temporary indexes to unique ones.
                connection.execute(text("ANALYZE"))
        return w.counts


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
        met = cpu <= TARGET_RATIO and results[largest][name][1] < TARGET_P50_MS
        print(f"{name.ljust(20)}{figures}{cpu:11.2f}{wall:11.2f}  {'ok' if met else 'MISSED'}")


if __name__ == "__main__":
    main()
