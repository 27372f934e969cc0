"""One place for the files the app keeps: uploads and generated documents.

Every file goes through ``storage()``: a local directory by default (`SUPERVISE_STORAGE_DIR`),
S3-compatible object storage (`SUPERVISE_STORAGE=s3`) when several servers share the files. Keys are
ours, never a user's text: '/'-separated words of letters, digits, '-', '_' and '.', such as
``documents/sheet/12.pdf``. Both backends keep the same keys, so `flask storage copy` moves a
deployment from one to the other.
"""

from __future__ import annotations

import io
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, Protocol

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

KEY = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$")


class Entry(NamedTuple):
    """A stored file as a listing shows it; ``modified`` is naive UTC like every stored time."""

    key: str
    size: int
    modified: datetime


class Storage(Protocol):
    """What every backend offers; a missing key raises ``FileNotFoundError``."""

    def put(self, key: str, data: bytes) -> None: ...

    def put_file(self, key: str, source: BinaryIO) -> None: ...

    def get(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...

    def keys(self, prefix: str = "") -> Iterator[str]: ...

    def entries(self, prefix: str = "") -> Iterator[Entry]: ...


def checked_key(key: str) -> str:
    """The key itself, or ValueError for one that could leave the storage's root."""
    if not KEY.match(key) or any(part in (".", "..") for part in key.split("/")):
        raise ValueError(f"not a storage key: {key!r}")
    return key


class LocalStorage:
    """Files below one directory; a write lands whole or not at all (written aside, then renamed)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / checked_key(key)

    def put(self, key: str, data: bytes) -> None:
        self.put_file(key, io.BytesIO(data))

    def put_file(self, key: str, source: BinaryIO) -> None:
        """Copied from ``source`` (read from where it stands) in chunks: a big export never has to be
        in memory whole."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as out:
                shutil.copyfileobj(source, out)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def entries(self, prefix: str = "") -> Iterator[Entry]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.name.startswith(".part-"):
                key = path.relative_to(self.root).as_posix()
                if key.startswith(prefix):
                    stat = path.stat()
                    modified = datetime.fromtimestamp(stat.st_mtime, UTC).replace(tzinfo=None)
                    yield Entry(key, stat.st_size, modified)

    def keys(self, prefix: str = "") -> Iterator[str]:
        return (entry.key for entry in self.entries(prefix))


class S3Storage:
    """Objects in one bucket of S3-compatible storage (AWS S3, MinIO, Ceph…), below an optional prefix.

    An object is written whole by a single PUT, so a reader sees the old file or the new one, never
    part of one. The client is made once and shared (boto3 clients are thread-safe).
    """

    def __init__(self, bucket: str, *, prefix: str = "", client: Any = None, **options: Any) -> None:
        if client is None:
            import boto3
            from botocore.config import Config as BotoConfig

            settings = BotoConfig(retries={"max_attempts": 5, "mode": "standard"})
            client = boto3.client("s3", config=settings, **{k: v for k, v in options.items() if v})
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    def _name(self, key: str) -> str:
        return self.prefix + checked_key(key)

    def _missing(self, error: Exception) -> bool:
        code = str(getattr(error, "response", {}).get("Error", {}).get("Code", ""))
        return code in {"404", "NoSuchKey", "NotFound"}

    def put(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._name(key), Body=data)

    def put_file(self, key: str, source: BinaryIO) -> None:
        """Streamed from ``source`` (a multipart upload once it is big); the object appears whole."""
        self.client.upload_fileobj(source, self.bucket, self._name(key))

    def get(self, key: str) -> bytes:
        from botocore.exceptions import ClientError

        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as error:
            if self._missing(error):
                raise FileNotFoundError(key) from None
            raise
        return answer["Body"].read()

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as error:
            if self._missing(error):
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def entries(self, prefix: str = "") -> Iterator[Entry]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix + prefix
        )
        for page in pages:
            for item in page.get("Contents", []):
                modified = item["LastModified"].astimezone(UTC).replace(tzinfo=None)
                yield Entry(item["Key"][len(self.prefix) :], item["Size"], modified)

    def keys(self, prefix: str = "") -> Iterator[str]:
        return (entry.key for entry in self.entries(prefix))

    def create_bucket(self) -> None:
        """Make the bucket if it is missing (for `flask storage check` and the local rehearsal)."""
        from botocore.exceptions import ClientError

        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError as error:
            if not self._missing(error):
                raise
            self.client.create_bucket(Bucket=self.bucket)


def copy_folder(folder: str | Path, store: Storage, prefix: str = "") -> tuple[int, int]:
    """Copy every file below ``folder`` into ``store`` as ``prefix`` + its path (skipping names that
    are no key); returns (copied, already there). Leaves the folder as it was."""
    copied = present = 0
    for entry in LocalStorage(folder).entries():
        try:
            key = checked_key(prefix + entry.key)
        except ValueError:
            continue  # not a file the app wrote
        if store.exists(key):
            present += 1
            continue
        store.put(key, (Path(folder) / entry.key).read_bytes())
        copied += 1
    return copied, present


_PENDING = "supervise.storage.delete_after_commit"


def delete_after_commit(session: Session, key: str) -> None:
    """Delete ``key`` from storage() once ``session`` commits (never if it rolls back): a file the
    database stops naming goes only when the database has really stopped naming it."""
    session.info.setdefault(_PENDING, []).append(checked_key(key))


@event.listens_for(Session, "after_commit")
def _delete_pending(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: the outer transaction may still roll back
        return
    keys = session.info.pop(_PENDING, [])
    for key in keys:
        try:
            storage().delete(key)
        except Exception:  # the commit stands; `flask storage prune` removes what stays behind
            log.warning("could not delete %s from storage", key, exc_info=True)


@event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    # Also on a savepoint's rollback: a file left behind is pruned, a file deleted too soon is not back.
    session.info.pop(_PENDING, None)


def make_storage(config: Mapping[str, Any]) -> Storage:
    """The backend a configuration names: STORAGE ``local`` (STORAGE_DIR) or ``s3`` (S3_*)."""
    kind = (config.get("STORAGE") or "local").lower()
    if kind == "local":
        return LocalStorage(config["STORAGE_DIR"])
    if kind == "s3":
        if not config.get("S3_BUCKET"):
            raise RuntimeError("SUPERVISE_STORAGE=s3 needs SUPERVISE_S3_BUCKET")
        return S3Storage(
            config["S3_BUCKET"],
            prefix=config.get("S3_PREFIX", ""),
            endpoint_url=config.get("S3_ENDPOINT_URL"),
            region_name=config.get("S3_REGION"),
            aws_access_key_id=config.get("S3_ACCESS_KEY_ID"),
            aws_secret_access_key=config.get("S3_SECRET_ACCESS_KEY"),
        )
    raise RuntimeError(f"SUPERVISE_STORAGE must be 'local' or 's3', not {kind!r}")


def storage() -> Storage:
    """The app's storage, made once per app from its configuration."""
    made = current_app.extensions.get("supervise.storage")
    if made is None:
        made = make_storage(current_app.config)
        current_app.extensions["supervise.storage"] = made
    return made
