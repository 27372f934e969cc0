"""Emailing today's reminders with smtplib, when SMTP is configured (SUPERVISE_SMTP_*)."""

from __future__ import annotations

import logging
import smtplib
from datetime import date
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..core.clock import utcnow
from ..extensions import db
from .models import Notification

log = logging.getLogger(__name__)


def smtp_configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def _message(user, notifications: list[Notification], sender: str) -> EmailMessage:
    with force_locale(user.locale or "zh_Hans_CN"):
        message = EmailMessage()
        message["Subject"] = _("清单监督提醒：%(n)s 项待办", n=len(notifications))
        message["From"] = sender
        message["To"] = user.email
        lines = [_("%(name)s，您好：", name=user.display_name), ""]
        lines += [f"- {n.text}" for n in notifications]
        lines += ["", _("请登录清单监督系统办理。")]
        message.set_content("\n".join(lines))
    return message


def email_reminders(day: date) -> int:
    """Email each user with an address the reminders created today and not yet emailed (one
    message per user); marks them emailed, committing after each message. Returns how many messages
    were sent; 0 without SMTP. Meant for `flask remind` (cron), not for requests."""
    if not smtp_configured():
        return 0
    config = current_app.config
    pending = db.session.execute(
        select(Notification)
        .where(Notification.created_on == day, Notification.emailed_at.is_(None))
        .options(joinedload(Notification.user))
        .order_by(Notification.user_id, Notification.id)
    ).scalars()
    by_user: dict[int, list[Notification]] = {}
    for notification in pending:
        if notification.user.email:
            by_user.setdefault(notification.user_id, []).append(notification)
    if not by_user:
        return 0
    sender = config.get("SMTP_FROM") or config.get("SMTP_USER")
    sent = 0
    try:
        with smtplib.SMTP(config["SMTP_HOST"], config.get("SMTP_PORT", 587), timeout=30) as smtp:
            if config.get("SMTP_STARTTLS", True):
                smtp.starttls()
            if config.get("SMTP_USER"):
                smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD", ""))
            for notifications in by_user.values():
                user = notifications[0].user
                try:
                    smtp.send_message(_message(user, notifications, sender))
                except smtplib.SMTPRecipientsRefused:
                    log.exception("reminder email to user %s refused", user.id)
                    continue
                for notification in notifications:
                    notification.emailed_at = utcnow()
                sent += 1
                # Committed per message: if the run dies later, a rerun the same day must not send
                # what was already delivered.
                db.session.commit()
    except (smtplib.SMTPException, OSError):
        # The server went away or refused us: the rest stay unsent and go out with the next run.
        log.exception("sending reminder emails stopped after %s messages", sent)
    return sent
