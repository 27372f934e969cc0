"""`flask storage …`: check the configured storage, copy files into it, remove PDFs no row names and
old exports (core/housekeeping.py)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from ..extensions import db
from .clock import utcnow
from .storage import S3Storage, copy_folder, storage

storage_cli = AppGroup("storage", help="Uploads and generated documents (local folder or S3).")


@storage_cli.command("check")
@click.option("--create-bucket", is_flag=True, help="S3: make the bucket when it is missing.")
def check_command(create_bucket: bool) -> None:
    """Write, read back and delete a probe file in the configured storage."""
    store = storage()
    if create_bucket and isinstance(store, S3Storage):
        store.create_bucket()
    key = "checks/probe.txt"
    store.put(key, b"ok")
    if store.get(key) != b"ok":
        raise click.ClickException("the storage gave back other bytes than were written")
    store.delete(key)
    click.echo(f"storage {current_app.config['STORAGE']} works")


@storage_cli.command("copy-from")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--prefix", default="", help="Put before every key, e.g. uploads/ for an old UPLOAD_DIR.")
def copy_from_command(folder: Path, prefix: str) -> None:
    """Copy the files below FOLDER into the configured storage (files already there are kept).

    Moving to S3: `flask storage copy-from instance/storage`. An upload folder from before the
    storage interface: `flask storage copy-from instance/uploads --prefix uploads/`."""
    copied, present = copy_folder(folder, storage(), prefix)
    click.echo(f"copied {copied} files, {present} were already there")


def stored_pdf_folders() -> dict[str, set[str]]:
    """Each stored-PDF model's storage folder (documents/<storage_folder>/, see core/pdf.py's
    StoredPdf) with the keys its rows name. Other files under documents/ are not theirs."""
    folders: dict[str, set[str]] = {}
    for mapper in db.Model.registry.mappers:  # type: ignore[attr-defined]
        folder = getattr(mapper.class_, "storage_folder", None)
        if folder and "pdf_key" in mapper.columns:
            named = db.session.execute(select(mapper.columns["pdf_key"])).scalars()
            folders.setdefault(f"documents/{folder}/", set()).update(named)
    return folders


def prune_documents(older_than_hours: int = 24) -> int:
    """Delete stored PDFs no row names (left by a failed delete or a concurrent render) that are
    older than the given hours (a newer one may belong to a row not yet committed)."""
    cutoff = utcnow() - timedelta(hours=older_than_hours)
    store = storage()
    removed = 0
    for folder, named in stored_pdf_folders().items():
        for entry in list(store.entries(folder)):
            if entry.key not in named and entry.modified < cutoff:
                store.delete(entry.key)
                removed += 1
    return removed


@storage_cli.command("prune-documents")
@click.option("--hours", default=24, show_default=True, help="Only files older than this.")
def prune_documents_command(hours: int) -> None:
    """Delete stored PDFs that no document row names any more."""
    click.echo(f"removed {prune_documents(hours)} stored documents no row names")


def parse_age(text: str) -> timedelta:
    """'7d', '12h' or '30m' (a whole number and its unit) as a timedelta."""
    units = {"d": "days", "h": "hours", "m": "minutes"}
    number, unit = text.strip()[:-1], text.strip()[-1:].lower()
    if unit not in units or not number.isascii() or not number.isdigit():
        raise click.BadParameter(f"{text!r} is not an age such as 7d, 12h or 30m")
    return timedelta(**{units[unit]: int(number)})


@storage_cli.command("prune-exports")
@click.option("--older-than", "older_than", metavar="AGE", help="e.g. 7d, 12h [default: EXPORT_KEEP_DAYS].")
def prune_exports_command(older_than: str | None) -> None:
    """Delete stored exports and import templates, and finished or failed job rows, older than AGE.

    A record's official PDF and the job row saying it is current are never deleted."""
    from .housekeeping import prune_exports

    older_than = older_than or f"{current_app.config['EXPORT_KEEP_DAYS']}d"
    pruned = prune_exports(parse_age(older_than))
    click.echo(f"removed {pruned.files} stored exports and {pruned.jobs} job rows older than {older_than}")
