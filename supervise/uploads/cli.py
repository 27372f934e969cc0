"""`flask uploads prune`: forget uploads nobody saved and files no record names (for cron, daily)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..extensions import db
from .storage import prune

uploads_cli = AppGroup("uploads", help="Uploaded photos and documents.")


@uploads_cli.command("prune")
@click.option(
    "--hours",
    default=168,
    show_default=True,
    help="Only what is older than this (a week: a deputy may finish a form days later).",
)
def prune_command(hours: int) -> None:
    """Delete pending uploads of forms never saved, and stored files whose record is gone."""
    rows, files = prune(hours)
    db.session.commit()
    click.echo(f"removed {rows} unsaved uploads and {files} orphaned files")
