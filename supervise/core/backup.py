"""`flask backup` and `flask restore`: the database, the stored files and the uploads in one archive.

A backup is one dated ``supervise-backup-YYYYMMDDTHHMMSSZ.tar.gz`` (mode 0600: it holds everything,
password hashes and ballots included) with

- ``database/supervise.sqlite3`` or ``database/supervise.pgdump``: a consistent copy of the database
  (see ``backup_database``), taken first;
- ``storage/<key>``: every file of ``storage()`` (generated documents, uploads moved onto it);
- ``uploads/<path>``: the files still in ``UPLOAD_DIR``;
- ``manifest.json``: when, which database and schema revision, and each file's size and sha256;
- ``SHA256SUMS``: the same checksums for ``sha256sum -c`` after unpacking.

Files are copied after the database snapshot: a file added meanwhile is in the archive without a
record naming it (harmless; `flask uploads prune` forgets it), never the other way round, because
records are committed only after their files are written.

A restore checks every checksum first and goes only into an empty target: a database without
tables and a storage and upload directory without files; otherwise it refuses and says what it
found there.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app

from .backup_database import (
    DUMP_NAMES,
    BackupProblem,
    dialect,
    dump_database,
    restore_database,
    schema_revision,
    table_names,
)
from .storage import storage

FORMAT = 1
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
CHUNK = 1024 * 1024

__all__ = ["BackupProblem", "restore", "write_backup"]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def upload_files() -> Iterator[tuple[str, Path]]:
    """(path below UPLOAD_DIR, file) for each file still kept there, in a stable order."""
    root = Path(current_app.config["UPLOAD_DIR"])
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.startswith(".part-"):
            yield path.relative_to(root).as_posix(), path


class ArchiveWriter:
    """A tar.gz being written, which remembers each member's size and checksum."""

    def __init__(self, tar: tarfile.TarFile) -> None:
        self.tar = tar
        self.files: dict[str, dict[str, int | str]] = {}
        self.now = int(time.time())

    def add_bytes(self, name: str, data: bytes, listed: bool = True) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = len(data), self.now, 0o600
        self.tar.addfile(info, io.BytesIO(data))
        if listed:
            self.files[name] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}

    def add_file(self, name: str, path: Path) -> None:
        self.files[name] = {"size": path.stat().st_size, "sha256": sha256_of(path)}
        self.tar.add(path, arcname=name, recursive=False)


def write_backup(folder: Path) -> Path:
    """Write a backup archive into ``folder`` and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    name = f"supervise-backup-{started:%Y%m%dT%H%M%SZ}.tar.gz"
    target, partial = folder / name, folder / f".{name}.part"
    kind = dialect()
    handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with tempfile.TemporaryDirectory(prefix="supervise-backup-") as scratch:
            dump = Path(scratch) / "database"
            dump_database(dump)
            with os.fdopen(handle, "wb") as out, tarfile.open(fileobj=out, mode="w:gz") as tar:
                archive = ArchiveWriter(tar)
                archive.add_file(DUMP_NAMES[kind], dump)
                for key in storage().keys():
                    archive.add_bytes(f"storage/{key}", storage().get(key))
                for relative, path in upload_files():
                    archive.add_file(f"uploads/{relative}", path)
                manifest = {
                    "format": FORMAT,
                    "app": "supervise",
                    "created_at": started.isoformat(timespec="seconds"),
                    "database": {
                        "dialect": kind,
                        "file": DUMP_NAMES[kind],
                        "schema_revision": schema_revision(),
                    },
                    "files": archive.files,
                }
                sums = "".join(f"{entry['sha256']}  {member}\n" for member, entry in archive.files.items())
                archive.add_bytes(CHECKSUMS, sums.encode(), listed=False)
                archive.add_bytes(
                    MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode(), listed=False
                )
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def read_verified(archive: Path, scratch: Path) -> dict:
    """Unpack ``archive`` into ``scratch`` and return its manifest, every checksum checked."""
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            tar.extractall(scratch, filter="data")
        manifest = json.loads((scratch / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, tarfile.TarError, ValueError) as error:
        raise BackupProblem(f"不是可用的备份文件 / not a usable backup archive: {error}") from error
    if manifest.get("app") != "supervise" or manifest.get("format") != FORMAT:
        raise BackupProblem("不是本系统的备份文件 / not a backup of this application")
    for member, entry in manifest["files"].items():
        parts = member.split("/")
        if member.startswith("/") or ".." in parts or parts[0] not in {"database", "storage", "uploads"}:
            raise BackupProblem(f"备份文件已损坏 / the archive is damaged: unexpected member {member}")
        path = scratch / member
        if not path.is_file() or sha256_of(path) != entry["sha256"]:
            raise BackupProblem(f"备份文件已损坏 / the archive is damaged: checksum of {member} differs")
    return manifest


def target_problems() -> list[str]:
    """What makes the current database or storage unfit to restore into (empty list: fit)."""
    problems = []
    tables = table_names()
    if tables:
        shown = ", ".join(tables[:5]) + (" …" if len(tables) > 5 else "")
        problems.append(f"数据库中已有 {len(tables)} 个表 / the database has {len(tables)} tables ({shown})")
    if next(iter(storage().keys()), None) is not None:
        problems.append("文件存储中已有文件 / the storage already holds files")
    if next(upload_files(), None) is not None:
        folder = current_app.config["UPLOAD_DIR"]
        problems.append(f"上传目录中已有文件 / the upload directory already holds files ({folder})")
    return problems


def restore(archive: Path) -> dict:
    """Restore ``archive`` into the empty database and storage of the current app; its manifest."""
    with tempfile.TemporaryDirectory(prefix="supervise-restore-") as folder:
        scratch = Path(folder)
        manifest = read_verified(archive, scratch)
        kind = manifest["database"]["dialect"]
        if kind != dialect():
            raise BackupProblem(
                f"备份来自 {kind}，目标是 {dialect()} / the backup is of {kind}, the target is {dialect()}"
            )
        problems = target_problems()
        if problems:
            raise BackupProblem(
                "只能恢复到空的数据库和空的文件存储 / restore needs an empty database and empty storage: "
                + "; ".join(problems)
            )
        restore_database(scratch / manifest["database"]["file"])
        upload_root = Path(current_app.config["UPLOAD_DIR"])
        for member in manifest["files"]:
            source = scratch / member
            if member.startswith("storage/"):
                storage().put(member.removeprefix("storage/"), source.read_bytes())
            elif member.startswith("uploads/"):
                target = upload_root / member.removeprefix("uploads/")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(source.read_bytes())
    return manifest
