"""/metrics: Prometheus' format, for a bearer token or allowed addresses only (404 for anyone else);
requests by endpoint and status with latency histograms, the database pool, the queue's depth and
task durations; with several gunicorn workers, the counts of all of them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from config import TestConfig
from supervise import create_app
from supervise.core.metrics import instrument_huey, register_queue_depth
from supervise.extensions import db

from ..conftest import IsolatedClient

TOKEN = "a-long-random-metrics-token-for-tests"
ROOT = Path(__file__).resolve().parents[2]


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    """{(sample name, its labels): value} of a Prometheus text exposition."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(text: str, name: str, **labels) -> float | None:
    return samples(text).get((name, frozenset(labels.items())))


def scrape(client) -> str:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.status_code
    assert response.content_type.startswith("text/plain; version=")
    return response.get_data(as_text=True)


@pytest.fixture
def with_token(app):
    app.config["METRICS_TOKEN"] = TOKEN
    return app


def test_metrics_are_a_404_unless_a_token_or_an_address_is_configured(client):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


@pytest.mark.parametrize(
    ("header", "status"),
    [
        (None, 404),
        (f"Bearer {TOKEN}x", 404),
        (f"Basic {TOKEN}", 404),
        (f"Bearer {TOKEN}", 200),
        (f"bearer {TOKEN}", 200),
    ],
)
def test_only_the_bearer_token_opens_the_metrics(with_token, client, header, status):
    headers = {"Authorization": header} if header else {}
    assert client.get("/metrics", headers=headers).status_code == status


@pytest.mark.parametrize(
    ("allowed", "status"),
    [
        ("127.0.0.1", 200),
        ("10.0.0.0/8, 127.0.0.0/8", 200),
        ("no-such-address, 127.0.0.1", 200),
        ("10.0.0.0/8", 404),
        ("no-such-address", 404),
        ("", 404),
    ],
)
def test_allowed_addresses_read_the_metrics_without_a_token(app, client, allowed, status):
    app.config["METRICS_ALLOW"] = allowed
    assert client.get("/metrics").status_code == status  # the test client comes from 127.0.0.1


def test_requests_are_counted_by_endpoint_and_status_with_latency_buckets(with_token, client):
    count = "supervise_http_request_duration_seconds_count"
    counted = {
        "healthz": {"method": "GET", "endpoint": "home.healthz", "status": "200"},
        "items": {"method": "GET", "endpoint": "lists.item_list", "status": "302"},
        "missing": {"method": "GET", "endpoint": "None", "status": "404"},
    }
    before = scrape(client)  # (the app is shared with other tests: count from here)
    already = {name: value(before, count, **labels) or 0 for name, labels in counted.items()}
    total_200 = value(before, "supervise_http_request_total", method="GET", status="200") or 0
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    assert client.get("/items/").status_code == 302  # to the sign-in page
    assert client.get("/no-such-page").status_code == 404
    text = scrape(client)
    added = {name: value(text, count, **labels) - already[name] for name, labels in counted.items()}
    assert added == {"healthz": 3, "items": 1, "missing": 1}
    assert value(text, "supervise_http_request_total", method="GET", status="200") == total_200 + 3
    buckets = [
        key
        for key in samples(text)
        if key[0] == "supervise_http_request_duration_seconds_bucket"
        and ("endpoint", "home.healthz") in key[1]
    ]
    assert len(buckets) > 5  # a histogram, not a single figure
    # the scrapes themselves are not counted
    assert all(("endpoint", "metrics") not in labels for _, labels in samples(text))


def test_pool_use_is_shown(tmp_path):
    config = type(
        "FileConfig",
        (TestConfig,),
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'pool.db'}", "METRICS_TOKEN": TOKEN},
    )
    app = create_app(config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        client = app.test_client()
        size = db.engine.pool.size()
        with db.engine.connect() as held:
            held.exec_driver_sql("SELECT 1")
            text = scrape(client)
            assert value(text, "supervise_db_pool_size") == size
            assert value(text, "supervise_db_pool_checked_out") == 1
        assert value(scrape(client), "supervise_db_pool_checked_out") == 0
        db.session.remove()
        db.engine.dispose()


def test_the_queue_depth_comes_from_the_registered_callback(with_token, client):
    assert value(scrape(client), "supervise_queue_pending_tasks") == 0
    register_queue_depth(with_token, lambda: 7)
    assert value(scrape(client), "supervise_queue_pending_tasks") == 7


def test_the_app_reads_its_job_queues_depth(with_token):
    from supervise.core import queue
    from supervise.core.metrics import QUEUE_DEPTH

    assert with_token.extensions[QUEUE_DEPTH] is queue.queue_depth


def test_task_durations_are_recorded_by_task_and_outcome(with_token, client):
    huey_api = pytest.importorskip("huey")
    queue = huey_api.MemoryHuey("durations-test", immediate=True)
    instrument_huey(queue)
    instrument_huey(queue)  # once per instance, however often it is asked

    @queue.task()
    def render_metrics_test_document() -> str:
        return "done"

    @queue.task()
    def fail_metrics_test_document() -> None:
        raise RuntimeError("the renderer broke")

    before = scrape(client)
    count = "supervise_task_duration_seconds_count"
    done = value(before, count, task="render_metrics_test_document", outcome="complete") or 0
    assert render_metrics_test_document().get() == "done"
    assert render_metrics_test_document().get() == "done"
    with pytest.raises(huey_api.exceptions.TaskException):
        fail_metrics_test_document().get()
    text = scrape(client)
    assert value(text, count, task="render_metrics_test_document", outcome="complete") == done + 2
    assert value(text, count, task="fail_metrics_test_document", outcome="error") >= 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, token: str | None = None) -> tuple[int, str]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (the local server)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (local server)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        error.close()
        return error.code, ""


def test_several_gunicorn_workers_report_together(tmp_path):
    """deploy/gunicorn.conf.py with two workers: every scrape, whichever worker answers it, counts
    the requests of both and sums both pools (multiprocess mode)."""
    port = _free_port()
    env = {
        **os.environ,
        "SUPERVISE_INSTANCE_DIR": str(tmp_path),
        "SUPERVISE_DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
        "SUPERVISE_METRICS_TOKEN": TOKEN,
        "SUPERVISE_BIND": f"127.0.0.1:{port}",
        "SUPERVISE_WEB_WORKERS": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
    }
    env.pop("SUPERVISE_TEST_DATABASE_URL", None)
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if _get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
                time.sleep(0.1)
        count = "supervise_http_request_duration_seconds_count"
        healthz = {"method": "GET", "endpoint": "home.healthz", "status": "200"}
        # (a slow start may have answered a try the loop above gave up on: count from here)
        already = value(_get(f"{base}/metrics", TOKEN)[1], count, **healthz)
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda _: _get(f"{base}/healthz")[0], range(39)))
        assert statuses == [200] * 39
        assert _get(f"{base}/metrics")[0] == 404
        for _ in range(4):
            status, text = _get(f"{base}/metrics", TOKEN)
            assert status == 200
            assert value(text, count, **healthz) == already + 39
            one_pool = 5  # SQLAlchemy's QueuePool on a SQLite file
            assert value(text, "supervise_db_pool_size") == 2 * one_pool
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stderr:
            server.stderr.close()
