"""The database half of `flask backup` / `flask restore`: a consistent copy and its restoration.

SQLite: the online backup API (``sqlite3.Connection.backup``), which copies a consistent snapshot
while the app keeps running. PostgreSQL: ``pg_dump --format=custom`` (one snapshot, in one
transaction), restored with ``pg_restore --single-transaction``; both come with Debian's
``postgresql-client`` package. A restore goes only into an empty database (no tables at all).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect, make_url, text
from sqlalchemy.engine import URL

from ..extensions import db

DUMP_NAMES = {"sqlite": "database/supervise.sqlite3", "postgresql": "database/supervise.pgdump"}


class BackupProblem(Exception):
    """Why a backup or a restore cannot go on, in words for the operator."""


def dialect() -> str:
    """'sqlite' or 'postgresql': the database of the current app."""
    name = db.engine.dialect.name
    if name not in DUMP_NAMES:
        raise BackupProblem(f"不支持的数据库 / unsupported database: {name}")
    return name


def schema_revision() -> str | None:
    """The Alembic revision the database is at (None for a schema made without migrations)."""
    if "alembic_version" not in inspect(db.engine).get_table_names():
        return None
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def table_names() -> list[str]:
    """Every table of the database (default schema), the app's and Alembic's."""
    return sorted(inspect(db.engine).get_table_names())


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The URL in libpq's form for pg_dump / pg_restore, the password in the environment."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _postgres_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupProblem(f"找不到 {name} / {name} not found: apt-get install postgresql-client")
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupProblem(f"{Path(command[0]).name} 失败 / failed: {done.stderr.strip()}")


def _sqlite(connection: object) -> sqlite3.Connection:
    assert isinstance(connection, sqlite3.Connection)  # noqa: S101 (dialect() said sqlite)
    return connection


def dump_database(target: Path) -> None:
    """Write a consistent copy of the app's database to ``target``."""
    if dialect() == "sqlite":
        raw = db.engine.raw_connection()
        try:
            copy = sqlite3.connect(target)
            try:
                _sqlite(raw.driver_connection).backup(copy)
            finally:
                copy.close()
        finally:
            raw.close()
        return
    url, env = _libpq(make_url(db.engine.url))
    options = ["--format=custom", "--no-owner", "--no-privileges", "-f", str(target)]
    _run([_postgres_tool("pg_dump"), *options, url], env)


def restore_database(source: Path) -> None:
    """Load the copy at ``source`` into the app's (empty) database."""
    if dialect() == "sqlite":
        copy = sqlite3.connect(source)
        raw = db.engine.raw_connection()
        try:
            copy.backup(_sqlite(raw.driver_connection))
        finally:
            raw.close()
            copy.close()
        return  # (other connections of the pool see the new schema by themselves)

    url, env = _libpq(make_url(db.engine.url))
    _run(
        [
            _postgres_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={url}",
            str(source),
        ],
        env,
    )
    db.session.remove()
    db.engine.dispose()  # pooled connections must see the new schema
