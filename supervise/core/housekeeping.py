"""Housekeeping: what is made for one download does not pile up.

Stored exports and import templates (document kinds with ``expires``, core/documents.py) are
pruned with their job rows once older than EXPORT_KEEP_DAYS (7); asked for again, they are simply
made again. Failed job rows of any kind go after the same time (a request queues the document
anew). A record's official PDF is never touched: neither its stored file (a row names it) nor
the finished job row that says the stored copy is current. The workers run this daily
(``prune_exports`` below, with `flask storage prune-documents`' orphan PDFs); `flask storage
prune-exports --older-than 7d` does it by hand.
"""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

from huey import crontab
from sqlalchemy import and_, delete, or_, select

from ..extensions import db
from . import jobs
from .clock import utcnow
from .documents import KINDS
from .queue import huey, task_context, timed
from .storage import storage


class Pruned(NamedTuple):
    files: int
    jobs: int


def expiring_kinds() -> list[str]:
    return sorted(name for name, kind in KINDS.items() if kind.expires)


def prune_exports(older_than: timedelta) -> Pruned:
    """Delete the stored exports and templates, and the finished or failed job rows, older than
    ``older_than``; never a file a record names, never a job still queued or running."""
    from .storage_cli import stored_pdf_folders

    cutoff = utcnow() - older_than
    official = stored_pdf_folders()
    named = set().union(*official.values())
    kinds = [name for name in expiring_kinds() if f"documents/{name}/" not in official]
    job = jobs.DocumentJob
    old = job.updated_at < cutoff
    prunable = job.state == jobs.FAILED
    of_kind = or_(*(job.key.startswith(f"{name}/", autoescape=True) for name in kinds))
    if kinds:
        prunable = or_(prunable, and_(of_kind, job.state == jobs.DONE))
    result = db.session.execute(delete(job).where(old, prunable).execution_options(synchronize_session=False))
    db.session.commit()
    if not kinds:
        return Pruned(0, int(result.rowcount))  # type: ignore[attr-defined]
    # Rows go first, so that no row is left saying "done" about a file that is gone; a file stays
    # while a (recent) finished row names it.
    done = set(db.session.execute(select(job.key).where(of_kind, job.state == jobs.DONE)).scalars())
    store = storage()
    files = 0
    for name in kinds:
        for entry in list(store.entries(f"documents/{name}/")):
            ident = entry.key.removeprefix(f"documents/{name}/").rpartition(".")[0]
            if entry.modified < cutoff and entry.key not in named and f"{name}/{ident}" not in done:
                store.delete(entry.key)
                files += 1
    return Pruned(files, int(result.rowcount))  # type: ignore[attr-defined]


@huey.periodic_task(crontab(hour="3", minute="20"), name="prune_exports")
def prune_exports_task() -> None:
    """Daily: old exports, templates and job rows (EXPORT_KEEP_DAYS), and PDFs no row names."""
    timed("prune_exports", _prune)


def _prune() -> None:
    from .storage_cli import prune_documents

    with task_context() as app:
        pruned = prune_exports(timedelta(days=app.config["EXPORT_KEEP_DAYS"]))
        orphans = prune_documents()
        app.logger.info(
            "housekeeping: %d exports and %d job rows pruned, %d PDFs no row names",
            pruned.files,
            pruned.jobs,
            orphans,
        )
