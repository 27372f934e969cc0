"""The app through PgBouncer in transaction mode (Debian's pgbouncer, started by the test).

In transaction mode every transaction may run on another server connection. psycopg 3 prepares a
statement on the server once it has run it five times; the next transaction, on another server
connection, then finds no such statement. ``SUPERVISE_DB_PGBOUNCER`` (or port 6432) turns that off.
To make the switch of server connection certain, a second client holds, every other turn, the server
connection the app used last (PgBouncer hands out the most recently used one first) while the app's
next request runs.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.exc import DBAPIError

from config import TestConfig
from supervise import create_app
from supervise.core.database import engine_options
from supervise.extensions import db

from ..conftest import PG_URL, IsolatedClient, require_or_skip
from ..factories import Factory

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
SUPERVISE = Path(__file__).resolve().parents[2] / "supervise"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _ini(port: int, target) -> str:
    password = f" password={target.password}" if target.password else ""
    return f"""[databases]
app = host={target.host or "127.0.0.1"} port={target.port or 5432} dbname={target.database} \
user={target.username or "postgres"}{password}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = any
pool_mode = transaction
default_pool_size = 4
max_client_conn = 50
"""


@pytest.fixture
def pgbouncer(postgres_app):
    """The port of a PgBouncer in transaction mode in front of this worker's test database."""
    if not os.path.exists(PGBOUNCER):
        require_or_skip("pgbouncer is not installed (apt-get install pgbouncer; make test does)")
    folder = Path(tempfile.mkdtemp(prefix="supervise-pgbouncer-"))
    folder.chmod(0o755)  # pgbouncer refuses to run as root: it runs as postgres and reads this
    port = _free_port()
    ini = folder / "pgbouncer.ini"
    ini.write_text(_ini(port, make_url(PG_URL)))
    ini.chmod(0o644)
    command = [PGBOUNCER, str(ini)]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None:
                    output = process.stdout.read().decode() if process.stdout else ""
                    pytest.fail(f"pgbouncer did not start: {output}")
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()
        shutil.rmtree(folder, ignore_errors=True)


def _bouncer_app(port: int, pgbouncer_setting: str):
    url = make_url(PG_URL).set(port=port, database="app", host="127.0.0.1")
    config = type(
        "BouncerConfig",
        (TestConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False),
            "DB_PGBOUNCER": pgbouncer_setting,
        },
    )
    app = create_app(config)
    app.test_client_class = IsolatedClient
    return app


def _holder(port: int) -> psycopg.Connection:
    """A second client of the same PgBouncer, to hold a server connection while the app works."""
    target = make_url(PG_URL)
    return psycopg.connect(
        host="127.0.0.1",
        port=port,
        dbname="app",
        user=target.username or "postgres",
        password=target.password or None,
        prepare_threshold=None,
    )


def _pages_on_changing_server_connections(port: int, app, username: str, password: str) -> list[int]:
    """Sign in, then read pages again and again, every other turn on another server connection."""
    statuses = []
    with app.app_context(), _holder(port) as holder:
        client = app.test_client()
        statuses.append(client.post("/login", data={"username": username, "password": password}).status_code)
        for turn in range(12):
            for url in ("/", "/items/", "/public/", "/healthz"):
                if turn % 2:
                    holder.execute("SELECT 1")  # holds the server connection the app used last
                statuses.append(client.get(url).status_code)
                holder.commit()
        db.session.remove()
        db.engine.dispose()
    return statuses


def _one_statement_on_two_server_connections(port: int, app) -> None:
    """The app's engine runs one statement six times (psycopg prepares it by the fifth, unless told
    not to), commits, and runs it again while another client holds that server connection."""
    statement = text("SELECT CAST(:n AS integer) + 1")
    with app.app_context(), _holder(port) as holder:
        try:
            with db.engine.connect() as conn:
                for n in range(6):
                    conn.execute(statement, {"n": n})
                conn.commit()
                holder.execute("SELECT 1")
                assert conn.execute(statement, {"n": 7}).scalar() == 8
                conn.commit()
            holder.commit()
        finally:
            db.engine.dispose()


def _a_chair():
    factory = Factory()
    chair = factory.user("presidium")
    factory.item("supervising")
    db.session.commit()
    return chair, Factory.PASSWORD


def test_pages_work_through_pgbouncer_in_transaction_mode(postgres_app, pgbouncer):
    chair, password = _a_chair()
    app = _bouncer_app(pgbouncer, "1")
    statuses = _pages_on_changing_server_connections(pgbouncer, app, chair.username, password)
    assert statuses[0] == 302
    assert set(statuses[1:]) == {200}


def test_statements_survive_a_change_of_server_connection(postgres_app, pgbouncer):
    _one_statement_on_two_server_connections(pgbouncer, _bouncer_app(pgbouncer, "1"))


def test_without_the_setting_prepared_statements_break_through_pgbouncer(postgres_app, pgbouncer):
    """The control: what the setting prevents does happen here (so the test above can fail)."""
    with pytest.raises(DBAPIError, match="prepared statement .* does not exist"):
        _one_statement_on_two_server_connections(pgbouncer, _bouncer_app(pgbouncer, "0"))


@pytest.mark.parametrize(
    ("url", "setting", "prepared"),
    [
        ("postgresql+psycopg://u@db:5432/x", "", True),
        ("postgresql+psycopg://u@db:6432/x", "", False),
        ("postgresql+psycopg://u@db:5432/x", "1", False),
        ("postgresql+psycopg://u@db:6432/x", "0", True),
    ],
)
def test_pgbouncer_setting_turns_off_server_side_prepared_statements(url, setting, prepared):
    options = engine_options({"SQLALCHEMY_DATABASE_URI": url, "DB_PGBOUNCER": setting})
    assert ("prepare_threshold" not in options.get("connect_args", {})) is prepared
    if not prepared:
        assert options["connect_args"]["prepare_threshold"] is None


def test_pool_sizes_come_from_the_configuration():
    config = {
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@db/x",
        "DB_POOL_SIZE": 3,
        "DB_MAX_OVERFLOW": 2,
        "DB_POOL_TIMEOUT": 7,
        "DB_POOL_RECYCLE": 1800,
        "DB_POOL_PRE_PING": False,
    }
    options = engine_options(config)
    assert options == {
        "pool_pre_ping": False,
        "pool_size": 3,
        "max_overflow": 2,
        "pool_timeout": 7,
        "pool_recycle": 1800,
    }
    # SQLite's pools take no sizes: the same settings leave it alone.
    assert engine_options({**config, "SQLALCHEMY_DATABASE_URI": "sqlite://"}) == {"pool_pre_ping": False}


def test_pool_sizes_reach_the_engine(monkeypatch):
    config = type(
        "PoolConfig",
        (TestConfig,),
        {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@127.0.0.1:1/x", "DB_POOL_SIZE": 3},
    )
    app = create_app(config)
    with app.app_context():
        assert db.engine.pool.size() == 3
        db.engine.dispose()


def test_environment_variables_set_the_pool(monkeypatch):
    import importlib

    import config as config_module

    monkeypatch.setenv("SUPERVISE_DB_POOL_SIZE", "12")
    monkeypatch.setenv("SUPERVISE_DB_MAX_OVERFLOW", "0")
    monkeypatch.setenv("SUPERVISE_DB_PGBOUNCER", "1")
    try:
        reloaded = importlib.reload(config_module)
        assert reloaded.Config.DB_POOL_SIZE == 12
        assert reloaded.Config.DB_MAX_OVERFLOW == 0
        assert reloaded.Config.DB_PGBOUNCER == "1"
    finally:
        monkeypatch.undo()
        importlib.reload(config_module)


SESSION_STATE = re.compile(
    r"pg_(?:try_)?advisory_lock|pg_advisory_unlock|\bLISTEN \w|\bNOTIFY \w|SET SESSION|CREATE TEMP"
    r"|[\"']SET (?!LOCAL)|\.isolation_level\s*="
)


def test_no_session_state_is_kept_across_transactions():
    """Through PgBouncer in transaction mode a session lasts one transaction: no SET (SET LOCAL is
    fine), no session advisory locks (pg_advisory_xact_lock is fine), no LISTEN/NOTIFY, no temporary
    tables, no session isolation level."""
    offenders = [
        f"{path.relative_to(SUPERVISE.parent)}:{number}: {line.strip()}"
        for path in sorted(SUPERVISE.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SESSION_STATE.search(line)
    ]
    assert not offenders
