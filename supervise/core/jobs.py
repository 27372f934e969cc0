"""One row per document that a worker makes (``document_job``): what was asked, how far it is, what
is stored. The row's unique key is the lock that keeps two requests from rendering one document
twice; every change to it is a conditional UPDATE on its version, committed at once (a job row is
bookkeeping shared with the workers, not part of the request's change).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CheckConstraint, Integer, String, Text, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .clock import utcnow

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
# A job queued or running this long without a change was lost (a worker killed, a queue emptied):
# the next request queues it again.
STALE_AFTER = timedelta(minutes=15)
STATES = (QUEUED, RUNNING, DONE, FAILED)
BUSY = (QUEUED, RUNNING)


class DocumentJob(db.Model):  # type: ignore[name-defined]  # db.Model is a variable to mypy
    """A document's job: queued → running → done (or queued again for a retry, failed after the last)."""

    __tablename__ = "document_job"
    __table_args__ = (
        CheckConstraint(f"state IN {STATES!r}", name="state"),
        CheckConstraint("progress BETWEEN 0 AND 100", name="progress"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # e.g. "sheet/12", "notice/3", "evaluation-sheets/2": unique, so one job per document.
    key: Mapped[str] = mapped_column(String(120), unique=True)
    state: Mapped[str] = mapped_column(String(10), default=QUEUED)
    # Raised by every change: a change applies only to the version it read (optimistic lock).
    version: Mapped[int] = mapped_column(Integer, default=1)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # What the stored copy was printed from (core.pdf.content_hash), once one is stored.
    done_hash: Mapped[str | None] = mapped_column(String(64))
    # The request's root the document's addresses (QR codes) are made on.
    base_url: Mapped[str] = mapped_column(String(255), default="")
    # What the document is made from beyond its key (an export's filters, as a query string).
    params: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


def job_for(key: str) -> DocumentJob | None:
    """The job row as it is in the database now (not a copy the session kept)."""
    return db.session.execute(
        select(DocumentJob).where(DocumentJob.key == key).execution_options(populate_existing=True)
    ).scalar_one_or_none()


def _move(job: DocumentJob, **values: Any) -> bool:
    """Change the job if nobody changed it since it was read; True when this call did."""
    result = db.session.execute(
        update(DocumentJob)
        .where(DocumentJob.id == job.id, DocumentJob.version == job.version)
        .values(version=job.version + 1, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def claim(key: str, base_url: str, params: str = "") -> bool:
    """Queue the document's job unless it is queued or running already; True when this call queued
    it (and so must enqueue the task). Of two requests at once, one gets True."""
    job = job_for(key)
    if job is None:
        try:
            with db.session.begin_nested():
                db.session.add(DocumentJob(key=key, state=QUEUED, base_url=base_url, params=params))
            db.session.commit()
            return True
        except IntegrityError:  # the other request inserted it first
            db.session.rollback()
            job = job_for(key)
            if job is None:
                return False
    if job.state in BUSY and job.updated_at > utcnow() - STALE_AFTER:
        return False
    return _move(job, state=QUEUED, progress=0, attempts=0, error=None, base_url=base_url, params=params)


def start(key: str) -> DocumentJob | None:
    """The worker takes the queued job; None when there is none to take (another worker has it)."""
    job = job_for(key)
    if job is None or job.state != QUEUED or not _move(job, state=RUNNING, progress=0):
        return None
    return job_for(key)


def report_progress(key: str, percent: int) -> None:
    """How far the running job is (0-100), committed so that the progress page shows it."""
    db.session.execute(
        update(DocumentJob)
        .where(DocumentJob.key == key, DocumentJob.state == RUNNING)
        .values(progress=max(0, min(100, percent)), updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def finish(key: str, done_hash: str) -> None:
    """The document is stored, printed from ``done_hash``."""
    _set(key, state=DONE, progress=100, done_hash=done_hash, error=None)


def failed_attempt(key: str, error: str, *, final: bool) -> None:
    """An attempt failed: queued again for the retry, or failed after the last one."""
    job = job_for(key)
    if job is not None:
        _set(key, state=FAILED if final else QUEUED, attempts=job.attempts + 1, error=error[:2000])


def _set(key: str, **values: Any) -> None:
    db.session.execute(
        update(DocumentJob)
        .where(DocumentJob.key == key)
        .values(version=DocumentJob.version + 1, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
