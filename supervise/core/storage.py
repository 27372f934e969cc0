"""One place for the files the app keeps: uploads and generated documents.

Every file goes through ``storage()``: a local directory by default (`SUPERVISE_STORAGE_DIR`),
S3-compatible object storage when several servers share the files. Keys are ours, never a user's
text: '/'-separated words of letters, digits, '-', '_' and '.', such as ``documents/sheet/12.pdf``.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from flask import current_app

KEY = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$")


class Storage(Protocol):
    """What every backend offers; a missing key raises ``FileNotFoundError``."""

    def put(self, key: str, data: bytes) -> None: ...

    def get(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...

    def keys(self, prefix: str = "") -> Iterator[str]: ...


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
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
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

    def keys(self, prefix: str = "") -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.name.startswith(".part-"):
                key = path.relative_to(self.root).as_posix()
                if key.startswith(prefix):
                    yield key


def storage() -> Storage:
    """The app's storage, made once per app from its configuration."""
    made = current_app.extensions.get("supervise.storage")
    if made is None:
        made = LocalStorage(current_app.config["STORAGE_DIR"])
        current_app.extensions["supervise.storage"] = made
    return made
