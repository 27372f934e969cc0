"""`flask backup` / `flask restore`: a backup of the demo restored into an empty database and storage
holds every row of every table and every file; a non-empty target or a damaged archive is refused."""

from __future__ import annotations

import io
import json
import re
import stat
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import MetaData, Table, create_engine, inspect, make_url, select

from config import TestConfig
from supervise import create_app
from supervise.core.storage import storage
from supervise.demo import seed_demo
from supervise.extensions import db

from ..conftest import PG_URL, IsolatedClient, require_postgres

DOCUMENT = b"%PDF-1.4 a stored sheet\n"
UPLOAD = b"\xff\xd8\xff\xe0 a photo still in UPLOAD_DIR"


def _app(url: str, folder: Path):
    config = type(
        "BackupConfig",
        (TestConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "STORAGE_DIR": str(folder / "storage"),
            "UPLOAD_DIR": str(folder / "uploads"),
        },
    )
    app = create_app(config)
    app.test_client_class = IsolatedClient
    return app


def _fresh_postgres_database(suffix: str) -> str:
    """This worker's own PostgreSQL database ``<test database>_<suffix>``, made anew and empty."""
    url = make_url(PG_URL)
    name = f"{url.database}_{suffix}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _demo(app) -> None:
    with app.app_context():
        db.create_all()
        seed_demo()
        db.session.commit()
        storage().put("documents/sheet/1.pdf", DOCUMENT)
        upload = Path(app.config["UPLOAD_DIR"]) / "ab" / "ab12cd34"
        upload.parent.mkdir(parents=True, exist_ok=True)
        upload.write_bytes(UPLOAD)


def _contents(app) -> tuple[dict[str, list[tuple]], dict[str, bytes], dict[str, bytes]]:
    """Every row of every table (in key order), every stored file and every file in UPLOAD_DIR."""
    with app.app_context():
        tables = {}
        with db.engine.connect() as conn:
            for name in inspect(conn).get_table_names():
                table = Table(name, MetaData(), autoload_with=conn)
                order = list(table.primary_key.columns) or list(table.columns)
                tables[name] = [tuple(row) for row in conn.execute(select(table).order_by(*order))]
        files = {key: storage().get(key) for key in storage().keys()}
        root = Path(app.config["UPLOAD_DIR"])
        uploads = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
        db.session.remove()
        db.engine.dispose()
    return tables, files, uploads


def _backup(app, folder: Path) -> Path:
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(folder)])
    assert result.exit_code == 0, result.output
    (archive,) = folder.glob("supervise-backup-*.tar.gz")
    assert archive.name in result.output
    return archive


def _restore(app, archive: Path):
    return app.test_cli_runner().invoke(args=["restore", str(archive)])


@pytest.fixture(scope="module")
def demo_backup(tmp_path_factory):
    """The demo on a SQLite file (with a stored document and an upload) and its backup; the demo
    takes a while to load, so the tests of this module share it and do not change it."""
    folder = tmp_path_factory.mktemp("backup")
    source = _app(f"sqlite:///{folder / 'source.db'}", folder / "source")
    _demo(source)
    return source, _backup(source, folder / "backups")


@pytest.fixture
def postgres_demo_backup(tmp_path):
    require_postgres()
    source = _app(_fresh_postgres_database("backup_source"), tmp_path / "source")
    _demo(source)
    return source, _backup(source, tmp_path / "backups")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_backup_of_the_demo_restores_every_table_and_file(backend, request, tmp_path):
    if backend == "sqlite":
        source, archive = request.getfixturevalue("demo_backup")
        target_url = f"sqlite:///{tmp_path / 'target.db'}"
    else:
        source, archive = request.getfixturevalue("postgres_demo_backup")
        target_url = _fresh_postgres_database("backup_target")
    target = _app(target_url, tmp_path / "target")
    result = _restore(target, archive)
    assert result.exit_code == 0, result.output

    tables, files, uploads = _contents(source)
    assert len(tables) > 40 and sum(len(rows) for rows in tables.values()) > 500
    assert files["documents/sheet/1.pdf"] == DOCUMENT and uploads["ab/ab12cd34"] == UPLOAD
    restored = _contents(target)
    assert sorted(restored[0]) == sorted(tables)
    for name, rows in tables.items():
        assert restored[0][name] == rows, name
    assert restored[1:] == (files, uploads)


def test_the_archive_is_dated_private_and_lists_each_file_with_its_checksum(demo_backup):
    _, archive = demo_backup
    assert re.fullmatch(r"supervise-backup-\d{8}T\d{6}Z\.tar\.gz", archive.name)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        sums = tar.extractfile("SHA256SUMS").read().decode()
        members = set(tar.getnames())
    assert manifest["database"]["dialect"] == "sqlite"
    assert set(manifest["files"]) == members - {"manifest.json", "SHA256SUMS"}
    assert {"database/supervise.sqlite3", "storage/documents/sheet/1.pdf", "uploads/ab/ab12cd34"} <= members
    for member, entry in manifest["files"].items():
        assert f"{entry['sha256']}  {member}\n" in sums


def test_restore_refuses_a_database_that_is_not_empty(demo_backup):
    source, archive = demo_backup
    result = _restore(source, archive)
    assert result.exit_code != 0
    assert "只能恢复到空的数据库和空的文件存储" in result.output
    assert "the database has" in result.output


def test_restore_refuses_storage_that_is_not_empty_and_leaves_the_database_alone(demo_backup, tmp_path):
    _, archive = demo_backup
    target = _app(f"sqlite:///{tmp_path / 'target.db'}", tmp_path / "target")
    with target.app_context():
        storage().put("documents/notice/9.pdf", DOCUMENT)
    result = _restore(target, archive)
    assert result.exit_code != 0
    assert "the storage already holds files" in result.output
    with target.app_context():
        assert inspect(db.engine).get_table_names() == []
        db.engine.dispose()


def test_restore_refuses_a_damaged_archive(demo_backup, tmp_path):
    _, archive = demo_backup
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as tar, tarfile.open(damaged, "w:gz") as out:
        for member in tar.getmembers():
            data = tar.extractfile(member).read()
            if member.name == "storage/documents/sheet/1.pdf":
                data = data.replace(b"sheet", b"SHEET")
            out.addfile(member, io.BytesIO(data))
    target = _app(f"sqlite:///{tmp_path / 'target.db'}", tmp_path / "target")
    result = _restore(target, damaged)
    assert result.exit_code != 0
    assert "checksum of storage/documents/sheet/1.pdf differs" in result.output
    with target.app_context():
        assert inspect(db.engine).get_table_names() == []
        db.engine.dispose()
