"""Reminders as a periodic task of the workers (`flask remind` does the same by hand or from cron)."""

from __future__ import annotations

from datetime import date, datetime

from huey import crontab

from ..core.clock import CHINA, today
from ..core.queue import huey, task_context, timed
from ..extensions import db


def run_reminders(day: date) -> tuple[int, int]:
    """Create the day's due/overdue reminders (never twice a day), commit, then email them when SMTP
    is configured (each email claimed in a commit of its own); returns (created, sent)."""
    from .mail import email_reminders
    from .operations import create_reminders

    created = create_reminders(day)
    db.session.commit()
    sent = email_reminders(day)
    db.session.commit()
    return len(created), sent


@huey.periodic_task(crontab(minute="0"), name="send_reminders")
def send_reminders() -> None:
    """Every hour from REMINDER_HOUR (China time) on: a second run on one day finds nothing new."""
    timed("send_reminders", _send_reminders)


def _send_reminders() -> None:
    with task_context() as app:
        if datetime.now(CHINA).hour >= app.config["REMINDER_HOUR"]:
            created, sent = run_reminders(today())
            app.logger.info("reminders: %d created, %d emails sent", created, sent)
