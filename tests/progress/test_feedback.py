"""Supervisors' feedback: only the item's supervisors, a dispute needs a comment and flags the item
for the presidium until a corrected report is confirmed; no progress for two months flags it too."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from supervise.core.dates import shift_month
from supervise.extensions import db
from supervise.lists.models import ItemEvent
from supervise.progress.models import FeedbackVerdict, ReportFeedback
from tests.helpers import text_of

from .conftest import month_arg


def feedback_rows():
    return db.session.execute(select(ReportFeedback).order_by(ReportFeedback.id)).scalars().all()


def test_the_supervisor_confirms(client, login_as, factory, cycle):
    report = factory.monthly_report(cycle.item, cycle.this_month, percent=40)
    login_as(cycle.supervisor)
    page = client.get("/progress/mine")
    assert f'id="waiting-{report.id}"' in page.get_data(as_text=True)
    response = client.post(f"/progress/reports/{report.id}/feedback", data={"verdict": "confirm"})
    assert response.status_code == 302
    [feedback] = feedback_rows()
    assert (feedback.verdict, feedback.deputy_id) == (FeedbackVerdict.confirm, cycle.supervisor.deputy_id)
    assert f'id="waiting-{report.id}"' not in client.get("/progress/mine").get_data(as_text=True)
    events = db.session.execute(select(ItemEvent.action).where(ItemEvent.item_id == cycle.item.id)).scalars()
    assert "report_confirm" in list(events)


@pytest.mark.parametrize("who", ["another deputy", "a former supervisor", "the clerk", "the chair"])
def test_only_the_items_supervisors_give_feedback(client, login_as, factory, cycle, who):
    from supervise.core.clock import utcnow
    from supervise.lists.models import SupervisorAssignment

    report = factory.monthly_report(cycle.item, cycle.this_month)
    if who == "a former supervisor":
        user = factory.user("deputy")
        db.session.add(
            SupervisorAssignment(item_id=cycle.item.id, deputy_id=user.deputy_id, ended_at=utcnow())
        )
    else:
        user = {
            "another deputy": lambda: factory.user("deputy"),
            "the clerk": lambda: cycle.clerk,
            "the chair": lambda: cycle.chair,
        }[who]()
    login_as(user)
    assert client.get(f"/progress/reports/{report.id}/feedback").status_code == 403
    assert (
        client.post(f"/progress/reports/{report.id}/feedback", data={"verdict": "confirm"}).status_code == 403
    )
    assert feedback_rows() == []


@pytest.mark.parametrize(
    "data,message",
    [
        ({"verdict": "dispute", "comment": "  "}, "提出异议须填写意见"),
        ({}, "请选择确认或有异议"),
        ({"verdict": "maybe"}, "不是有效的选择"),
        ({"verdict": "dispute", "comment": "异" * 2001}, "不能超过 2000 字"),
    ],
)
def test_bad_feedback_is_refused_with_a_message(client, login_as, factory, cycle, data, message):
    report = factory.monthly_report(cycle.item, cycle.this_month)
    login_as(cycle.supervisor)
    response = client.post(f"/progress/reports/{report.id}/feedback", data=data)
    assert response.status_code == 422
    assert message in text_of(response)
    assert feedback_rows() == []


def test_a_dispute_flags_the_item_until_a_correction_is_confirmed(client, app, login_as, factory, cycle):
    report = factory.monthly_report(cycle.item, cycle.this_month, percent=80)
    login_as(cycle.supervisor)
    disputed = client.post(
        f"/progress/reports/{report.id}/feedback",
        data={"verdict": "dispute", "comment": "现场只完成了一半，80% 不属实"},
    )
    assert disputed.status_code == 302

    chair = app.test_client()
    chair.post("/login", data={"username": cycle.chair.username, "password": factory.PASSWORD})
    escalation = text_of(chair.get("/escalation"))
    assert "监督员对月报有异议" in escalation and cycle.item.code in escalation

    clerk = app.test_client()
    clerk.post("/login", data={"username": cycle.clerk.username, "password": factory.PASSWORD})
    corrected = clerk.post(
        f"/progress/items/{cycle.item.id}/report?month={month_arg(cycle.this_month)}",
        data={"percent": "50", "done": "完成一半", "correction_reason": "按监督员意见核实更正"},
    )
    assert corrected.status_code == 302
    # A correction alone settles nothing: the item stays flagged until the supervisor confirms it.
    escalation = text_of(chair.get("/escalation"))
    assert "监督员对月报有异议" in escalation and cycle.item.code in escalation
    # The old version can no longer be answered; the new one can.
    stale = client.post(f"/progress/reports/{report.id}/feedback", data={"verdict": "confirm"})
    assert stale.status_code == 409 and "最新版本" in text_of(stale)
    from supervise.progress.queries import current_reports

    newest = current_reports([cycle.item.id], cycle.this_month)[cycle.item.id]
    assert newest.version == 2
    assert (
        client.post(f"/progress/reports/{newest.id}/feedback", data={"verdict": "confirm"}).status_code == 302
    )
    assert "监督员对月报有异议" not in text_of(chair.get("/escalation"))
    item_page = text_of(chair.get(f"/items/{cycle.item.id}"))
    assert "现场只完成了一半" in item_page and "监督员对月报有异议" in item_page  # history and timeline


def _verdicts(factory, report, *given):
    for deputy_id, verdict in given:
        db.session.add(
            ReportFeedback(
                report_id=report.id,
                deputy_id=deputy_id,
                verdict=FeedbackVerdict(verdict),
                comment="不属实" if verdict == "dispute" else "",
            )
        )
        db.session.flush()


@pytest.mark.parametrize(
    "on_first,on_second,disputed",
    [
        ([("a", "dispute"), ("b", "confirm")], [], True),  # corrected, nobody has looked yet
        ([("a", "dispute"), ("b", "confirm")], [("b", "confirm")], True),  # not the one who disputed
        ([("a", "dispute"), ("b", "confirm")], [("a", "confirm")], False),
        ([("a", "dispute"), ("b", "dispute")], [("a", "confirm")], True),  # b still waits
        ([("a", "dispute"), ("b", "dispute")], [("a", "confirm"), ("b", "confirm")], False),
        ([("a", "confirm")], [("a", "dispute")], True),  # the correction itself is disputed
        ([("a", "dispute"), ("a", "confirm")], [], False),  # withdrawn on the same version
        ([("a", "confirm"), ("b", "confirm")], [], False),
    ],
)
def test_a_month_stays_disputed_until_each_disputing_supervisor_confirms_a_newer_version(
    factory, cycle, on_first, on_second, disputed
):
    from supervise.core.clock import today
    from supervise.lists.models import Item, SupervisorAssignment
    from supervise.progress.queries import progress_flags

    second = factory.user("deputy", township=cycle.item.township)
    db.session.add(SupervisorAssignment(item_id=cycle.item.id, deputy_id=second.deputy_id))
    who = {"a": cycle.supervisor.deputy_id, "b": second.deputy_id}
    first = factory.monthly_report(cycle.item, cycle.this_month, percent=80)
    _verdicts(factory, first, *[(who[d], v) for d, v in on_first])
    corrected = factory.monthly_report(cycle.item, cycle.this_month, percent=50, version=2)
    _verdicts(factory, corrected, *[(who[d], v) for d, v in on_second])
    found, _stalled = progress_flags(Item.id == cycle.item.id, today())
    assert (cycle.item.id in found) is disputed


def test_two_months_running_without_progress_is_an_escalation_reason(client, login_as, factory, cycle):
    stalled = cycle.item
    moving = cycle.item_like(title="在推进的事项")
    for back, (a, b) in zip((2, 1, 0), ((30, 30), (30, 45), (30, 60)), strict=True):
        month = shift_month(cycle.this_month, -back)
        factory.monthly_report(stalled, month, percent=a)
        factory.monthly_report(moving, month, percent=b)
    login_as(cycle.chair)
    page = client.get("/escalation").get_data(as_text=True)
    assert f'id="candidate-{stalled.id}"' in page
    assert f'id="candidate-{moving.id}"' not in page
    assert "连续两个月无进展" in text_of(client.get("/escalation"))


@pytest.mark.parametrize(
    "percents,stalled",
    [
        ((30, 30, 30), True),
        ((30, 30, 31), False),
        ((30, 31, 31), False),
        ((50, 40, 40), True),
        ((100, 100, 100), False),
        ((30, 30), False),  # nothing before the first to compare with
        ((None, None), True),  # owed and never reported
        ((30, None, None), True),
        ((30, None, 30), True),
        ((30, None, 35), False),
        ((None, 30), False),
        ((30, 40, None), False),  # one month without progress is not two
        ((None,), False),
    ],
)
def test_no_progress_rule(percents, stalled):
    from datetime import date

    from supervise.progress.queries import _two_months_without_progress

    months = [date(2026, 9 + i, 1) for i in range(len(percents))]
    reported = {m: p for m, p in zip(months, percents, strict=True) if p is not None}
    assert _two_months_without_progress(months, reported) is stalled


# (day of this month, {months back: percent}, stalled): the item entered supervision on the 1st three
# months ago; the township's due day is the 25th unless given.
@pytest.mark.parametrize(
    "day,reports,stalled,due_day",
    [
        (3, {}, True, 25),  # never reported at all
        (3, {2: 30, 1: 40}, False, 25),
        (3, {3: 30, 2: 30}, True, 25),  # then nothing last month
        (3, {3: 30, 2: 40}, False, 25),  # last month is missing, the month before moved on
        (3, {3: 30, 2: 40, 1: 40}, False, 25),  # this month is not due yet: one still month
        (28, {3: 30, 2: 40, 1: 40}, True, 25),  # … and now this month is missing too
        (20, {3: 30, 2: 40, 1: 40}, False, 25),
        (20, {3: 30, 2: 40, 1: 40}, True, 10),  # a township whose reports are due on the 10th
        (20, {2: 40, 1: 40, 0: 40}, True, 25),  # reported early this month, still 40
        (28, {3: 10, 2: 20, 1: 30, 0: 100}, False, 25),
        (1, {3: 10, 2: 10}, True, 25),  # last month's due day passed yesterday
    ],
)
def test_months_without_a_report_count_as_no_progress(factory, cycle, day, reports, stalled, due_day):
    from supervise.lists.models import Item
    from supervise.progress.queries import progress_flags

    cycle.item.township.report_due_day = due_day
    for back, percent in reports.items():
        factory.monthly_report(cycle.item, shift_month(cycle.this_month, -back), percent=percent)
    db.session.flush()
    _disputed, found = progress_flags(Item.id == cycle.item.id, cycle.this_month.replace(day=day))
    assert (cycle.item.id in found) is stalled


def test_an_item_no_longer_under_supervision_is_not_stalled(factory, cycle):
    from supervise.lists.models import Item
    from supervise.progress.queries import progress_flags

    done = factory.supervised_item(shift_month(cycle.this_month, -3), left=shift_month(cycle.this_month, -1))
    _disputed, found = progress_flags(Item.id == done.id, cycle.this_month.replace(day=28))
    assert found == set()


def _end_supervision(item, state: str) -> None:
    """The item leaves supervision for an ended state, as its CHECK constraints require."""
    from supervise.lists.models import ItemState, Rating

    item.state = ItemState(state)
    if state == "withdrawn":
        item.withdrawn_reason = "已由县里统一实施。"
    if state == "closed":
        item.result = Rating.satisfied
    db.session.commit()


@pytest.mark.parametrize("state", ["withdrawn", "carried_over", "closed"])
def test_an_ended_items_reports_take_no_more_feedback(client, login_as, factory, cycle, state):
    report = factory.monthly_report(cycle.item, shift_month(cycle.this_month, -1), percent=60)
    _end_supervision(cycle.item, state)
    login_as(cycle.supervisor)
    label = cycle.item.state.label
    message = f"事项处于“{label}”状态，监督已结束，不再接受对月报的反馈。"

    refused = client.post(f"/progress/reports/{report.id}/feedback", data={"verdict": "confirm"})
    assert refused.status_code == 409 and message in text_of(refused)
    assert feedback_rows() == []
    page = client.get(f"/progress/reports/{report.id}/feedback")
    assert message in text_of(page) and 'name="verdict"' not in page.get_data(as_text=True)
    # Nothing offers it any more: not the supervisor's list, nor the item page's button.
    assert f'id="waiting-{report.id}"' not in client.get("/progress/mine").get_data(as_text=True)
    item_page = client.get(f"/items/{cycle.item.id}").get_data(as_text=True)
    assert f'id="report-{report.id}"' in item_page
    assert f"/progress/reports/{report.id}/feedback" not in item_page


def test_a_withdrawn_items_supervisor_is_not_reminded_of_feedback(factory, cycle):
    from supervise.lists import operations as item_ops
    from supervise.progress.operations import create_reminders

    factory.monthly_report(cycle.item, shift_month(cycle.this_month, -1), submitted_on=cycle.this_month)
    item_ops.fire(cycle.chair, cycle.item, "withdraw", reason="已由县里统一实施。")
    db.session.commit()
    reminded = [n for n in create_reminders() if n.user_id == cycle.supervisor.id]
    assert [n.kind for n in reminded if n.kind.startswith("feedback_")] == []
