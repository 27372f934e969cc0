"""Documents made by a real Huey consumer on each queue backend (a SQLite file, Redis on
127.0.0.1:6379), and two requests at once for one document on PostgreSQL: rendered once."""

from __future__ import annotations

import threading
import time

import pytest
from huey.storage import MemoryStorage

from config import TestConfig
from supervise import create_app
from supervise.core import jobs
from supervise.core.queue import huey, init_queue
from supervise.extensions import db
from tests.conftest import PG_URL, IsolatedClient, _reset_postgres, require_or_skip, require_postgres
from tests.factories import Factory
from tests.sheets.conftest import make_township


def _app_on(database_url: str, queue_url: str):
    config = type(
        "QueueConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database_url, "QUEUE_URL": queue_url}
    )
    app = create_app(config)
    app.test_client_class = IsolatedClient
    return app


def _made_by_a_consumer(app) -> None:
    """A sheet's PDF asked for: the progress page, then the PDF once the consumer has made it."""
    with app.app_context():
        db.create_all()
        factory = Factory()
        town = make_township(factory)
        sheet = town.sheet("issued")
        db.session.commit()
        client = app.test_client()
        client.post("/login", data={"username": town.clerk.username, "password": factory.PASSWORD})
        consumer = huey.create_consumer(workers=1, worker_type="thread", periodic=False, max_delay=0.2)
        first = client.get(f"/sheets/{sheet.id}/pdf")
        assert first.status_code == 202
        consumer.start()
        try:
            deadline = time.monotonic() + 120  # a bound against hanging, not a timing assertion
            while time.monotonic() < deadline:
                response = client.get(f"/sheets/{sheet.id}/pdf")
                if response.status_code == 200:
                    break
                time.sleep(0.2)
        finally:
            consumer.stop(graceful=True)
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert jobs.job_for(f"sheet/{sheet.id}").state == jobs.DONE
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def restore_queue():
    yield
    huey.immediate = True
    huey.storage = MemoryStorage(huey.name)


@pytest.mark.usefixtures("restore_queue")
def test_a_consumer_on_the_sqlite_file_queue_makes_the_document(tmp_path):
    app = _app_on(f"sqlite:///{tmp_path / 'app.db'}", f"sqlite:///{tmp_path / 'queue.db'}")
    _made_by_a_consumer(app)


@pytest.mark.usefixtures("restore_queue")
def test_a_consumer_on_redis_makes_the_document(tmp_path):
    import os

    import redis

    url = os.environ.get("SUPERVISE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        require_or_skip(f"Redis at {url} is not reachable: {error}")  # CI=true fails instead
    app = _app_on(f"sqlite:///{tmp_path / 'app.db'}", url)
    huey.flush()
    _made_by_a_consumer(app)


@pytest.mark.usefixtures("restore_queue")
def test_the_same_document_asked_for_twice_at_once_is_rendered_once(monkeypatch):
    require_postgres()
    from flask import Response

    from supervise.core.documents import document_response

    app = _app_on(PG_URL, "immediate")
    with app.app_context():
        _reset_postgres()
        factory = Factory()
        town = make_township(factory)
        sheet = town.sheet("issued")
        db.session.commit()
        sheet_id = sheet.id
    # A queue that keeps the tasks, so that both requests are in before anything is rendered.
    huey.immediate = False
    huey.storage = MemoryStorage(huey.name)
    barrier = threading.Barrier(2)
    statuses = []

    def ask() -> None:
        with app.test_request_context():
            from supervise.sheets.models import FollowUpSheet

            record = db.session.get(FollowUpSheet, sheet_id)
            barrier.wait()
            statuses.append(document_response("sheet", record, Response).status_code)
            db.session.remove()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [202, 202]
    assert huey.pending_count() == 1  # one task for the two requests
    renders = []
    monkeypatch.setattr("supervise.core.pdf.html_to_pdf", lambda html: renders.append(html) or b"%PDF-")
    with app.app_context():
        while (task := huey.dequeue()) is not None:
            huey.execute(task)
        assert len(renders) == 1 and jobs.job_for(f"sheet/{sheet_id}").state == jobs.DONE
        db.session.remove()
        db.engine.dispose()
    init_queue(app)
