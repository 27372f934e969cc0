"""Test fixtures: every request test runs on SQLite, and again on PostgreSQL when
SUPERVISE_TEST_DATABASE_URL is set. With CI=true a missing PostgreSQL fails instead of skipping."""

from __future__ import annotations

import os

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from config import TestConfig
from supervise import create_app
from supervise.extensions import db

from .factories import Factory

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PG_URL = os.environ.get("SUPERVISE_TEST_DATABASE_URL", "")
if PG_URL.startswith("postgresql://"):
    PG_URL = PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)


def require_or_skip(reason: str) -> None:
    """Skip with a reason locally; in CI a missing service is a failure, never a skip."""
    if IN_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def _postgres_available() -> str | None:
    if not PG_URL:
        return "SUPERVISE_TEST_DATABASE_URL is not set (PostgreSQL tests need it)"
    try:
        engine = create_engine(PG_URL)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # any connection failure
        return f"PostgreSQL at SUPERVISE_TEST_DATABASE_URL is not reachable: {error.__class__.__name__}"
    return None


def make_config(database_url: str) -> type[TestConfig]:
    return type("BoundTestConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database_url})


_pg_schema_ready = False


def _reset_postgres() -> None:
    global _pg_schema_ready
    if not _pg_schema_ready:
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        _pg_schema_ready = True
        return
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    if request.param == "postgresql":
        problem = _postgres_available()
        if problem:
            require_or_skip(problem)
    return request.param


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context and database session, as in production.

    The test's own session is committed first (so the request sees the factories' rows on any
    database) and expired afterwards (so the test reads what the request wrote).
    """

    def open(self, *args, **kwargs):
        db.session.commit()
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)
            db.session.expire_all()


@pytest.fixture
def app(backend):
    url = "sqlite://" if backend == "sqlite" else PG_URL
    app = create_app(make_config(url))
    app.test_client_class = IsolatedClient
    with app.app_context():
        if backend == "sqlite":
            db.create_all()
        else:
            _reset_postgres()
        yield app
        db.session.remove()
        if backend == "sqlite":
            db.drop_all()
        db.engine.dispose()


@pytest.fixture
def postgres_app():
    """An app on PostgreSQL alone, for tests of what only a real server shows (threads racing)."""
    if not PG_URL:
        require_or_skip("SUPERVISE_TEST_DATABASE_URL is not set (the concurrency test needs PostgreSQL)")
    app = create_app(make_config(PG_URL))
    with app.app_context():
        _reset_postgres()
        yield app
        db.session.remove()
        db.engine.dispose()


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
    from contextlib import contextmanager

    from sqlalchemy import event

    @contextmanager
    def counting():
        counter = QueryCounter()
        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)

    return counting
