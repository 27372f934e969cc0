"""Flask CLI commands: `flask seed-demo`, `flask create-admin`."""

from __future__ import annotations

import click
from flask import Flask

from .extensions import db


def register(app: Flask) -> None:
    from .lists.cli import items_cli

    app.cli.add_command(items_cli)
    from .uploads.cli import uploads_cli

    app.cli.add_command(uploads_cli)
    from .progress.cli import remind_command

    app.cli.add_command(remind_command)

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
