"""Generated .xlsx exports made by workers, like the PDFs (core/documents.py).

An export is one user's download with the filters of its query string: its job key holds the user's
id and a digest of the filters (``item-export/7-3f2a…``), the filters stay on the job row for the
worker, and the file is stored through the storage interface. Whether the stored copy is current
says the domain's ``fingerprint`` (e.g. the data versions of the townships the user sees, and the
day), which is cheap: the export's rows are read only by the worker.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask_babel import force_locale, get_locale
from werkzeug.datastructures import MultiDict

from . import jobs
from .documents import DocumentKind, Progress, job_key, register
from .storage import storage


@dataclass(frozen=True)
class Export:
    kind: str
    user: Any
    args: MultiDict

    @classmethod
    def asked(cls, kind: str, user: Any, args: MultiDict) -> Export:
        """The export this request asks for, in the user's language (headers and sheet names are)."""
        args = MultiDict(args)
        args["_locale"] = str(get_locale() or "zh_Hans_CN")
        return cls(kind, user, args)

    @property
    def query(self) -> str:
        return urlencode(sorted(self.args.items(multi=True)))

    @property
    def ident(self) -> str:
        return f"{self.user.id}-{hashlib.sha256(self.query.encode()).hexdigest()[:24]}"

    @property
    def storage_key(self) -> str:
        return f"documents/{self.kind}/{self.ident}.xlsx"


def register_export(
    kind: str,
    *,
    build: Callable[[Any, MultiDict], bytes],
    fingerprint: Callable[[Any, MultiDict], str],
    load_user: Callable[[int], Any],
) -> None:
    """An export named ``kind``: ``build(user, args)`` makes the file (in a worker), and
    ``fingerprint(user, args)`` changes whenever the file would."""

    def load(ident: str) -> Export | None:
        job = jobs.job_for(job_key(kind, ident))
        user_id = ident.partition("-")[0]
        user = load_user(int(user_id)) if user_id.isdigit() else None
        if job is None or user is None:
            return None
        return Export(kind, user, MultiDict(parse_qsl(job.params, keep_blank_values=True)))

    def make(export: Export, progress: Progress) -> None:
        with force_locale(export.args.get("_locale") or "zh_Hans_CN"):
            data = build(export.user, export.args)
        progress(95)
        storage().put(export.storage_key, data)

    def fetch(export: Export) -> bytes | None:
        try:
            return storage().get(export.storage_key)
        except FileNotFoundError:
            return None

    register(
        DocumentKind(
            kind,
            load=load,
            html=lambda export: f"{export.query}\n{fingerprint(export.user, export.args)}",
            ident=lambda export: export.ident,
            make=make,
            fetch=fetch,
            params=lambda export: export.query,
        )
    )
