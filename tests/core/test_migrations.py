"""The migrations build the same schema as the models, from an empty database, on each backend."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import func, inspect, select, text

from supervise import create_app
from supervise.accounts.models import User
from supervise.extensions import db
from tests import conftest

MIGRATIONS = str(Path(__file__).resolve().parents[2] / "migrations")


@pytest.fixture
def empty_database_url(backend, tmp_path):
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    app = create_app(conftest.make_config(conftest.PG_URL))
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.engine.dispose()
    yield conftest.PG_URL
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.engine.dispose()
    conftest._pg_schema_ready = False  # the next test rebuilds the schema


def test_upgrade_empty_database_to_head_matches_models(empty_database_url):
    app = create_app(conftest.make_config(empty_database_url))
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        assert "alembic_version" in inspect(db.engine).get_table_names()
        # Demo accounts exist only in demo data, never in a migrated database.
        assert db.session.execute(select(func.count()).select_from(User)).scalar_one() == 0
        db.session.remove()
        db.engine.dispose()
