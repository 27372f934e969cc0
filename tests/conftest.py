"""Test fixtures: every request test runs on SQLite, and again on PostgreSQL when
SUPERVISE_TEST_DATABASE_URL is set. With CI=true a missing PostgreSQL fails instead of skipping.

Each backend has one app per test session (per pytest-xdist worker), whose schema is built once.
Every test starts on empty tables (ids from 1 again), with the app's config and extensions as they
were made (so a fresh page cache and layout cache) and a fresh rate-limit store. A test that changes
what the app is made of (adds a view) asks for ``fresh_app`` instead.

Under pytest-xdist each worker uses its own PostgreSQL database, ``<database>_<worker id>``
(``test_gw0`` for ``…/test``), created on demand through the ``postgres`` maintenance database.
"""

from __future__ import annotations

import functools
import os
from contextlib import contextmanager

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, make_url, text

from config import TestConfig
from supervise import create_app
from supervise.extensions import db, limiter

from .factories import Factory
from .helpers import missing_pdf_tools

BROWSER_NODES = "tests/browser/"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# "gw0", "gw1" … in a pytest-xdist worker, "" in a run without workers.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def _worker_url(url: str) -> str:
    """This process's PostgreSQL URL: the configured one, or its ``<database>_<worker>`` sibling."""
    if url.startswith("postgresql://"):
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    if not url or not WORKER:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{WORKER}").render_as_string(hide_password=False)


PG_URL = _worker_url(os.environ.get("SUPERVISE_TEST_DATABASE_URL", ""))


def require_or_skip(reason: str) -> None:
    """Skip with a reason locally; in CI a missing service is a failure, never a skip."""
    if IN_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def _create_database(url: str) -> None:
    """Create the URL's database through the server's ``postgres`` database if it is missing."""
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            found = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
            ).scalar()
            if not found:
                conn.exec_driver_sql(f'CREATE DATABASE "{parsed.database}"')
    except Exception:  # noqa: S110 (no rights or no maintenance database: connecting below says why)
        pass
    finally:
        admin.dispose()


@functools.cache
def _postgres_problem() -> str | None:
    """Why PostgreSQL tests cannot run here, or None (asked once per process)."""
    if not PG_URL:
        return "SUPERVISE_TEST_DATABASE_URL is not set (PostgreSQL tests need it)"
    _create_database(PG_URL)
    try:
        engine = create_engine(PG_URL)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # any connection failure
        return f"PostgreSQL at SUPERVISE_TEST_DATABASE_URL is not reachable: {error.__class__.__name__}"
    return None


def require_postgres() -> None:
    """Skip (fail in CI) unless this worker's PostgreSQL database is reachable."""
    problem = _postgres_problem()
    if problem:
        require_or_skip(problem)


def make_config(database_url: str) -> type[TestConfig]:
    return type("BoundTestConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database_url})


# ---- emptying a database between tests -----------------------------------------------------------

_pg_schema_ready = False  # test_migrations drops every table and sets this back to False


def _empty_tables() -> None:
    """DELETE every row, children before parents, and start ids from 1 again.

    Much cheaper than TRUNCATE on PostgreSQL (which makes new files for 50 tables each time) and
    than building the schema anew on SQLite. On PostgreSQL the whole reset is one round trip: a
    hundred statements sent one by one cost more than most tests do, on a busy machine."""
    tables = [table.name for table in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Several statements in one call: psycopg sends a query without parameters as it is.
            conn.exec_driver_sql("".join(f'DELETE FROM "{name}";' for name in tables) + _RESTART_SEQUENCES)
            return
        for name in tables:
            conn.exec_driver_sql(f'DELETE FROM "{name}"')
        if conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").scalar():
            conn.exec_driver_sql("DELETE FROM sqlite_sequence")


# Every sequence that has handed out a number starts again from 1 (ids from 1 in every test).
_RESTART_SEQUENCES = """
DO $$
DECLARE used record;
BEGIN
    FOR used IN SELECT sequencename FROM pg_sequences
                WHERE schemaname = current_schema() AND last_value IS NOT NULL LOOP
        EXECUTE 'ALTER SEQUENCE ' || quote_ident(used.sequencename) || ' RESTART';
    END LOOP;
END $$;
"""


def _reset_postgres() -> None:
    """In an app context on PG_URL: the schema built once per process, then emptied for each test."""
    global _pg_schema_ready
    if not _pg_schema_ready:
        db.session.remove()
        db.engine.dispose()
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        _pg_schema_ready = True
        return
    db.session.remove()
    _empty_tables()


# ---- apps -----------------------------------------------------------------------------------------


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context and database session, as in production.

    The test's own session is committed first (so the request sees the factories' rows on any
    database) and expired afterwards (so the test reads what the request wrote). Responses are
    read whole and closed, and so is the request body, so that no file stays open (ResourceWarning).
    """

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        db.session.commit()
        token = _cv_app.set(None)
        try:
            response = super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)
            db.session.expire_all()
        # A large multipart body was spooled to a temporary file that werkzeug leaves open.
        response.request.environ["wsgi.input"].close()
        return response


def _new_app(url: str) -> Flask:
    app = create_app(make_config(url))
    app.test_client_class = IsolatedClient
    return app


_as_made: dict[Flask, tuple[dict, dict]] = {}


def _shared_app(url: str) -> Flask:
    """The app that the tests of one backend share in this process; see _back_as_made()."""
    app = _new_app(url)
    _as_made[app] = (dict(app.config), dict(app.extensions))
    return app


def _back_as_made(app: Flask) -> None:
    """Undo what the previous test did to the shared app: config, caches, rate limits, client class."""
    config, extensions = _as_made[app]
    app.config.clear()
    app.config.update(config)
    app.extensions.clear()
    app.extensions.update(extensions)  # the page and layout caches are made anew on first use
    app.test_client_class = IsolatedClient
    limiter.init_app(app)  # a new store from this app's RATELIMIT_STORAGE_URI, as create_app made


@pytest.fixture(scope="session")
def sqlite_session_app():
    app = _shared_app("sqlite://")  # in memory: one connection for every session (StaticPool)
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def postgresql_session_app():
    require_postgres()
    app = _shared_app(PG_URL)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    if request.param == "postgresql":
        require_postgres()
    return request.param


@pytest.fixture
def app(backend, request):
    """This backend's shared app on empty tables, inside an app context for the test."""
    app = request.getfixturevalue(f"{backend}_session_app")
    _back_as_made(app)
    with app.app_context():
        if backend == "sqlite":
            db.session.remove()
            _empty_tables()
        else:
            _reset_postgres()
        yield app
        db.session.remove()


@contextmanager
def own_app(url: str):
    """An app of its own on ``url``, in its app context, with the schema in place (built on SQLite,
    emptied on PostgreSQL); its connections are closed at the end."""
    app = _new_app(url)
    with app.app_context():
        if url.startswith("sqlite"):
            db.create_all()
        else:
            _reset_postgres()
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def fresh_app(backend):
    """An app of the test's own on this backend, for a test that adds views or hooks to it."""
    with own_app("sqlite://" if backend == "sqlite" else PG_URL) as app:
        yield app


@pytest.fixture
def postgres_app(postgresql_session_app):
    """An app on PostgreSQL alone, for tests of what only a real server shows (threads racing)."""
    _back_as_made(postgresql_session_app)
    with postgresql_session_app.app_context():
        _reset_postgres()
        yield postgresql_session_app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def factory(app) -> Factory:
    return Factory()


@pytest.fixture
def login_as(client, factory):
    """login_as('presidium') signs in a fresh account of that role (or a given user) and returns it."""

    def sign_in(role_or_user, **kwargs):
        user = factory.user(role_or_user, **kwargs) if isinstance(role_or_user, str) else role_or_user
        db.session.commit()
        response = client.post("/login", data={"username": user.username, "password": factory.PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return sign_in


@pytest.fixture
def pdf_tools() -> None:
    """poppler-utils and zbar-tools, which tests read PDFs with (make test installs them)."""
    problem = missing_pdf_tools()
    if problem:
        require_or_skip(problem)


@pytest.fixture
def render_on_change(app):
    """Documents are made when their record changes (a notice published), as in production: in
    immediate mode, when the change is committed (TestConfig makes them only when asked for)."""
    app.config["DOCUMENTS_RENDER_ON_CHANGE"] = True
    return app


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, *args):
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """with count_queries() as counter: ...; counter.count is the number of SQL statements run."""

    @contextmanager
    def counting():
        counter = QueryCounter()
        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)

    return counting


@pytest.fixture
def queued(app):
    """Tasks wait in memory, as in a real queue, until the test runs them with
    ``tests.helpers.run_queued()``."""
    from huey.storage import MemoryStorage

    from supervise.core.queue import huey, init_queue

    huey.immediate = False
    huey.storage = MemoryStorage(huey.name)
    yield huey
    init_queue(app)


# ---- S3 storage: a local S3 server (moto's server mode) ----------------------------------------


@pytest.fixture(scope="session")
def s3_endpoint():
    """The address of a local S3 server (moto's ThreadedMotoServer on a free port), one per session.

    Without moto the S3 tests skip locally and fail in CI (requirements-dev.txt installs it)."""
    import socket

    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        require_or_skip("moto[server] is not installed (pip install -r requirements-dev.txt)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


_buckets = iter(range(1, 1_000_000))


@pytest.fixture
def s3_storage(s3_endpoint):
    """An S3Storage on a new, empty bucket of the local S3 server."""
    from supervise.core.storage import S3Storage

    store = S3Storage(
        f"test-{WORKER or 'main'}-{next(_buckets)}",
        prefix="supervise",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    store.create_bucket()
    return store


@pytest.fixture(params=["local", "s3"])
def any_storage(request, tmp_path):
    """Each storage backend in turn, empty: a LocalStorage in a temporary folder, then S3."""
    from supervise.core.storage import LocalStorage

    if request.param == "local":
        return LocalStorage(tmp_path / "storage")
    return request.getfixturevalue("s3_storage")


@pytest.fixture
def app_storage(app, any_storage):
    """The app's storage on each backend in turn, empty (the app's files go there in this test)."""
    app.extensions["supervise.storage"] = any_storage  # undone for the next test by _back_as_made()
    return any_storage


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Under ``-n``, tests go out one by one as with ``--dist load``, except the browser journeys:
    they share one live server and its data, so one worker runs them all, in order. (xdist's own
    ``--dist loadgroup`` renames nodes to group them, which xdist 3.8 cannot do on pytest 9.)"""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class BrowserJourneysTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "browser journeys" if nodeid.startswith(BROWSER_NODES) else nodeid

    return BrowserJourneysTogether(config, log)
