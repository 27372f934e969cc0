"""``/metrics``: Prometheus' text format, for the operator's monitoring, never for the public.

What it shows (prometheus-flask-exporter for the requests, prometheus_client for the rest):

- ``supervise_http_request_duration_seconds`` (histogram by ``endpoint``, ``method``, ``status``;
  its ``_count`` is the number of requests by endpoint and status), ``supervise_http_request_total``
  (by method and status) and ``supervise_http_request_exceptions_total``;
- ``supervise_db_pool_size`` and ``supervise_db_pool_checked_out``: the SQLAlchemy pool's size and the
  connections in use, summed over the live processes of this server;
- ``supervise_queue_pending_tasks``: the job queue's depth, read when scraped from the callback given
  to ``register_queue_depth(app, callback)`` (create_app gives core/queue.py's ``queue_depth``);
- ``supervise_task_duration_seconds`` (histogram by ``task`` and ``outcome``): queued tasks, recorded
  by ``record_task()``; ``instrument_huey(huey)`` records every task a Huey instance runs (create_app
  does it for core/queue.py's queue, in web and worker processes alike).

Answered only to a request carrying ``Authorization: Bearer <SUPERVISE_METRICS_TOKEN>`` or coming
from an address in ``SUPERVISE_METRICS_ALLOW`` (addresses or networks, comma-separated, as seen after
``SUPERVISE_PROXY_COUNT``); anyone else gets the ordinary 404, as if there were no such page.

Several gunicorn workers: with ``PROMETHEUS_MULTIPROC_DIR`` set (deploy/gunicorn.conf.py sets it),
every process writes its values there and a scrape of any worker adds them all up. Queue workers on
the same machine that share that directory show their task durations there too.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time
import weakref
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, abort, current_app, request
from prometheus_client import CollectorRegistry, Gauge, Histogram, multiprocess
from prometheus_client.exposition import choose_encoder
from prometheus_flask_exporter import PrometheusMetrics  # type: ignore[import-untyped]  # no types published
from sqlalchemy import event

from ..extensions import db

EXTENSION = "supervise.metrics"
QUEUE_DEPTH = "supervise.metrics.queue_depth"
TASK_BUCKETS = (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800)
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Tasks run in worker processes that may serve no pages: their histogram belongs to the process,
# and each app's registry shows it.
TASK_DURATION = Histogram(
    "supervise_task_duration_seconds",
    "Time a queued task took, by task and outcome",
    ("task", "outcome"),
    registry=None,
    buckets=TASK_BUCKETS,
)
_instrumented: weakref.WeakSet[Any] = weakref.WeakSet()


def record_task(name: str, seconds: float, outcome: str = "complete") -> None:
    """Count one run of the queued task ``name`` that took ``seconds`` and ended with ``outcome``."""
    TASK_DURATION.labels(task=name, outcome=outcome).observe(max(seconds, 0.0))


def instrument_huey(huey: Any) -> None:
    """Record the duration of every task ``huey`` runs (once per Huey instance)."""
    if huey in _instrumented:
        return
    from huey import signals

    started: dict[str, float] = {}
    endings = {
        signals.SIGNAL_COMPLETE: "complete",
        signals.SIGNAL_ERROR: "error",
        signals.SIGNAL_TIMEOUT: "timeout",
        signals.SIGNAL_CANCELED: "canceled",
        signals.SIGNAL_INTERRUPTED: "interrupted",
    }

    @huey.signal(signals.SIGNAL_EXECUTING)
    def task_started(signal: str, task: Any, *args: Any) -> None:
        started[task.id] = time.monotonic()

    @huey.signal(*endings)
    def task_ended(signal: str, task: Any, *args: Any) -> None:
        began = started.pop(task.id, None)
        if began is not None:
            record_task(task.name, time.monotonic() - began, endings[signal])

    _instrumented.add(huey)


class AppMetrics:
    """One app's request metrics, pool gauges and queue gauge, in a registry of its own."""

    def __init__(self, app: Flask) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = PrometheusMetrics(
            app=None,
            path=None,
            registry=self.registry,
            group_by="endpoint",
            defaults_prefix="supervise",
            excluded_paths=["^/metrics$"],
        )
        self.requests.init_app(app)
        self.registry.register(TASK_DURATION)
        self.pool_size = Gauge(
            "supervise_db_pool_size",
            "Connections the SQLAlchemy pool keeps (summed over live processes)",
            registry=self.registry,
            multiprocess_mode="livesum",
        )
        self.pool_checked_out = Gauge(
            "supervise_db_pool_checked_out",
            "SQLAlchemy pool connections in use (summed over live processes)",
            registry=self.registry,
            multiprocess_mode="livesum",
        )
        self.queue_pending = Gauge(
            "supervise_queue_pending_tasks",
            "Tasks waiting in the job queue",
            registry=self.registry,
            multiprocess_mode="mostrecent",
        )

    def watch_pool(self, engine: Any) -> None:
        """Keep the pool gauges current as connections are checked out and in."""
        size = getattr(engine.pool, "size", None)
        self.pool_size.set(size() if callable(size) else 1)  # SQLite in memory: one connection
        in_use = self.pool_checked_out
        event.listen(engine, "checkout", lambda *_args: in_use.inc())
        event.listen(engine, "checkin", lambda *_args: in_use.dec())

    def read_queue_depth(self) -> None:
        callback = current_app.extensions.get(QUEUE_DEPTH)
        if callback is None:
            self.queue_pending.set(0)  # no queue: nothing waits
            return
        try:
            self.queue_pending.set(callback())
        except Exception:  # the queue's store is down: say so in the log, keep the other metrics
            current_app.logger.exception("metrics: the job queue's depth could not be read")

    def exposition(self, accept: str) -> tuple[bytes, str]:
        """The metrics in the format the scraper accepts (Prometheus' text, or OpenMetrics)."""
        self.read_queue_depth()
        registry = self.registry
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        encode, content_type = choose_encoder(accept)
        return encode(registry), content_type


def allowed_networks(text: str) -> list[Network]:
    """``SUPERVISE_METRICS_ALLOW`` read: '10.0.0.5, 10.1.0.0/16' → the networks (a typo is logged
    and allows nothing)."""
    networks = []
    for part in filter(None, (part.strip() for part in text.split(","))):
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            current_app.logger.error("SUPERVISE_METRICS_ALLOW: %r is not an address or network", part)
    return networks


def may_read_metrics() -> bool:
    """The bearer token matches SUPERVISE_METRICS_TOKEN, or the address is an allowed one."""
    token = current_app.config.get("METRICS_TOKEN") or ""
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return True
    networks = allowed_networks(current_app.config.get("METRICS_ALLOW") or "")
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in networks)


def metrics_view() -> Response:
    if not may_read_metrics():
        abort(404)
    body, content_type = current_app.extensions[EXTENSION].exposition(request.headers.get("Accept", ""))
    response = Response(body, content_type=content_type)
    response.headers["Cache-Control"] = "no-store"
    return response


def register_queue_depth(app: Flask, callback: Callable[[], int]) -> None:
    """Have ``supervise_queue_pending_tasks`` read ``callback()`` (the queue's waiting tasks)."""
    app.extensions[QUEUE_DEPTH] = callback


def init_metrics(app: Flask) -> None:
    """Collect the app's metrics and answer /metrics (call after db.init_app)."""
    metrics = AppMetrics(app)
    app.extensions[EXTENSION] = metrics
    with app.app_context():
        metrics.watch_pool(db.engine)
    app.add_url_rule("/metrics", "metrics", metrics_view)
