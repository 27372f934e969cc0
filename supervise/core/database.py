"""SQLite pragmas on every connection (WAL, enforced foreign keys); engine options from the config."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import bindparam, event, make_url
from sqlalchemy.engine import Engine

PGBOUNCER_PORT = 6432


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


POOL_SETTINGS = {
    "pool_size": "DB_POOL_SIZE",
    "max_overflow": "DB_MAX_OVERFLOW",
    "pool_timeout": "DB_POOL_TIMEOUT",
    "pool_recycle": "DB_POOL_RECYCLE",
}


def behind_pgbouncer(config: Mapping[str, Any]) -> bool:
    """Whether the database is reached through PgBouncer (``DB_PGBOUNCER``, else port 6432)."""
    setting = str(config.get("DB_PGBOUNCER") or "").strip().lower()
    if setting:
        return setting in {"1", "true", "yes", "on"}
    return make_url(config["SQLALCHEMY_DATABASE_URI"]).port == PGBOUNCER_PORT


def engine_options(config: Mapping[str, Any]) -> dict[str, Any]:
    """SQLAlchemy's engine options from the configuration.

    Pool sizes apply to PostgreSQL (SQLite's in-memory and file pools take none of them). Through
    PgBouncer in transaction mode, each transaction may run on another server connection, so
    psycopg must not prepare statements on the server (``prepare_threshold=None``): a statement
    prepared on one server connection is missing on the next ("prepared statement … does not exist").
    The app keeps no other session state across transactions: no SET, no session advisory locks,
    no LISTEN (row locks and ``SET LOCAL`` end with their transaction).
    """
    options: dict[str, Any] = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options.setdefault("pool_pre_ping", bool(config.get("DB_POOL_PRE_PING", True)))
    url = make_url(config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "postgresql":
        return options
    for option, key in POOL_SETTINGS.items():
        if config.get(key) is not None:
            options.setdefault(option, config[key])
    if behind_pgbouncer(config):
        options["connect_args"] = {**options.get("connect_args", {}), "prepare_threshold": None}
    return options


def in_ids(column: Any, ids: Iterable[int]) -> Any:
    """``column IN (1, 2, …)`` with the ids written into the statement rather than bound one by one.

    For the hundreds of ids a page's second query asks about (the events of a township's 300 items):
    psycopg rewrites every bound placeholder of a statement in Python, some 8 µs each, which cost a
    page of 4,000 report ids more than its queries took. Only for integers (ids), never for text."""
    return column.in_(bindparam(None, [int(i) for i in ids], expanding=True, literal_execute=True))


def in_ids_param(column: Any, name: str) -> Any:
    """``in_ids`` for a statement built once and kept: the ids come with each execution, as
    ``{name: [1, 2, …]}``, and are written into the statement as ``in_ids`` writes them."""
    return column.in_(bindparam(name, expanding=True, literal_execute=True))
