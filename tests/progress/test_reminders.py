"""Reminders: `flask remind` reminds of a thing when it becomes due, on its first overdue day, then
weekly; never twice a day about one item for one person; emails them when SMTP is configured (a fake
smtplib here), and the navbar bell and notifications page show them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from supervise.core.clock import today, utcnow
from supervise.core.dates import shift_month
from supervise.extensions import db
from supervise.lists.models import SupervisorAssignment
from supervise.progress import mail
from supervise.progress.calendar import report_due_on
from supervise.progress.models import FeedbackVerdict, MonthlyReport, Notification
from supervise.progress.operations import create_reminders, give_feedback, submit_report
from tests.helpers import at_the_same_moment, text_of


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


def things(notification) -> list[tuple]:
    return [
        (kind, month)
        for kind, month, _due, _v in Notification.things_of(
            notification.kind, notification.month, notification.due_on, notification.params
        )
    ]


def test_one_notification_per_item_person_and_day_covers_what_is_due_and_overdue(factory, cycle):
    last = shift_month(cycle.this_month, -1)
    factory.monthly_report(cycle.item, last, submitted_on=report_due_on(last, 25))
    day = report_due_on(cycle.this_month, 25) - timedelta(days=2)

    created = create_reminders(day)
    db.session.commit()

    [for_clerk] = [n for n in created if n.user_id == cycle.clerk.id]
    # The two months before last were never reported; this month's is due in two days; last month
    # was reported and is not mentioned.
    assert things(for_clerk) == [
        ("report_overdue", shift_month(cycle.this_month, -3)),
        ("report_overdue", shift_month(cycle.this_month, -2)),
        ("report_due", cycle.this_month),
    ]
    assert "已逾期" in for_clerk.text and "请于" in for_clerk.text and cycle.item.code in for_clerk.text
    [for_supervisor] = [n for n in created if n.user_id == cycle.supervisor.id]
    assert things(for_supervisor) == [("feedback_overdue", last)]
    assert len(created) == 2
    # Running again the same day, or the next days, creates nothing: overdue things come back weekly.
    assert create_reminders(day) == []
    for later in range(1, 7):
        made = create_reminders(day + timedelta(days=later))
        if later == 3:  # the day after this month's due day: its first overdue day, and only that
            [overdue] = made
            assert things(overdue) == [("report_overdue", cycle.this_month)]
        else:
            assert made == [], later
    db.session.commit()
    week_later = create_reminders(day + timedelta(days=7))
    [again] = [n for n in week_later if n.user_id == cycle.clerk.id]
    # This month's report fell due in between (on day + 3, its first overdue day it was reminded).
    assert ("report_overdue", cycle.this_month) not in things(again)
    assert [k for k, _m in things(again)] == ["report_overdue", "report_overdue"]
    assert len(notifications()) == 2 + 1 + 2  # the supervisor's overdue feedback came back too


# Days (relative to the month's due day, the 25th) on which cron runs, and those on which the one
# thing an office owes (this month's report of an item that entered on the 1st) is reminded.
@pytest.mark.parametrize(
    "runs,reminded",
    [
        (range(-8, 17), {-5: "report_due", 1: "report_overdue", 8: "report_overdue", 15: "report_overdue"}),
        ([-2, 3, 4, 10, 16], {-2: "report_due", 3: "report_overdue", 10: "report_overdue"}),
        ([-8, -6], {}),  # not yet within the reminder window
        ([1, 2], {1: "report_overdue"}),  # due never reminded: the first run finds it overdue
        ([0, 0, 0], {0: "report_due"}),  # the due day itself: still due, once
    ],
    ids=["daily", "now and then", "too early", "first run overdue", "three runs a day"],
)
def test_the_reminder_schedule(factory, cycle, runs, reminded):
    clerk = factory.user("government")
    item = factory.supervised_item(cycle.this_month, lead_office_id=clerk.office_id)
    db.session.commit()
    due = report_due_on(cycle.this_month, 25)
    seen = {}
    for offset in runs:
        for notification in create_reminders(due + timedelta(days=offset)):
            if notification.user_id == clerk.id:
                assert notification.item_id == item.id
                assert offset not in seen, "twice on one day"
                seen[offset] = notification.kind
        db.session.commit()
    assert seen == reminded


def test_a_corrected_report_is_reminded_to_its_supervisor_again(factory, cycle):
    report = factory.monthly_report(cycle.item, cycle.this_month, percent=40)
    day = cycle.this_month.replace(day=20)
    [first] = [n for n in create_reminders(day) if n.user_id == cycle.supervisor.id]
    assert things(first)[-1] == ("feedback_due", cycle.this_month)
    assert not [n for n in create_reminders(day + timedelta(days=1)) if n.user_id == cycle.supervisor.id]
    factory.monthly_report(cycle.item, cycle.this_month, percent=30, version=report.version + 1)
    [again] = [n for n in create_reminders(day + timedelta(days=2)) if n.user_id == cycle.supervisor.id]
    assert again.params["version"] == 2


def test_a_run_that_did_not_see_another_runs_reminders_skips_them(factory, cycle, monkeypatch):
    """Two `flask remind` at once: both read before either wrote; the database's key stops the
    second copy and the run goes on (no IntegrityError)."""
    from supervise.progress import operations

    day = report_due_on(cycle.this_month, 25) + timedelta(days=1)
    first = create_reminders(day)
    db.session.commit()
    assert first
    monkeypatch.setattr(operations, "_reminded", lambda township_id, day: ({}, set()))
    assert create_reminders(day) == []
    db.session.commit()
    assert len(notifications()) == len(first)


def test_two_remind_runs_at_the_same_moment_make_each_reminder_once(postgres_app):
    from supervise.lists.models import Item
    from supervise.org.models import Deputy
    from tests.factories import Factory

    factory = Factory()
    this_month = today().replace(day=1)
    for _ in range(3):
        clerk = factory.user("government")
        supervisor = factory.user("deputy")
        factory.supervised_item(
            shift_month(this_month, -3),
            lead_office_id=clerk.office_id,
            supervisors=[db.session.get(Deputy, supervisor.deputy_id)],
        )
    db.session.commit()
    assert db.session.execute(select(func.count(Item.id))).scalar_one() == 3
    day = report_due_on(this_month, 25) + timedelta(days=1)
    assert at_the_same_moment(postgres_app, lambda _: create_reminders(day)) == ["done", "done"]
    db.session.expire_all()
    assert len(notifications()) == 3  # one per clerk and item; nobody's report is in yet


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
        factory.monthly_report(cycle.item, shift_month(cycle.this_month, -back))
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
    cycle.item_like(title="第二个事项")  # one notification a day per item: two items, two
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
    factory.monthly_report(cycle.item, shift_month(cycle.this_month, -1))
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


def test_two_runs_at_once_never_email_the_same_reminder_twice(app, factory, cycle, fake_smtp, monkeypatch):
    cycle.clerk.email = "clerk@example.org"
    factory.user("government", office_id=cycle.clerk.office_id).email = "colleague@example.org"
    db.session.commit()
    app.config.update(SMTP_HOST="smtp.example.org")
    day = report_due_on(cycle.this_month, 25) + timedelta(days=1)
    create_reminders(day)
    db.session.commit()
    delivered: list[str] = []
    second_run: list[int] = []
    started = []

    def send(self, message):
        delivered.append(message["To"])
        if not started:  # while the first run sends its first message, cron starts another run
            started.append(True)
            second_run.append(mail.email_reminders(day))

    monkeypatch.setattr(FakeSMTP, "send_message", send)
    first_run = mail.email_reminders(day)
    assert sorted(delivered) == ["clerk@example.org", "colleague@example.org"]
    assert first_run + second_run[0] == 2


def test_a_reminder_read_or_settled_before_the_run_is_not_emailed(app, factory, cycle, fake_smtp):
    cycle.clerk.email = "clerk@example.org"
    db.session.commit()
    app.config.update(SMTP_HOST="smtp.example.org")
    day = report_due_on(cycle.this_month, 25) + timedelta(days=1)
    for notification in create_reminders(day):
        notification.read_at = utcnow()
    db.session.commit()
    assert mail.email_reminders(day) == 0
    assert all(not smtp.sent for smtp in fake_smtp.instances)


def test_a_refused_address_is_given_back_for_the_next_run(app, factory, cycle, fake_smtp, monkeypatch):
    import smtplib

    cycle.clerk.email = "clerk@example.org"
    db.session.commit()
    app.config.update(SMTP_HOST="smtp.example.org")
    day = report_due_on(cycle.this_month, 25) + timedelta(days=1)
    create_reminders(day)
    db.session.commit()

    def refuse(self, message):
        raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"no such user")})

    monkeypatch.setattr(FakeSMTP, "send_message", refuse)
    assert mail.email_reminders(day) == 0
    db.session.expire_all()
    unsent = db.session.execute(
        select(func.count()).where(Notification.user_id == cycle.clerk.id, Notification.emailed_at.is_(None))
    ).scalar_one()
    assert unsent == len(notifications(cycle.clerk)) > 0


@pytest.mark.parametrize("bad", [str(10**20), "²", "abc"])
def test_marking_a_malformed_notification_read_is_a_400(client, login_as, bad):
    login_as("deputy")
    assert client.post("/notifications/read", data={"id": bad}).status_code == 400


def _unread(user) -> list[Notification]:
    return (
        db.session.execute(
            select(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        .scalars()
        .all()
    )


@pytest.mark.parametrize("verdict", [FeedbackVerdict.confirm, FeedbackVerdict.dispute])
def test_feedback_given_settles_its_overdue_reminder(client, login_as, factory, cycle, verdict):
    last = shift_month(cycle.this_month, -1)
    report = factory.monthly_report(cycle.item, last, submitted_on=report_due_on(last, 25))
    create_reminders(today())
    db.session.commit()
    [reminder] = _unread(cycle.supervisor)
    assert things(reminder) == [("feedback_overdue", last)]

    give_feedback(cycle.supervisor, report, verdict, "现场核对。")
    db.session.commit()

    assert _unread(cycle.supervisor) == []
    assert db.session.get(Notification, reminder.id).params["done"] is True
    login_as(cycle.supervisor)
    assert "rounded-pill" not in client.get("/").get_data(as_text=True)  # the bell counts nothing
    page = text_of(client.get("/notifications"))
    assert "已办结" in page and "未读" not in page


def test_a_report_settles_the_reminders_only_once_every_month_they_name_is_reported(factory, cycle):
    day = report_due_on(cycle.this_month, 25) + timedelta(days=1)
    create_reminders(day)
    db.session.commit()
    [reminder] = _unread(cycle.clerk)
    months = [month for _kind, month in things(reminder)]
    assert len(months) > 1
    for month in months[:-1]:
        submit_report(cycle.clerk, cycle.item, month, percent=40, done="按计划推进。")
        db.session.commit()
        assert [n.id for n in _unread(cycle.clerk)] == [reminder.id]  # one month still owed
    submit_report(cycle.clerk, cycle.item, months[-1], percent=50, done="按计划推进。")
    db.session.commit()
    assert _unread(cycle.clerk) == []
    assert db.session.get(Notification, reminder.id).params["done"] is True


def test_one_supervisors_feedback_leaves_the_other_supervisors_reminder(factory, cycle):
    second = factory.user("deputy", township=cycle.item.township)
    db.session.add(SupervisorAssignment(item_id=cycle.item.id, deputy_id=second.deputy_id))
    report = factory.monthly_report(cycle.item, cycle.this_month, percent=40)
    create_reminders(cycle.this_month.replace(day=20))
    db.session.commit()
    [theirs] = _unread(second)
    give_feedback(cycle.supervisor, report, FeedbackVerdict.confirm)
    db.session.commit()
    assert _unread(cycle.supervisor) == []
    assert [n.id for n in _unread(second)] == [theirs.id]
