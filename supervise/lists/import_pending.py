"""An uploaded list waiting between its preview and the user's confirmation, kept in storage (never
in the form: the confirmation reads the file again, checks it again, and only then writes).

Each upload is kept under its uploader's township and account (``imports/<township>/<user>/``), for
one day; the confirmation removes it, and every new upload clears that user's expired ones.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..core.clock import utcnow
from ..core.storage import storage

KEPT_FOR = timedelta(days=1)
TOKEN = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class PendingUpload:
    token: str
    filename: str
    data: bytes


def _folder(user) -> str:
    return f"imports/{int(user.township_id or 0)}/{int(user.id)}/"


def keep_upload(user, list_id: int, filename: str, data: bytes) -> str:
    """Keep the file for this user and list until confirmed or a day has passed; returns its token."""
    drop_expired(user)
    token = secrets.token_hex(16)
    about = {"list_id": list_id, "filename": filename[:200], "at": utcnow().isoformat()}
    storage().put(f"{_folder(user)}{token}.data", data)
    storage().put(f"{_folder(user)}{token}.json", json.dumps(about).encode())
    return token


def pending_upload(user, list_id: int, token: str) -> PendingUpload | None:
    """This user's kept file for this list, or None when unknown, another list's, or expired."""
    if not TOKEN.match(token):
        return None
    try:
        about = json.loads(storage().get(f"{_folder(user)}{token}.json"))
        data = storage().get(f"{_folder(user)}{token}.data")
    except (FileNotFoundError, ValueError):
        return None
    if about.get("list_id") != list_id or utcnow() - datetime.fromisoformat(about["at"]) > KEPT_FOR:
        return None
    return PendingUpload(token, about.get("filename", ""), data)


def drop_upload(user, token: str) -> None:
    if TOKEN.match(token):
        storage().delete(f"{_folder(user)}{token}.data")
        storage().delete(f"{_folder(user)}{token}.json")


def drop_expired(user) -> None:
    """Forget this user's uploads older than a day (never confirmed)."""
    oldest = utcnow() - KEPT_FOR
    for entry in list(storage().entries(_folder(user))):
        if entry.modified < oldest:
            storage().delete(entry.key)
