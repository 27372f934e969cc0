"""Reminders: `flask remind` creates each due/overdue notification once a day, emails them when SMTP
is configured (a fake smtplib here), and the navbar bell and notifications page show them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from supervise.core.clock import today
from supervise.extensions import db
from supervise.progress import mail
from supervise.progress.calendar import add_months, report_due_on
from supervise.progress.models import MonthlyReport, Notification
from supervise.progress.operations import create_reminders

from .conftest import text_of


def notifications(user=None) -> list[tuple]:
    query = select(Notification.user_id, Notification.kind, Notification.item_id, Notification.month)
    if user is not None:
        query = query.where(Notification.user_id == user.id)
    return sorted(db.session.execute(query).all())


class FakeSMTP:
    """Records what smtplib.SMTP would have done."""

    instances: list = []

    def __init__(self, host, port, timeout=None):
        self.host, self.port = host, port
        self.sent, self.started_tls, self.logged_in = [], False, None
        FakeSMTP.instances.append(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        self.started_tls = True

    def login(self, user, password):
        self.logged_in = (user, password)

    def send_message(self, message):
        self.sent.append(message)


@pytest.fixture
def fake_smtp(monkeypatch):
    FakeSMTP.instances = []
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    return FakeSMTP


def test_what_is_due_and_overdue_becomes_notifications_once_a_day(factory, cycle):
    last = add_months(cycle.this_month, -1)
    report = factory.monthly_report(cycle.item, last, submitted_on=report_due_on(last, 25))
    day = report_due_on(cycle.this_month, 25) - timedelta(days=2)

    created = create_reminders(day)
    db.session.commit()

    clerk_kinds = {(kind, month) for _u, kind, _i, month in notifications(cycle.clerk)}
    # Two months before last were never reported; this month's is due in two days.
    assert clerk_kinds == {
        ("report_overdue", add_months(cycle.this_month, -3)),
        ("report_overdue", add_months(cycle.this_month, -2)),
        ("report_due", cycle.this_month),
    }
    assert {(kind, month) for _u, kind, _i, month in notifications(cycle.supervisor)} == {
        ("feedback_overdue", last)
    }
    assert len(created) == 4
    # Running again the same day creates nothing; the next day creates the day's reminders again.
    assert create_reminders(day) == []
    db.session.commit()
    assert len(notifications()) == 4
    assert len(create_reminders(day + timedelta(days=1))) == 4
    assert report.id


def test_the_database_refuses_the_same_reminder_twice_a_day(factory, cycle):
    row = dict(
        user_id=cycle.clerk.id,
        township_id=cycle.item.township_id,
        kind="report_due",
        item_id=cycle.item.id,
        month=cycle.this_month,
        due_on=cycle.this_month,
        created_on=today(),
    )
    db.session.add(Notification(**row))
    db.session.commit()
    db.session.add(Notification(**row))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_nothing_is_due_before_the_reminder_window(factory, cycle):
    for back in (1, 2, 3):
        factory.monthly_report(cycle.item, add_months(cycle.this_month, -back))
    from supervise.progress.models import FeedbackVerdict, ReportFeedback

    for report in db.session.execute(select(MonthlyReport)).scalars():
        db.session.add(
            ReportFeedback(
                report_id=report.id, deputy_id=cycle.supervisor.deputy_id, verdict=FeedbackVerdict.confirm
            )
        )
    db.session.flush()
    assert create_reminders(cycle.this_month.replace(day=2)) == []


def test_remind_emails_each_user_once_when_smtp_is_configured(app, factory, cycle, fake_smtp):
    cycle.clerk.email = "clerk@example.org"
    db.session.commit()
    app.config.update(
        SMTP_HOST="smtp.example.org",
        SMTP_PORT=2525,
        SMTP_USER="bot",
        SMTP_PASSWORD="pw",
        SMTP_FROM="bot@example.org",
    )
    runner = app.test_cli_runner()
    day = report_due_on(cycle.this_month, 25) + timedelta(days=1)

    result = runner.invoke(args=["remind", "--date", day.isoformat()])

    assert result.exit_code == 0, result.output
    [smtp] = fake_smtp.instances
    assert (smtp.host, smtp.port, smtp.started_tls, smtp.logged_in) == (
        "smtp.example.org",
        2525,
        True,
        ("bot", "pw"),
    )
    [message] = smtp.sent  # the supervisor has no address: in-app only
    assert message["To"] == "clerk@example.org"
    assert cycle.item.code in message.get_content()
    db.session.expire_all()
    emailed = db.session.execute(select(func.count()).where(Notification.emailed_at.isnot(None))).scalar_one()
    assert emailed == len(notifications(cycle.clerk)) > 0
    # Cron runs again the same day: nothing new, nothing sent twice.
    again = runner.invoke(args=["remind", "--date", day.isoformat()])
    assert again.exit_code == 0
    assert len(fake_smtp.instances) == 1 and len(smtp.sent) == 1


def test_nothing_is_sent_when_smtp_is_not_configured(app, factory, cycle, fake_smtp):
    cycle.clerk.email = "clerk@example.org"
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["remind"])
    assert result.exit_code == 0 and "SMTP is not configured" in result.output
    assert fake_smtp.instances == []
    assert notifications(cycle.clerk)  # the in-app ones are there all the same


def test_the_bell_counts_unread_and_the_page_marks_them_read(client, login_as, factory, cycle):
    create_reminders(report_due_on(cycle.this_month, 25) + timedelta(days=1))
    db.session.commit()
    login_as(cycle.clerk)
    home = client.get("/").get_data(as_text=True)
    unread = len(notifications(cycle.clerk))
    assert f'<span class="badge rounded-pill text-bg-warning">{unread}</span>' in home
    page = client.get("/notifications")
    assert cycle.item.code in text_of(page) and "已逾期" in text_of(page)
    first = (
        db.session.execute(select(Notification.id).where(Notification.user_id == cycle.clerk.id))
        .scalars()
        .first()
    )
    client.post("/notifications/read", data={"id": str(first)})
    assert f'text-bg-warning">{unread - 1}</span>' in client.get("/").get_data(as_text=True)
    client.post("/notifications/read", data={"id": "abc"})  # not an id: nothing, no error
    client.post("/notifications/read", data={})
    assert "rounded-pill" not in client.get("/").get_data(as_text=True)
    # Someone else's notifications are never marked or shown.
    factory.monthly_report(cycle.item, add_months(cycle.this_month, -1))
    other = create_reminders(report_due_on(cycle.this_month, 25) + timedelta(days=2))
    db.session.commit()
    [theirs] = [n.id for n in other if n.user_id == cycle.supervisor.id]
    client.post("/notifications/read", data={"id": str(theirs)})
    client.post("/notifications/read", data={})
    assert db.session.get(Notification, theirs).read_at is None
    assert f'id="notification-{theirs}"' not in client.get("/notifications").get_data(as_text=True)


def test_a_connection_lost_mid_run_never_resends_what_was_delivered(
    app, factory, cycle, fake_smtp, monkeypatch
):
    cycle.clerk.email = "clerk@example.org"
    factory.user("government", office_id=cycle.clerk.office_id).email = "colleague@example.org"
    db.session.commit()
    app.config.update(SMTP_HOST="smtp.example.org")
    day = report_due_on(cycle.this_month, 25) + timedelta(days=1)
    delivered: list[str] = []

    def flaky_send(self, message):
        if delivered:  # the second message: the connection drops
            raise TimeoutError("connection reset")
        delivered.append(message["To"])

    monkeypatch.setattr(FakeSMTP, "send_message", flaky_send)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["remind", "--date", day.isoformat()]).exit_code == 0
    assert len(delivered) == 1
    monkeypatch.setattr(FakeSMTP, "send_message", lambda self, message: delivered.append(message["To"]))
    assert runner.invoke(args=["remind", "--date", day.isoformat()]).exit_code == 0
    # The rerun sends only the one that failed.
    assert sorted(delivered) == ["clerk@example.org", "colleague@example.org"]


@pytest.mark.parametrize("bad", [str(10**20), "²", "abc"])
def test_marking_a_malformed_notification_read_is_a_400(client, login_as, bad):
    login_as("deputy")
    assert client.post("/notifications/read", data={"id": bad}).status_code == 400
