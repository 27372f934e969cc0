"""Documents made by workers: every PDF is rendered by a task, and web requests only serve stored
copies.

A domain registers each kind of document it prints (``register``): how to load its record, the
HTML it prints and where its stored copy lives (core.pdf.stored_pdf). Then:

- ``changed(kind, id)`` when a record changes (a sheet issued, a notice published): its document is
  queued once the change is committed, so it is ready before anyone asks;
- ``document_response(kind, record, send)`` for a download: the stored copy when it is current,
  else the job is queued (once: the job row's unique key, core/jobs.py) and a progress page that
  refreshes itself is shown until the copy is stored; ``public=True`` (addresses without an
  account) never queues anything: the stored copy, or a page saying it is being prepared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Response, current_app, has_request_context, make_response, render_template, request, url_for
from sqlalchemy import event

from ..extensions import db
from . import jobs
from .clock import utcnow
from .pdf import content_hash, stored_copy, stored_pdf
from .queue import huey, task_context, timed
from .storage import storage

Progress = Callable[[int], None]


class StoredFile:
    """A document its kind makes and stores whole (``register_stored_file``), at
    ``documents/<kind>/<ident><suffix>``: an export, a list's import template, a county's notices of
    a month, the annual report. A subclass names its ``kind``, ``ident`` and ``suffix``."""

    kind: str
    suffix: str

    @property
    def ident(self) -> str:
        raise NotImplementedError

    @property
    def storage_key(self) -> str:
        return f"documents/{self.kind}/{self.ident}{self.suffix}"

    def stored(self) -> bytes | None:
        """The stored file, or None: never made, or pruned since."""
        try:
            return storage().get(self.storage_key)
        except FileNotFoundError:
            return None


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document. A PDF of one record is stored as a StoredPdf (``model``, ``identity``);
    a batch (several documents in one download) stores itself (``make`` and ``fetch``)."""

    name: str  # the first word of the job key: "sheet" → "sheet/12"
    load: Callable[[str], Any]  # the record from the rest of the key, or None
    # What the document is made from (a PDF: its HTML); its hash says whether a stored copy is current.
    html: Callable[[Any], str]
    model: type | None = None  # the StoredPdf model holding the copy
    identity: Callable[[Any], dict[str, Any]] | None = None  # the model's primary key for a record
    # Renders the HTML with progress (batches such as 60 assessment sheets); default: in one go.
    render: Callable[[Any, str, Progress], bytes] | None = None
    ident: Callable[[Any], str] = lambda record: str(record.id)  # the rest of the job key
    make: Callable[[Any, Progress], None] | None = None  # a batch: make and store it
    fetch: Callable[[Any], bytes | None] | None = None  # a batch: its stored copy
    params: Callable[[Any], str] = lambda record: ""  # kept on the job row for load (exports' filters)
    # Made for a download, not a record's official copy: its stored file (documents/<name>/…) and
    # job row are pruned after EXPORT_KEEP_DAYS (core/housekeeping.py) and made again when asked.
    expires: bool = False

    def stored(self, record: Any) -> bytes | None:
        if self.fetch is not None:
            return self.fetch(record)
        assert self.model is not None and self.identity is not None
        return stored_copy(self.model, self.identity(record))

    def store(self, record: Any, html: str, progress: Progress) -> None:
        if self.make is not None:
            self.make(record, progress)
            return
        assert self.model is not None and self.identity is not None
        render = None
        if self.render is not None:
            make = self.render
            render = lambda text: make(record, text, progress)  # noqa: E731
        stored_pdf(self.model, self.identity(record), html, render=render)


KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> None:
    KINDS[kind.name] = kind


def register_stored_file(name: str, **kind: Any) -> None:
    """A kind of StoredFile document: ``load``, ``html`` and ``make`` (which stores it) as for any
    kind; its job key ends in the file's ident, and its stored copy is the file."""
    register(DocumentKind(name, ident=lambda file: file.ident, fetch=lambda file: file.stored(), **kind))


def register_record_pdf(
    name: str, record_type: type, html: Callable[[Any], str], model: type, key: str, **more: Any
) -> DocumentKind:
    """Register the official PDF of one record of ``record_type`` (job key ``<name>/<id>``), kept as
    ``model`` under the record's id in its ``key`` column; ``more``: any other field of the kind."""
    kind = DocumentKind(
        name,
        load=more.pop("load", lambda ident: db.session.get(record_type, int(ident))),
        html=html,
        model=model,
        identity=lambda record: {key: record.id},
        **more,
    )
    register(kind)
    return kind


def job_key(kind: str, ident: int | str) -> str:
    return f"{kind}/{ident}"


def base_url() -> str:
    """The root the document's addresses are made on: this request's, else the configured one."""
    if has_request_context():
        return request.url_root
    return (current_app.config.get("PUBLIC_BASE_URL") or "http://localhost").rstrip("/") + "/"


# ---- queueing -------------------------------------------------------------------------------------


def enqueue(key: str) -> None:
    """Hand the job to a worker (in immediate mode: run it now, in a session of its own)."""
    config = current_app.config
    task = render_document.s(
        key, retries=config["DOCUMENT_RETRIES"], retry_delay=config["DOCUMENT_RETRY_DELAY"]
    )
    huey.enqueue(task)


def request_render(kind: str, ident: int | str, params: str = "") -> bool:
    """Queue the document now (committing the job row) unless it is queued or running already."""
    key = job_key(kind, ident)
    if not jobs.claim(key, base_url(), params):
        return False
    enqueue(key)
    return True


def changed(kind: str, record_id: int) -> None:
    """The record's document no longer shows what it should: queue it once this change is committed."""
    if current_app.config["DOCUMENTS_RENDER_ON_CHANGE"]:
        db.session.info.setdefault("documents_changed", {})[job_key(kind, record_id)] = base_url()


@event.listens_for(db.session, "after_commit")
def _queue_changed_documents(session: Any) -> None:
    if session.get_nested_transaction() is not None:
        return  # a savepoint's commit: the change is not committed yet
    pending = session.info.pop("documents_changed", None)
    if pending:
        # A fresh session: this one is between transactions inside its commit.
        for key, url in pending.items():
            _claim_and_enqueue(key, url)


def _claim_and_enqueue(key: str, url: str) -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with app.app_context():
        try:
            if jobs.claim(key, url):
                enqueue(key)
        finally:
            db.session.remove()


@event.listens_for(db.session, "after_rollback")
def _forget_changed_documents(session: Any) -> None:
    if session.get_nested_transaction() is None:  # not a savepoint's: the whole change is undone
        session.info.pop("documents_changed", None)


# ---- the task ------------------------------------------------------------------------------------


@huey.task(context=True, name="render_document")
def render_document(key: str, task: Any = None) -> None:
    """Render and store one document; a failure is retried (DOCUMENT_RETRIES) and then marked failed."""
    timed("render_document", lambda: _render(key, task.retries if task is not None else 0))


def _render(key: str, retries_left: int) -> None:
    kind_name, _, ident = key.partition("/")
    kind = KINDS[kind_name]
    with task_context() as app:
        job = jobs.start(key)
        if job is None:
            return
        url = job.base_url
    with task_context(url) as app:
        try:
            record = kind.load(ident)
            if record is None:
                jobs.failed_attempt(key, "the record no longer exists", final=True)
                return
            html = kind.html(record)

            kind.store(record, html, lambda percent: jobs.report_progress(key, percent))
            db.session.commit()
            jobs.finish(key, content_hash(html))
        except Exception as error:
            db.session.rollback()
            app.logger.warning("rendering %s failed (%d retries left): %s", key, retries_left, error)
            jobs.failed_attempt(key, f"{error.__class__.__name__}: {error}", final=retries_left <= 0)
            if retries_left > 0:
                raise


# ---- serving -------------------------------------------------------------------------------------


def document_response(
    kind_name: str, record: Any, send: Callable[[bytes], Response], *, public: bool = False
) -> Response:
    """The stored copy through ``send`` when it is current, else the progress page (see above)."""
    kind = KINDS[kind_name]
    ident = kind.ident(record)
    key = job_key(kind_name, ident)
    job = jobs.job_for(key)
    if public:
        if job is not None and job.done_hash is not None:
            pdf = kind.stored(record)
            if pdf is not None:
                return send(pdf)
        return progress_page(job, public=True)
    wanted = content_hash(kind.html(record))
    pdf = kind.stored(record) if job is not None and _current(job, wanted) else None
    # Made again when missing, outdated, or current but its file gone (pruned, lost).
    if pdf is None and (job is None or _current(job, wanted) or _may_queue(job)):
        request_render(kind_name, ident, kind.params(record))
        job = jobs.job_for(key)
        if job is not None and _current(job, wanted):  # immediate mode: made already
            pdf = kind.stored(record)
    if pdf is not None:
        return send(pdf)
    return progress_page(job)


def _current(job: jobs.DocumentJob, wanted: str) -> bool:
    return job.state == jobs.DONE and job.done_hash == wanted


def _may_queue(job: jobs.DocumentJob) -> bool:
    """Not while it is being made; after a failure only when asked to try again."""
    if job.state in jobs.BUSY:
        return job.updated_at <= utcnow() - jobs.STALE_AFTER  # lost: queued again
    return job.state != jobs.FAILED or request.args.get("retry") == "1"


def progress_page(job: jobs.DocumentJob | None, *, public: bool = False) -> Response:
    """Says how far the document is and refreshes itself (a meta refresh) until it downloads."""
    failed = job is not None and job.state == jobs.FAILED
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k != "retry"}
    args.update(request.view_args or {})
    again = url_for(request.endpoint or "", **args)
    retry_url = url_for(request.endpoint or "", **args, retry="1")
    page = render_template(
        "documents/progress.html",
        job=job,
        failed=failed,
        public=public,
        again=again,
        retry_url=None if public else retry_url,
        refresh_seconds=current_app.config["DOCUMENT_REFRESH_SECONDS"],
    )
    response = make_response(page, 503 if failed else 202)
    response.headers["Cache-Control"] = "no-store"  # never kept by a proxy in place of the document
    return response
