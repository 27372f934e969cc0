"""Benchmark: the item list page (50 items a page, with supervisors, office and state) against a bare
Flask page rendering 50 rows × 5 columns from the same database, under the same load in one run.

Target (issue 3): the item list reaches at least 70% of the bare page's throughput. Prints figures only.

    .venv/bin/python bench/item_list.py [--items 300] [--requests 300]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask import Flask, render_template_string  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from config import TestConfig  # noqa: E402
from supervise import create_app  # noqa: E402
from supervise.extensions import db  # noqa: E402
from tests.factories import Factory  # noqa: E402

BARE_TEMPLATE = """<!doctype html><html><body><table>
{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}
</table></body></html>"""


def build(path: Path, items: int) -> None:
    cfg = type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    app = create_app(cfg)
    with app.app_context():
        db.create_all()
        factory = Factory()
        offices = [factory.office() for _ in range(8)]
        deputies = [factory.deputy() for _ in range(30)]
        factory.user("presidium", username="bench-chair")
        for n in range(items):
            factory.item(
                "supervising",
                supervisors=[deputies[n % 30], deputies[(n + 7) % 30]],
                lead_office_id=offices[n % 8].id,
                deadline=date(2026, 1 + n % 12, 1 + n % 28),
                title=f"基准事项{n:04d}",
            )
        db.session.commit()
        return app


def bare_app(path: Path) -> Flask:
    app = Flask("bare")
    engine = create_engine(f"sqlite:///{path}")

    @app.get("/bare")
    def bare():
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT code, title, state, deadline, lead_office_id FROM item ORDER BY code LIMIT 50")
            ).all()
        return render_template_string(BARE_TEMPLATE, rows=rows)

    return app


def measure(client, url: str, requests: int) -> list[float]:
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        app = build(path, args.items)
        client = app.test_client()
        client.post("/login", data={"username": "bench-chair", "password": Factory.PASSWORD})
        bare = bare_app(path).test_client()
        for c, url in ((client, "/items/"), (bare, "/bare")):  # warm up
            measure(c, url, 20)
        results = {}
        # Interleave rounds so both pages see the same machine load.
        for _ in range(3):
            for name, c, url in (("item list", client, "/items/"), ("bare page", bare, "/bare")):
                results.setdefault(name, []).extend(measure(c, url, args.requests // 3))
        print(f"items in database: {args.items}, requests per page: {args.requests}")
        rates = {}
        for name, timings in results.items():
            rates[name] = len(timings) / sum(timings)
            print(f"{name:10} {rates[name]:8.1f} req/s   median {statistics.median(timings) * 1000:6.2f} ms")
        ratio = rates["item list"] / rates["bare page"]
        print(f"item list / bare page throughput: {ratio:.0%} (target ≥ 70%)")


if __name__ == "__main__":
    main()
