"""Follow-up sheet events notify (提醒): issued → the addressed office's clerks; answered → the
presidium; overdue → both, from `flask remind`, once per sheet."""

from __future__ import annotations

from datetime import timedelta

from supervise.core.clock import today
from supervise.extensions import db
from supervise.progress.models import Notification
from supervise.progress.operations import create_reminders
from supervise.sheets import operations as ops
from tests.helpers import at_the_same_moment, html_of

# A day ahead whatever day the tests run: a sheet is never issued with a past deadline.
DEADLINE = today() + timedelta(days=30)


def notified(user, kind: str | None = None) -> list[Notification]:
    query = db.select(Notification).where(Notification.user_id == user.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return list(db.session.execute(query.order_by(Notification.id)).scalars())


def about_sheets(created: list[Notification]) -> list[Notification]:
    """Leave out the items' monthly report reminders the same run creates."""
    return [n for n in created if n.kind.startswith("sheet_")]


def test_issuing_tells_the_addressed_offices_clerks_only(town, factory):
    second_clerk = factory.user("government", office_id=town.office.id)
    other_office = factory.user("government")
    vice_chair = factory.user("presidium")
    sheet = town.sheet("issued", deadline=DEADLINE)
    for clerk in (town.clerk, second_clerk):
        [notification] = notified(clerk)
        assert notification.kind == "sheet_issued" and notification.read_at is None
        assert notification.params["sheet_id"] == sheet.id
        assert notification.text == (
            f"督办单 {sheet.document_number}：{sheet.title} 已下发，请签收并于 {DEADLINE.isoformat()} 前答复"
        )
    assert notified(other_office) == notified(vice_chair) == notified(town.chair) == []


def test_answering_tells_the_presidium_and_settles_the_offices_notification(town, factory):
    vice_chair = factory.user("presidium")
    foreign_chair = factory.user("presidium", township=factory.township())
    sheet = town.sheet("answered", deadline=DEADLINE)
    for member in (town.chair, vice_chair):
        [notification] = notified(member)
        assert notification.kind == "sheet_answered"
        assert notification.text == f"督办单 {sheet.document_number}：{sheet.title} 已答复，请核实"
    assert notified(foreign_chair) == []
    [issued] = notified(town.clerk)
    assert issued.read_at is not None and issued.params["done"] is True  # nothing left to do
    ops.verify_sheet(town.chair, sheet, opinion="经核实，已整改到位。")
    db.session.commit()
    assert notified(vice_chair)[0].read_at is not None


def test_returning_tells_the_office_to_answer_again_and_its_answer_settles_that(town):
    sheet = town.sheet("answered", deadline=DEADLINE)
    ops.return_sheet(town.chair, sheet, reason="整改措施不具体，请重新答复。")
    db.session.commit()
    [returned] = notified(town.clerk, "sheet_returned")
    assert returned.read_at is None
    assert (
        returned.text
        == f"督办单 {sheet.document_number}：{sheet.title} 已退回重办，请于 {DEADLINE.isoformat()} 前重新答复"
    )
    assert notified(town.chair, "sheet_answered")[0].read_at is not None  # the presidium's part is done
    ops.answer_sheet(town.clerk, sheet, measures="已制定具体整改方案。", evidence="整改方案。")
    db.session.commit()
    db.session.refresh(returned)
    assert returned.read_at is not None


def test_an_overdue_sheet_is_told_to_both_once(town, factory):
    vice_chair = factory.user("presidium")
    sheet = town.sheet("acknowledged", deadline=DEADLINE)
    town.sheet("answered", deadline=DEADLINE)  # answered: not overdue
    town.sheet("issued", deadline=DEADLINE + timedelta(days=30))  # not yet due
    assert about_sheets(create_reminders(DEADLINE)) == []  # due that day, not overdue yet
    created = about_sheets(create_reminders(DEADLINE + timedelta(days=1)))
    db.session.commit()
    assert sorted(n.user_id for n in created) == sorted([town.clerk.id, town.chair.id, vice_chair.id])
    for user in (town.clerk, town.chair, vice_chair):
        [overdue] = notified(user, "sheet_overdue")
        assert overdue.params["sheet_id"] == sheet.id
        assert overdue.text == (
            f"督办单 {sheet.document_number}：{sheet.title} 已逾期（应于 {DEADLINE.isoformat()} 前答复）"
        )
    # Not repeatedly: neither the next day nor weeks later.
    for later in (2, 8, 30):
        assert about_sheets(create_reminders(DEADLINE + timedelta(days=later))) == []
    db.session.commit()
    assert len(notified(town.clerk, "sheet_overdue")) == 1


def test_flask_remind_tells_of_overdue_sheets(app, town):
    town.sheet("issued", deadline=DEADLINE)
    runner = app.test_cli_runner()
    day = (DEADLINE + timedelta(days=3)).isoformat()
    result = runner.invoke(args=["remind", "--date", day])
    assert result.exit_code == 0, result.output
    assert len(notified(town.clerk, "sheet_overdue")) == 1
    assert runner.invoke(args=["remind", "--date", day]).exit_code == 0
    assert len(notified(town.clerk, "sheet_overdue")) == 1


def test_the_notifications_page_links_to_the_sheet(client, login_as, town):
    sheet = town.sheet("issued", deadline=DEADLINE)
    login_as(town.clerk)
    page = html_of(client.get("/notifications"))
    assert f'href="/sheets/{sheet.id}"' in page and sheet.document_number in page
    assert 'text-bg-warning">1</span>' in html_of(client.get("/"))  # the bell counts it


def test_two_remind_runs_at_the_same_moment_tell_of_an_overdue_sheet_once(postgres_app):
    from tests.factories import Factory

    from .conftest import Township

    factory = Factory()
    office = factory.office()
    chair = factory.user("presidium")
    clerk = factory.user("government", office_id=office.id)
    db.session.commit()
    Township(factory, chair, clerk, office, []).sheet("issued", findings=["路灯损坏。"], deadline=DEADLINE)
    day = DEADLINE + timedelta(days=1)
    assert at_the_same_moment(postgres_app, lambda _: create_reminders(day)) == ["done", "done"]
    db.session.expire_all()
    assert len(notified(clerk, "sheet_overdue")) == len(notified(chair, "sheet_overdue")) == 1
