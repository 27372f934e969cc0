"""Generated .xlsx exports: small ones in the request, long ones by workers like the PDFs
(core/documents.py).

An export is one user's download with the filters of its query string. ``export_response`` first
counts its rows with one cheap query: up to ``EXPORT_QUEUE_ROWS`` (2,000) it is written in the
request and sent. A longer one is a document: its job key holds the user's id and a digest of the
filters (``item-export/7-3f2a…``), the filters stay on the job row for the worker, a request while it
is being made gets the progress page (never a second job: core/jobs.claim), and the worker writes
the rows page by page into a write-only workbook in a temporary file that is streamed into storage
(``documents/<kind>/<ident>.xlsx``), so that its memory stays flat however long the export is.
Whether the stored copy is current says the domain's ``fingerprint`` (e.g. the data versions of the
townships the user sees, and the day), which is cheap. Stored exports are made for one download:
housekeeping (core/housekeeping.py) prunes them with their job rows after EXPORT_KEEP_DAYS.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO
from urllib.parse import parse_qsl, urlencode

from flask import Response, current_app
from flask_babel import force_locale, get_locale
from werkzeug.datastructures import MultiDict

from . import jobs
from .documents import Progress, StoredFile, document_response, job_key, register_stored_file
from .storage import storage

# ``write(user, args, out, progress)`` writes the export's workbook into ``out``, reporting 0-100.
Write = Callable[[Any, MultiDict, BinaryIO, Progress], None]
Count = Callable[[Any, MultiDict], int]  # how many rows the export has (one cheap query)
EXPORTS: dict[str, tuple[Write, Count]] = {}


@dataclass(frozen=True)
class Export(StoredFile):
    kind: str
    user: Any
    args: MultiDict
    suffix = ".xlsx"

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


def stream_into_storage(key: str, write: Callable[[BinaryIO], None]) -> None:
    """``write`` into a temporary file, then streamed into storage: memory stays flat."""
    with tempfile.TemporaryFile() as out:
        write(out)
        out.seek(0)
        storage().put_file(key, out)


def register_export(
    kind: str,
    *,
    write: Write,
    count: Count,
    fingerprint: Callable[[Any, MultiDict], str],
    load_user: Callable[[int], Any],
) -> None:
    """An export named ``kind``: ``write(user, args, out, progress)`` writes the file,
    ``count(user, args)`` says how many rows it has, and ``fingerprint(user, args)`` changes whenever
    the file would."""
    EXPORTS[kind] = (write, count)

    def load(ident: str) -> Export | None:
        job = jobs.job_for(job_key(kind, ident))
        user_id = ident.partition("-")[0]
        user = load_user(int(user_id)) if user_id.isdigit() else None
        if job is None or user is None:
            return None
        return Export(kind, user, MultiDict(parse_qsl(job.params, keep_blank_values=True)))

    def make(export: Export, progress: Progress) -> None:
        reported = [0]

        def paged(percent: int) -> None:  # one commit per percent, not per page
            percent = min(95, percent * 95 // 100)
            if percent > reported[0]:
                reported[0] = percent
                progress(percent)

        with force_locale(export.args.get("_locale") or "zh_Hans_CN"):
            stream_into_storage(export.storage_key, lambda out: write(export.user, export.args, out, paged))

    register_stored_file(
        kind,
        load=load,
        html=lambda export: f"{export.query}\n{fingerprint(export.user, export.args)}",
        make=make,
        params=lambda export: export.query,
        expires=True,
    )


def export_response(export: Export, send: Callable[[bytes], Response]) -> Response:
    """A short export written now and sent; a long one as a document made by a worker (its stored
    copy when current, else the progress page)."""
    write, count = EXPORTS[export.kind]
    if count(export.user, export.args) > current_app.config["EXPORT_QUEUE_ROWS"]:
        return document_response(export.kind, export, send)
    out = io.BytesIO()
    write(export.user, export.args, out, lambda _percent: None)
    return send(out.getvalue())


# ---- workbooks of a record (a list's import template) ---------------------------------------------


@dataclass(frozen=True)
class RecordWorkbook(StoredFile):
    """A generated .xlsx of one record in one language, e.g. a list's import template: job key
    ``list-template/12-zh_Hans_CN``. It is current while the record's ``fingerprint`` (what the
    workbook shows: the list's title, its offices' names…) is unchanged."""

    kind: str
    record: Any
    locale: str
    suffix = ".xlsx"

    @property
    def ident(self) -> str:
        return f"{self.record.id}-{self.locale}"


def register_workbook(
    kind: str,
    *,
    load_record: Callable[[int], Any],
    fingerprint: Callable[[Any], str],
    build: Callable[[Any], bytes],
) -> None:
    """A kind of record workbook: ``build(record)`` makes it (in a worker, in the asker's language)."""

    def load(ident: str) -> RecordWorkbook | None:
        record_id, _, locale = ident.partition("-")
        record = load_record(int(record_id)) if record_id.isdigit() else None
        return None if record is None or not locale else RecordWorkbook(kind, record, locale)

    def made_from(workbook: RecordWorkbook) -> str:
        with force_locale(workbook.locale):
            return f"{workbook.locale}\n{fingerprint(workbook.record)}"

    def make(workbook: RecordWorkbook, progress: Progress) -> None:
        with force_locale(workbook.locale):
            data = build(workbook.record)
        progress(95)
        storage().put(workbook.storage_key, data)

    register_stored_file(kind, load=load, html=made_from, make=make, expires=True)


def workbook_response(kind: str, record: Any, send: Callable[[bytes], Response]) -> Response:
    """The record's stored workbook in the request's language when current, else the progress page."""
    return document_response(kind, RecordWorkbook(kind, record, str(get_locale() or "zh_Hans_CN")), send)
