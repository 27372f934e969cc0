"""Flask CLI commands: `flask seed-demo`, `flask create-admin`, `flask backup`, `flask restore`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .extensions import db


@click.command("backup")
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the archive (default: SUPERVISE_BACKUP_DIR, else instance/backups).",
)
@with_appcontext
def backup_command(output: Path | None) -> None:
    """Write the database, stored documents and uploads into one dated archive with checksums."""
    from .core.backup import BackupProblem, write_backup

    try:
        archive = write_backup(output or Path(current_app.config["BACKUP_DIR"]))
    except BackupProblem as problem:
        raise click.ClickException(str(problem)) from problem
    click.echo(f"备份已写入 / backup written: {archive}")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(archive: Path) -> None:
    """Restore a `flask backup` archive into an empty database and empty storage."""
    from .core.backup import BackupProblem, restore

    try:
        manifest = restore(archive)
    except BackupProblem as problem:
        raise click.ClickException(str(problem)) from problem
    click.echo(
        f"已恢复 {manifest['created_at']} 的备份（{len(manifest['files']) - 1} 个文件）"
        f" / restored the backup of {manifest['created_at']} ({len(manifest['files']) - 1} files)"
    )


def register(app: Flask) -> None:
    from .lists.cli import items_cli

    app.cli.add_command(items_cli)
    from .uploads.cli import uploads_cli

    app.cli.add_command(uploads_cli)
    from .core.storage_cli import storage_cli

    app.cli.add_command(storage_cli)
    from .progress.cli import remind_command

    app.cli.add_command(remind_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)

    @app.cli.command("worker")
    @click.option("--workers", default=2, show_default=True, help="Tasks run at once (threads).")
    def worker_command(workers: int) -> None:
        """Run a queue worker: documents, batches and the hourly reminders (SUPERVISE_QUEUE)."""
        from .core.queue import huey

        if huey.immediate:
            raise click.ClickException("SUPERVISE_QUEUE is 'immediate': there is no queue to work on.")
        huey.create_consumer(workers=workers, worker_type="thread", max_delay=2.0).run()

    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Do nothing (quietly) when the database has data.")
    def seed_demo_command(if_empty: bool) -> None:
        """Load the demo county (宁陕县) and demo accounts into an empty database."""
        from .accounts.operations import DEMO_PASSWORD
        from .demo import DEMO_ACCOUNTS, database_is_empty, seed_demo

        if not database_is_empty():
            if if_empty:
                return
            raise click.ClickException(
                "The database is not empty; demo data is loaded only into an empty one."
            )
        seed_demo()
        db.session.commit()
        # The county's other townships, for the county's view (statistics/ sits beside demo.py).
        from .core.clock import today
        from .core.demo_calendar import DemoCalendar
        from .org.models import County
        from .statistics.demo import seed_county_townships

        county = db.session.execute(db.select(County).order_by(County.id)).scalars().first()
        if county is not None:
            seed_county_townships(DemoCalendar(today()), county)
            db.session.commit()
        click.echo(
            f"演示数据已载入 / demo data loaded. 演示账号 / demo accounts (password: {DEMO_PASSWORD}):"
        )
        for username, role in DEMO_ACCOUNTS:
            click.echo(f"  {username:8} {role}")

    @app.cli.command("create-admin")
    @click.argument("username")
    @click.password_option()
    def create_admin(username: str, password: str) -> None:
        """Create a system administrator account (password: at least 10 characters, not common)."""
        from .accounts.models import User
        from .accounts.passwords import hash_password, password_problem
        from .core.permissions import Role

        problem = password_problem(password, username)
        if problem:
            raise click.ClickException(problem)
        db.session.add(
            User(
                username=username,
                display_name=username,
                password_hash=hash_password(password),
                role=Role.admin,
            )
        )
        db.session.commit()
        click.echo(f"admin account {username} created")
