"""A supervisor may answer the same report version again: their newest verdict replaces the earlier
one, and every page and number reads the current verdict only (progress/verdicts.py). A confirmation
may keep a remark; it is never counted as a dispute."""

from __future__ import annotations

import re

from supervise.core.clock import today
from supervise.extensions import db
from supervise.org.models import Deputy
from supervise.statistics.figures import township_figures
from tests.helpers import html_of, text_of

COMMENT = "月报说已完工，现场还在施工。"


def switch_to(client, login_as, user):
    client.post("/logout")
    login_as(user)


def answer(client, report, verdict, comment=""):
    response = client.post(
        f"/progress/reports/{report.id}/feedback", data={"verdict": verdict, "comment": comment}
    )
    assert response.status_code == 302, text_of(response)


def disputed_count(township_id) -> int:
    return township_figures([township_id], today().year, today())[township_id]["reports.disputed"]


def dispute_rows(client, login_as, chair) -> list[str]:
    switch_to(client, login_as, chair)
    html = html_of(client.get(f"/progress/disputes?year={today().year}"))
    return re.findall(r"<tr>\s*<td class=\"text-nowrap\">.*?</tr>", html, re.S)


def test_a_confirm_after_a_dispute_replaces_it_in_every_count(client, login_as, factory, cycle):
    report = factory.monthly_report(cycle.item, cycle.this_month, percent=100)
    login_as(cycle.supervisor)
    answer(client, report, "dispute", COMMENT)
    assert disputed_count(cycle.item.township_id) == 1
    # Back, then 确认 with the dispute's text still in the box: a confirmation with a remark.
    answer(client, report, "confirm", COMMENT)
    assert disputed_count(cycle.item.township_id) == 0
    assert dispute_rows(client, login_as, cycle.chair) == []
    assert "这一年没有监督员异议" in text_of(client.get(f"/progress/disputes?year={today().year}"))
    switch_to(client, login_as, cycle.supervisor)
    mine = html_of(client.get("/progress/mine"))
    done = mine.split("已反馈", 1)[1]
    assert "确认" in done and "有异议" not in done


def test_a_dispute_settled_on_the_corrected_version_is_no_longer_counted(client, login_as, factory, cycle):
    first = factory.monthly_report(cycle.item, cycle.this_month, percent=100)
    login_as(cycle.supervisor)
    answer(client, first, "dispute", COMMENT)
    corrected = factory.monthly_report(
        cycle.item, cycle.this_month, percent=60, version=2, correction_reason="按异议更正。"
    )
    db.session.commit()
    # Not yet answered on the corrected version: the dispute stays open.
    assert disputed_count(cycle.item.township_id) == 1
    switch_to(client, login_as, cycle.supervisor)
    answer(client, corrected, "confirm", "更正后属实。")
    assert disputed_count(cycle.item.township_id) == 0
    assert dispute_rows(client, login_as, cycle.chair) == []


def test_a_dispute_given_twice_is_one_dispute(client, login_as, factory, cycle):
    report = factory.monthly_report(cycle.item, cycle.this_month)
    login_as(cycle.supervisor)
    answer(client, report, "dispute", "第一次的异议。")
    answer(client, report, "dispute", "补充：资金也未到位。")
    assert disputed_count(cycle.item.township_id) == 1
    [row] = dispute_rows(client, login_as, cycle.chair)
    assert "补充：资金也未到位。" in row and "第一次的异议" not in row


def test_each_supervisor_has_a_current_verdict_of_their_own(client, login_as, factory, cycle):
    second = factory.user("deputy", township=cycle.item.township)
    cycle.item.assignments.append(
        type(cycle.item.assignments[0])(deputy_id=second.deputy_id, item_id=cycle.item.id)
    )
    db.session.commit()
    report = factory.monthly_report(cycle.item, cycle.this_month)
    login_as(cycle.supervisor)
    answer(client, report, "dispute", "进度不实。")
    switch_to(client, login_as, second)
    answer(client, report, "confirm")  # another supervisor's confirmation replaces nothing of the first
    assert disputed_count(cycle.item.township_id) == 1
    [row] = dispute_rows(client, login_as, cycle.chair)
    assert db.session.get(Deputy, cycle.supervisor.deputy_id).name in row


def test_the_item_page_shows_the_replaced_verdict_as_replaced(client, login_as, factory, cycle):
    report = factory.monthly_report(cycle.item, cycle.this_month)
    login_as(cycle.supervisor)
    answer(client, report, "dispute", "第一次的异议。")
    answer(client, report, "confirm", "核实后无误。")
    switch_to(client, login_as, cycle.chair)
    html = html_of(client.get(f"/items/{cycle.item.id}"))
    section = html.split('id="progress"', 1)[1].split("</section>", 1)[0]
    replaced = re.search(r'<div class="[^"]*feedback-replaced[^"]*">(.*?)</div>\s*</div>', section, re.S)
    assert replaced is not None, section
    assert "第一次的异议" in replaced.group(1) and "已改为确认" in replaced.group(1)
    assert section.count("feedback-replaced") == 1  # the confirmation is the current verdict
    # The item's history says the confirmation replaced the earlier verdict.
    assert "替换此前的反馈意见" in text_of(client.get(f"/items/{cycle.item.id}"))


def test_the_form_says_a_new_verdict_replaces_the_earlier_one(client, login_as, factory, cycle):
    report = factory.monthly_report(cycle.item, cycle.this_month)
    login_as(cycle.supervisor)
    form = text_of(client.get(f"/progress/reports/{report.id}/feedback"))
    assert "再次提交将替换" not in form
    answer(client, report, "confirm")
    form = text_of(client.get(f"/progress/reports/{report.id}/feedback"))
    assert re.search(r"您已于 \d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d{2} 确认，再次提交将替换之前的意见。", form), (
        form
    )
    answer(client, report, "dispute", "补充异议。")
    form = text_of(client.get(f"/progress/reports/{report.id}/feedback"))
    assert "提出异议，再次提交将替换之前的意见。" in form
    # No verdict is chosen beforehand: the supervisor picks one each time.
    assert (
        "checked" not in html_of(client.get(f"/progress/reports/{report.id}/feedback")).split("<form", 2)[-1]
    )


def test_back_after_submitting_shows_the_form_afresh(client, login_as, factory, cycle):
    """The tester's confirmation after Back carried the dispute's comment: the browser showed its own
    copy of the form as filled in. The page is not kept, and the browser does not refill it."""
    report = factory.monthly_report(cycle.item, cycle.this_month)
    login_as(cycle.supervisor)
    page = client.get(f"/progress/reports/{report.id}/feedback")
    assert page.headers["Cache-Control"] == "no-store"
    assert '<form method="post" novalidate autocomplete="off">' in page.get_data(as_text=True)


def test_a_supervisor_assigned_today_owes_no_feedback_on_earlier_months(client, login_as, factory, cycle):
    from supervise.core.dates import shift_month
    from supervise.progress.models import Notification
    from supervise.progress.operations import create_reminders

    newcomer = factory.user("deputy", township=cycle.item.township)
    cycle.item.assignments.append(
        type(cycle.item.assignments[0])(deputy_id=newcomer.deputy_id, item_id=cycle.item.id)
    )
    last_month = shift_month(cycle.this_month, -1)
    factory.monthly_report(cycle.item, last_month, percent=40, done="上月完成路基。")
    factory.monthly_report(cycle.item, cycle.this_month, percent=60, done="本月铺设管网。")
    db.session.commit()
    login_as(newcomer)
    mine = text_of(client.get("/progress/mine"))
    shown = lambda month: f"{month.year} 年 {month.month} 月"  # noqa: E731
    assert shown(cycle.this_month) in mine and shown(last_month) not in mine
    # The supervisor assigned when it entered supervision still owes last month's.
    switch_to(client, login_as, cycle.supervisor)
    assert shown(last_month) in text_of(client.get("/progress/mine"))
    # Reminders follow the same rule: none to the newcomer about last month.
    reminded = create_reminders(today())
    about = {
        (n.user_id, month)
        for n in reminded
        for _k, month, _d, _v in Notification.things_of(n.kind, n.month, n.due_on, n.params)
    }
    assert (newcomer.id, last_month) not in about and (cycle.supervisor.id, last_month) in about
