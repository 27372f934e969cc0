"""Benchmark: the JSON API's "my items" (a deputy's 50 supervised items with their reports) and a
public notice (50 lines), against a bare Flask page rendering 50 rows × 5 columns from the same
database, under the same load in one run; then the size of what the offline app's service worker
keeps (its shell).

Target (issue 16): each API answer reaches at least 70% of the bare page's throughput; the service
worker's cache stays under 1.5 MB. Prints figures only, asserts nothing.

    .venv/bin/python bench/api.py [--items 50] [--requests 300]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from public_notice import bare_app, bench_app, measure  # noqa: E402

from supervise.accounts.operations import create_api_token  # noqa: E402
from supervise.accounts.tokens import TokenScope  # noqa: E402
from supervise.api.app_views import shell_urls  # noqa: E402
from supervise.core.clock import today  # noqa: E402
from supervise.core.dates import shift_month  # noqa: E402
from supervise.extensions import db  # noqa: E402
from supervise.notices import operations as ops  # noqa: E402
from supervise.org.models import Deputy  # noqa: E402
from tests.factories import Factory  # noqa: E402

SW_TARGET = 1.5 * 1024 * 1024


def build(path: Path, items: int):
    """One township whose deputy supervises ``items`` items with three months of reports each, and
    its published notice."""
    app = bench_app(path)
    with app.app_context():
        db.create_all()
        factory = Factory()
        township = factory.default_township
        offices = [factory.office() for _ in range(8)]
        deputy_user = factory.user("deputy", username="bench-deputy")
        deputy = db.session.get(Deputy, deputy_user.deputy_id)
        this_month = today().replace(day=1)
        for n in range(items):
            item = factory.item(
                "supervising",
                supervisors=[deputy],
                lead_office_id=offices[n % 8].id,
                title=f"集镇基础设施提升项目{n:03d}",
                target="年内完成主体工程并通过验收。",
            )
            for back in (2, 1, 0):
                factory.report_row(
                    item,
                    month=shift_month(this_month, -back),
                    percent=30 + 20 * (2 - back),
                    done="按计划推进。",
                )
        chair = factory.user("presidium")
        notice = ops.publish_notice(chair, township.id, this_month)
        _token, secret = create_api_token(deputy_user, "bench", TokenScope.read)
        db.session.commit()
        return app, secret, f"/api/v1/public/townships/{township.slug}/notices/{notice.id}"


def shell_size(app) -> int:
    """Bytes the service worker caches: the shell page as the deputy gets it, and its files."""
    client = app.test_client()
    client.post("/login", data={"username": "bench-deputy", "password": Factory.PASSWORD})
    with app.test_request_context():
        urls = shell_urls()
    return sum(len(client.get(url).get_data()) for url in urls)


class Authorized:
    """A test client sending the bearer token with each request."""

    def __init__(self, client, secret: str):
        self.client, self.headers = client, {"Authorization": f"Bearer {secret}"}

    def get(self, url: str, headers=None):
        return self.client.get(url, headers={**self.headers, **(headers or {})})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        app, secret, notice_url = build(path, args.items)
        pages = {
            "API my items": (Authorized(app.test_client(), secret), f"/api/v1/me/items?limit={args.items}"),
            "API notice": (app.test_client(), notice_url),
            "bare page": (bare_app(path).test_client(), "/bare"),
        }
        for client, url in pages.values():  # warm up
            measure(client, url, 20)
        results: dict[str, list[float]] = {}
        for _ in range(3):  # interleaved, so all see the same machine load
            for name, (client, url) in pages.items():
                results.setdefault(name, []).extend(w for w, _c in measure(client, url, args.requests // 3))
        print(f"items: {args.items}, requests per page: {args.requests}")
        rates = {name: len(wall) / sum(wall) for name, wall in results.items()}
        for name, rate in rates.items():
            print(f"{name:13} {rate:8.1f} req/s")
        for name in ("API my items", "API notice"):
            print(f"{name} / bare page throughput: {rates[name] / rates['bare page']:.0%} (target ≥ 70%)")
        size = shell_size(app)
        print(f"service worker cache: {size / 1024:.1f} KiB (target < {SW_TARGET / 1024 / 1024:.1f} MB)")


if __name__ == "__main__":
    main()
