"""`flask remind`: today's reminders as notifications, and emails when SMTP is configured (for cron)."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

from ..core.clock import today


@click.command("remind")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), help="As if today were this day.")
@with_appcontext
def remind_command(day) -> None:
    """Create today's due/overdue reminders (never twice a day) and email them if SMTP is set."""
    from .mail import smtp_configured
    from .tasks import run_reminders

    day: date = day.date() if day else today()
    created, sent = run_reminders(day)
    click.echo(f"{day.isoformat()}: {created} notifications created, {sent} emails sent")
    if not smtp_configured():
        click.echo("SMTP is not configured (SUPERVISE_SMTP_HOST): no emails")
