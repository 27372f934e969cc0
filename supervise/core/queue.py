"""The job queue (Huey): documents are made and reminders sent by workers, never inside a request.

``SUPERVISE_QUEUE`` says where the queue lives: a SQLite file in the instance folder by default (one
server, `make run` needs nothing else), ``redis://host:6379/2`` for several servers, ``immediate``
to run each task at once in the process that enqueues it (the tests). Workers are their own
processes (`flask worker`); tasks run in an app context of the app that made the queue.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import Huey
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

log = logging.getLogger(__name__)

# One queue per process; create_app() points it at the configured storage (init_queue below).
huey = Huey(
    "supervise", results=False, immediate=True, immediate_use_memory=False, storage_class=MemoryStorage
)

# What the last create_app() made: tasks run in its app context when no app context is active
# (in a worker). Tests that make several apps run tasks in the app that enqueued them.
_apps: list[Flask] = []
# Per task name, the durations of the tasks run in this process (for /metrics): (count, seconds).
durations: dict[str, tuple[int, float]] = {}


def init_queue(app: Flask) -> None:
    """Point the queue at the app's SUPERVISE_QUEUE and remember the app for the tasks."""
    url = app.config["QUEUE_URL"]
    if url == "immediate":
        huey.immediate = True
        huey.storage = MemoryStorage(huey.name)
    elif url.startswith(("redis://", "rediss://", "unix://")):
        huey.immediate = False
        huey.storage = RedisStorage(huey.name, url=url)
    elif url.startswith("sqlite:///"):
        huey.immediate = False
        huey.storage = SqliteStorage(huey.name, filename=url.removeprefix("sqlite:///"))
    else:
        raise RuntimeError(f"SUPERVISE_QUEUE must be immediate, sqlite:///<file> or redis://…, not {url!r}")
    _apps[:] = [app]
    app.extensions["supervise.queue"] = huey


def queue_depth() -> int:
    """How many tasks wait in the queue (not counting scheduled retries): for /metrics."""
    return 0 if huey.immediate else huey.pending_count()


def scheduled_count() -> int:
    """How many tasks wait for a later time (retries after a delay, periodic ones excluded)."""
    return 0 if huey.immediate else huey.scheduled_count()


def task_app() -> Flask:
    """The app a task runs in: the active one (immediate mode), else the worker's."""
    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined]
    if not _apps:
        raise RuntimeError("no app: run workers with `flask worker`")
    return _apps[0]


@contextmanager
def task_context(base_url: str | None = None) -> Iterator[Flask]:
    """A fresh app context (its own database session) with a request context on ``base_url``, so
    that url_for() in documents makes the addresses the request that asked for them would."""
    from ..extensions import db

    app = task_app()
    with app.app_context(), app.test_request_context(base_url=base_url or "http://localhost/"):
        try:
            yield app
        finally:
            db.session.remove()


def timed(name: str, work: Callable[[], Any]) -> Any:
    """Run ``work`` and add its duration to ``durations[name]``."""
    started = time.monotonic()
    try:
        return work()
    finally:
        count, seconds = durations.get(name, (0, 0.0))
        durations[name] = (count + 1, seconds + time.monotonic() - started)
