"""Joint lead units (联合牵头) act for the item like its lead office: a clerk of one sees it among
their office's items, opens it, reports on it monthly and is reminded; an unrelated office's clerk
still may not report (403), and another township's clerk does not find it (404)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from supervise.extensions import db
from supervise.lists import todo
from supervise.lists.models import Item
from supervise.lists.queries import led_by_office_condition
from supervise.progress import queries
from supervise.progress.calendar import report_due_on
from supervise.progress.models import MonthlyReport, Notification
from supervise.progress.operations import create_reminders
from tests.helpers import count, text_of

from .conftest import month_arg


@pytest.fixture
def joint(factory, cycle):
    """A second office of the township, joint lead of the cycle's item, with a clerk."""
    office = factory.office(name="经济发展办公室")
    office.contact_person, office.contact_phone = "李红", "0571-8888123"
    clerk = factory.user("government", office_id=office.id)
    cycle.item.joint_lead_offices = [office]
    db.session.commit()
    return clerk


def test_a_joint_lead_clerk_sees_opens_and_reports_on_the_item(client, login_as, cycle, joint):
    login_as(joint)
    home = client.get("/")
    assert cycle.item.title in text_of(home)  # the office's to-do on the home page
    listed = client.get(f"/items/?office={joint.office_id}")
    assert cycle.item.title in text_of(listed)

    page = client.get(f"/items/{cycle.item.id}")
    assert page.status_code == 200
    text = text_of(page)
    assert "联合牵头单位" in text and "经济发展办公室" in text and "李红" in text and "0571-8888123" in text
    assert f"/progress/items/{cycle.item.id}/report" in page.get_data(as_text=True)

    url = f"/progress/items/{cycle.item.id}/report?month={month_arg(cycle.this_month)}"
    assert client.get(url).status_code == 200
    assert client.post(url, data={"percent": "30", "done": "联合牵头单位完成征地"}).status_code == 302
    [report] = db.session.execute(
        select(MonthlyReport).where(MonthlyReport.item_id == cycle.item.id)
    ).scalars()
    assert (report.submitted_by_id, report.percent) == (joint.id, 30)
    assert report.can_be_corrected_by(joint) and report.can_be_corrected_by(cycle.clerk)


def test_the_joint_lead_office_owes_the_months_and_gets_the_reminder(cycle, joint):
    day = report_due_on(cycle.this_month, cycle.item.township.report_due_day) + timedelta(days=1)
    current, earlier = queries.office_dues(cycle.item.township, joint.office_id, day)
    assert cycle.item.id in {d.item.id for d in current + earlier}

    create_reminders(day)
    db.session.commit()
    for clerk in (cycle.clerk, joint):
        assert count(Notification, user_id=clerk.id, item_id=cycle.item.id) == 1


def test_an_unrelated_office_may_not_report_and_another_township_does_not_find_it(
    client, login_as, factory, cycle, joint
):
    unrelated = factory.user("government", office_id=factory.office(name="农业农村办公室").id)
    login_as(unrelated)
    url = f"/progress/items/{cycle.item.id}/report"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"percent": "10", "done": "x"}).status_code == 403
    assert cycle.item.title not in text_of(client.get("/"))
    client.post("/logout")

    elsewhere = factory.township("外镇")
    login_as(factory.user("government", township=elsewhere, office_id=factory.office(elsewhere).id))
    assert client.get(f"/items/{cycle.item.id}").status_code == 404
    assert client.get(url).status_code == 404
    assert count(MonthlyReport, item_id=cycle.item.id) == 0


def test_the_sql_condition_and_the_model_agree_on_who_leads(factory, cycle, joint):
    lone = cycle.item_like(title="只有主办单位的事项")
    db.session.commit()
    offices = [cycle.clerk.office_id, joint.office_id, factory.office().id]
    for office_id in offices:
        in_sql = set(
            db.session.execute(
                select(Item.id).where(
                    Item.id.in_([cycle.item.id, lone.id]), led_by_office_condition(office_id)
                )
            ).scalars()
        )
        in_python = {item.id for item in (cycle.item, lone) if item.is_led_by(office_id)}
        assert in_sql == in_python
    assert todo.government_todo(cycle.item.township_id, joint.office_id)["office_items"] == [cycle.item]
    assert not cycle.item.is_led_by(None)
