"""Uploads from before issue 12 were files ``<UPLOAD_DIR>/<ab>/<key>[.preview.jpg]``; now they are the
keys ``uploads/<ab>/<key>[.preview.jpg]`` of storage(). The b12s migration copies them over (and back
on downgrade); `flask storage import-uploads` does the same again, e.g. after moving to S3.

Copies, never moves: the old folder stays as it was until the administrator deletes it.
"""

from __future__ import annotations

from pathlib import Path

from ..core.storage import Storage, copy_folder
from .storage import UPLOADS


def import_uploads(folder: Path, store: Storage) -> tuple[int, int]:
    """Copy every upload file below ``folder`` into ``store``; returns (copied, already there)."""
    return copy_folder(folder, store, UPLOADS)


def export_uploads(store: Storage, folder: Path) -> int:
    """The way back: every upload in ``store`` as a file below ``folder``, where the code before
    issue 12 reads it; returns how many were written."""
    written = 0
    for key in store.keys(UPLOADS):
        target = folder / key.removeprefix(UPLOADS)
        if target.is_file():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(store.get(key))
        written += 1
    return written
