"""The government's and the deputy's home pages read their report counts from progress_summary, and
the stored counts follow every change made through the pages: after each one the page shows what a
fresh computation gives, and a visit with nothing changed reads neither events nor reports."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from supervise.core.clock import today, utcnow
from supervise.core.dates import shift_month
from supervise.extensions import db
from supervise.lists.models import SupervisorAssignment
from supervise.org.models import Office, Township
from supervise.progress.models import MonthlyReport, ProgressSummary
from supervise.progress.summary import compute_deputy_counts, compute_office_counts

from .conftest import month_arg


def summary_line(client) -> str:
    """The text of the home page's card about monthly reports."""
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    card = html.split('id="progress-summary"', 1)[1].split("</div></div>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", card).split())


def office_line(client, cycle) -> dict[str, int]:
    """The numbers the clerk's home page shows, after checking they equal a fresh computation."""
    line = summary_line(client)
    township = db.session.get(Township, cycle.item.township_id)
    fresh = compute_office_counts(township, cycle.clerk.office_id, today())
    assert f"本月应报 {fresh['owed']} 项，已报 {fresh['reported']} 项" in line, (line, fresh)
    assert (f"逾期未报 {fresh['overdue']} 项" in line) == (fresh["overdue"] > 0), (line, fresh)
    return fresh


def deputy_line(client, cycle) -> dict[str, int]:
    line = summary_line(client)
    township = db.session.get(Township, cycle.item.township_id)
    fresh = compute_deputy_counts(township, cycle.supervisor.deputy_id, today())
    assert f"待您反馈的月报 {fresh['waiting']} 份" in line, (line, fresh)
    assert (f"已逾期 {fresh['overdue']} 份" in line) == (fresh["overdue"] > 0), (line, fresh)
    return fresh


def reads_of_the_cycle(count_queries, client) -> list[str]:
    with count_queries() as counted:
        assert client.get("/").status_code == 200
    return [s for s in counted.statements if re.search(r"\b(item_event|monthly_report)\b", s)]


def switch_to(client, login_as, user):
    client.post("/logout")
    login_as(user)


def submit(client, cycle, item, month, percent):
    response = client.post(
        f"/progress/items/{item.id}/report?month={month_arg(month)}",
        data={"percent": str(percent), "done": "按计划推进"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def test_the_clerks_home_counts_are_stored_and_follow_reports_and_items(
    client, login_as, factory, cycle, count_queries
):
    login_as(cycle.clerk)
    before = office_line(client, cycle)
    assert before["owed"] == 1 and before["reported"] == 0 and before["overdue"] >= 2  # 3 months back
    stored = db.session.get(ProgressSummary, (cycle.item.township_id, "office", cycle.clerk.office_id))
    assert stored is not None and stored.day == today() and stored.counts == before
    assert reads_of_the_cycle(count_queries, client) == [], "the counts were worked out again"

    # A report through the report page: the page counts it at once.
    submit(client, cycle, cycle.item, cycle.this_month, 30)
    after = office_line(client, cycle)
    assert after["reported"] == 1

    # An earlier missing month reported late: one fewer overdue.
    submit(client, cycle, cycle.item, shift_month(cycle.this_month, -1), 20)
    assert office_line(client, cycle)["overdue"] == after["overdue"] - 1

    # A new item of the office, and an item handed to another office: both change what it owes.
    cycle.item_like(title="村道路灯安装")
    db.session.commit()
    assert office_line(client, cycle)["owed"] == 2
    other = Office(township_id=cycle.item.township_id, name="农业服务中心")
    db.session.add(other)
    db.session.flush()
    cycle.item.lead_office_id = other.id
    db.session.commit()
    assert office_line(client, cycle)["owed"] == 1


def test_the_deputys_home_counts_follow_reports_feedback_and_assignments(
    client, login_as, factory, cycle, count_queries
):
    login_as(cycle.supervisor)
    assert deputy_line(client, cycle)["waiting"] == 0
    assert reads_of_the_cycle(count_queries, client) == [], "the counts were worked out again"

    # The clerk reports: the supervisor now has a report waiting for feedback.
    switch_to(client, login_as, cycle.clerk)
    submit(client, cycle, cycle.item, cycle.this_month, 30)
    switch_to(client, login_as, cycle.supervisor)
    assert deputy_line(client, cycle)["waiting"] == 1
    assert reads_of_the_cycle(count_queries, client) == []

    # Feedback through the feedback page: nothing waits any more.
    report = db.session.execute(select(MonthlyReport).filter_by(item_id=cycle.item.id)).scalar_one()
    response = client.post(f"/progress/reports/{report.id}/feedback", data={"verdict": "confirm"})
    assert response.status_code == 302
    assert deputy_line(client, cycle)["waiting"] == 0

    # A newly assigned item with a report already in: waiting again.
    other = factory.user("deputy")
    another = cycle.item_like(title="敬老院改造")
    db.session.add(SupervisorAssignment(item_id=another.id, deputy_id=other.deputy_id))
    report = factory.monthly_report(another, cycle.this_month)
    db.session.commit()
    assert deputy_line(client, cycle)["waiting"] == 1

    # The other supervisor's feedback on it is theirs, not this one's: still waiting here.
    switch_to(client, login_as, other)
    response = client.post(f"/progress/reports/{report.id}/feedback", data={"verdict": "confirm"})
    assert response.status_code == 302
    switch_to(client, login_as, cycle.supervisor)
    assert deputy_line(client, cycle)["waiting"] == 1

    # Their assignment ends (the presidium replaces them): the item's report no longer waits for them.
    assignment = db.session.execute(
        select(SupervisorAssignment).filter_by(item_id=another.id, deputy_id=cycle.supervisor.deputy_id)
    ).scalar_one()
    assignment.ended_at = utcnow()
    db.session.commit()
    assert deputy_line(client, cycle)["waiting"] == 0


def test_stored_counts_of_another_day_or_due_day_are_worked_out_again(client, login_as, cycle):
    login_as(cycle.clerk)
    fresh = office_line(client, cycle)
    stored = db.session.get(ProgressSummary, (cycle.item.township_id, "office", cycle.clerk.office_id))
    stored.day, stored.counts = today() - timedelta(days=1), {**fresh, "owed": 7}
    db.session.commit()
    assert office_line(client, cycle) == fresh

    # The township's due day changes what is overdue: the change bumps the version.
    township = db.session.get(Township, cycle.item.township_id)
    township.report_due_day = 28 if township.report_due_day != 28 else 5
    db.session.commit()
    office_line(client, cycle)


def test_each_reader_has_its_own_row(client, login_as, cycle):
    for user in (cycle.clerk, cycle.supervisor, cycle.chair):
        switch_to(client, login_as, user)
        assert client.get("/").status_code == 200
    roles = {
        (row.role, row.owner_id)
        for row in db.session.query(ProgressSummary).filter_by(township_id=cycle.item.township_id)
    }
    assert roles == {
        ("office", cycle.clerk.office_id),
        ("deputy", cycle.supervisor.deputy_id),
        ("presidium", 0),
    }
