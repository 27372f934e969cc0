"""Emailing today's reminders with smtplib, when SMTP is configured (SUPERVISE_SMTP_*)."""

from __future__ import annotations

import logging
import smtplib
from datetime import date
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update
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


def _claim(notifications: list[Notification]) -> list[Notification]:
    """Mark these reminders as emailed before sending, in one conditional UPDATE committed at once, and
    return those this run got: two runs at the same moment never send the same reminder twice."""
    ids = db.session.execute(
        update(Notification)
        .where(Notification.id.in_([n.id for n in notifications]), Notification.emailed_at.is_(None))
        .values(emailed_at=utcnow())
        .returning(Notification.id)
        .execution_options(synchronize_session=False)
    ).scalars()
    claimed = set(ids)
    db.session.commit()
    return [n for n in notifications if n.id in claimed]


def _release(notifications: list[Notification]) -> None:
    """Give back reminders whose email did not go out, for the next run."""
    db.session.execute(
        update(Notification)
        .where(Notification.id.in_([n.id for n in notifications]))
        .values(emailed_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def email_reminders(day: date) -> int:
    """Email each user with an address the reminders created today and not yet emailed (one
    message per user); each user's reminders are claimed (marked emailed) before their message is
    sent and given back if it fails. Returns how many messages
    were sent; 0 without SMTP. Meant for `flask remind` (cron), not for requests."""
    if not smtp_configured():
        return 0
    config = current_app.config
    pending = db.session.execute(
        select(Notification)
        # Read or settled (what it asked for is done) before the run: nothing to email.
        .where(
            Notification.created_on == day,
            Notification.emailed_at.is_(None),
            Notification.read_at.is_(None),
        )
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
                mine = _claim(notifications)
                if not mine:
                    continue  # another `flask remind` running at the same time has them
                try:
                    smtp.send_message(_message(user, mine, sender))
                except smtplib.SMTPRecipientsRefused:
                    log.exception("reminder email to user %s refused", user.id)
                    _release(mine)
                    continue
                except BaseException:
                    _release(mine)  # not delivered: the next run sends it
                    raise
                sent += 1
    except (smtplib.SMTPException, OSError):
        # The server went away or refused us: the rest stay unsent and go out with the next run.
        log.exception("sending reminder emails stopped after %s messages", sent)
    return sent
