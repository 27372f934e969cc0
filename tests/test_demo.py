"""The demo a newcomer sees after `make run`: every screen filled in."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from sqlalchemy import func, select

from supervise.core import clock
from supervise.core.dates import china_date_of, shift_month
from supervise.core.demo_calendar import DemoCalendar
from supervise.demo import seed_demo
from supervise.evaluation.models import EvaluationMeeting, MeetingState
from supervise.extensions import db
from supervise.inspections.models import Inspection, InspectionMethod
from supervise.lists.models import RATEABLE_STATES, Item, ItemEvent, ItemState, Rating
from supervise.meetings.models import ActivityDay, Consultation
from supervise.notices.models import PublicNotice
from supervise.org.models import Office, Township
from supervise.sheets.models import FollowUpSheet, SheetEvent, SheetState
from tests.helpers import clock_at


def _jiangkou() -> Township:
    return db.session.execute(select(Township).where(Township.name == "江口镇")).scalar_one()


def test_the_demo_township_has_items_in_every_state_and_the_seed_road(app):
    seed_demo()
    db.session.commit()
    township = _jiangkou()
    states = set(db.session.execute(select(Item.state).where(Item.township_id == township.id)).scalars())
    assert states == set(ItemState)
    road = db.session.execute(select(Item).where(Item.title == "集镇道路改造提升项目")).scalar_one()
    assert road.planned_funds == 1200
    # Closed by the October evaluation meeting's result, not by a result entered by hand.
    assert road.state is ItemState.closed and road.result is Rating.satisfied and not road.result_is_manual


def test_the_demo_has_sheets_inspections_and_meetings_to_look_at(app):
    seed_demo()
    db.session.commit()
    township = _jiangkou()
    sheet_states = set(
        db.session.execute(
            select(FollowUpSheet.state).where(FollowUpSheet.township_id == township.id)
        ).scalars()
    )
    assert sheet_states == set(SheetState)
    methods = set(
        db.session.execute(select(Inspection.method).where(Inspection.township_id == township.id)).scalars()
    )
    assert methods == set(InspectionMethod)
    meetings = db.session.execute(
        select(EvaluationMeeting.state, func.count())
        .where(EvaluationMeeting.township_id == township.id)
        .group_by(EvaluationMeeting.state)
    ).all()
    states = {state for state, _count in meetings}
    assert MeetingState.closed in states and len(states) >= 2


@pytest.mark.parametrize("months_ahead", [3, 7])
def test_the_demo_tells_the_same_story_whatever_day_it_is_loaded(app, monkeypatch, months_ahead):
    """Loaded months from now (one of them in the first half of a year, when the story's year is
    the last one), every part of the demo agrees: its lists are of the story's year, and nothing it
    tells has happened after today."""
    day = shift_month(clock.today(), months_ahead).replace(day=2)
    clock_at(monkeypatch, day)
    calendar = DemoCalendar(day)
    seed_demo()
    db.session.commit()
    township = _jiangkou()
    items = db.session.execute(select(Item).where(Item.township_id == township.id)).scalars().all()
    assert {item.state for item in items} == set(ItemState)
    assert {item.supervision_list.year for item in items} == {
        calendar.year - 1,
        calendar.year,
        calendar.year + 1,
    }
    road = next(item for item in items if item.title == "集镇道路改造提升项目")
    assert road.state is ItemState.closed and road.result is Rating.satisfied
    held = [c.held_on for c in db.session.execute(select(Consultation)).scalars()]
    held += [a.held_on for a in db.session.execute(select(ActivityDay)).scalars()]
    held += [i.held_on for i in db.session.execute(select(Inspection)).scalars()]
    meetings = db.session.execute(select(EvaluationMeeting)).scalars().all()
    held += [m.held_on for m in meetings if m.state is MeetingState.closed]
    assert held and max(held) <= day
    assert {m.year for m in meetings} == {calendar.year}
    published = db.session.execute(select(PublicNotice.published_at)).scalars().all()
    assert published and max(published) <= datetime.combine(day, time(2, 0))


def test_the_demos_notices_are_numbered_and_one_item_spans_years(app):
    seed_demo()
    db.session.commit()
    township = _jiangkou()
    notices = (
        db.session.execute(
            select(PublicNotice).where(PublicNotice.township_id == township.id).order_by(PublicNotice.id)
        )
        .scalars()
        .all()
    )
    # Two months published and one of them corrected: numbered in order of publication, per year.
    assert len(notices) == 3 and any(n.corrects_id for n in notices)
    by_year: dict[int, list[int]] = {}
    for notice in notices:
        assert notice.document_number == f"江口人大公〔{notice.year}〕{notice.number}号"
        by_year.setdefault(notice.year, []).append(notice.number)
    assert all(numbers == list(range(1, len(numbers) + 1)) for numbers in by_year.values())
    spanning = db.session.execute(
        select(Item).where(Item.township_id == township.id, Item.end_year.is_not(None))
    ).scalars()
    assert any(item.title == "集镇污水处理站提标改造" for item in spanning)


def test_the_demo_deputy_has_an_answer_to_judge_and_the_office_hears_of_a_dissatisfied_one(app):
    from supervise.accounts.models import User
    from supervise.lists.todo import answers_to_judge
    from supervise.progress.models import Notification
    from tests.helpers import text_of

    seed_demo()
    db.session.commit()
    deputy = db.session.execute(select(User).where(User.username == "deputy")).scalar_one()
    [waiting] = answers_to_judge(deputy.deputy_id)
    assert waiting.title == "关于在集镇增设公共厕所的建议"
    # The other suggestion was found unsatisfactory: its lead office and the presidium were told.
    told = db.session.execute(
        select(User.username)
        .join(Notification, Notification.user_id == User.id)
        .where(Notification.kind == "answer_dissatisfied")
    ).scalars()
    assert {"chair", "gov"} <= set(told) and "deputy" not in set(told)

    client = app.test_client()
    assert client.post("/login", data={"username": "deputy", "password": "supervise-demo"}).status_code == 302
    assert waiting.title in text_of(client.get("/"))
    page = client.get(f"/items/{waiting.id}/opinion")
    assert page.status_code == 200 and "您对答复的意见" in text_of(page)
    response = client.post(
        f"/items/{waiting.id}/opinion", data={"opinion": "satisfied", "comment": "选址合理。"}
    )
    assert response.status_code == 302 and answers_to_judge(deputy.deputy_id) == []


def test_the_demos_upcoming_meeting_rates_the_verified_item_not_the_one_carried_over(app):
    seed_demo()
    db.session.commit()
    upcoming = db.session.execute(
        select(EvaluationMeeting).where(
            EvaluationMeeting.township_id == _jiangkou().id, EvaluationMeeting.state != MeetingState.closed
        )
    ).scalar_one()
    rated = [line.item for line in upcoming.lines if line.item is not None]
    titles = {item.title for item in rated}
    assert "便民服务中心适老化改造" in titles  # verified since October: the home page's 待测评销号
    assert "集镇农贸市场规范管理" not in titles  # carried over into next year: no result can be recorded
    assert all(item.state in RATEABLE_STATES for item in rated)


def test_the_demos_histories_carry_the_storys_dates_and_its_offices_ankang_numbers(app):
    seed_demo()
    db.session.commit()
    today = clock.today()
    township = _jiangkou()
    steps = db.session.execute(select(SheetEvent)).scalars().all()
    assert steps and all(step.at.date() < today for step in steps), "a sheet's history on the seeding day"
    # The items' timelines show each step of a sheet on the day its history does.
    on_sheets = {(step.sheet_id, f"sheet_{step.action}", step.at) for step in steps}
    sheet_steps = select(ItemEvent).where(ItemEvent.action.startswith("sheet_"))
    on_items = [
        (event.details["sheet_id"], event.action, event.at)
        for event in db.session.execute(sheet_steps).scalars()
    ]
    assert on_items and all(step in on_sheets for step in on_items)
    for sheet in db.session.execute(select(FollowUpSheet)).scalars():
        assert sheet.created_at.date() < today
        assert sheet.issued_at is None or sheet.issued_at == max(
            s.at for s in steps if s.sheet_id == sheet.id and s.action == "issue"
        )
    # A suggestion is entered on the day it was handed over to its office.
    for suggestion in db.session.execute(
        select(Item).where(Item.township_id == township.id, Item.handed_over_on.isnot(None))
    ).scalars():
        entered = next(event for event in suggestion.events if event.action == "create")
        assert china_date_of(entered.at) == suggestion.handed_over_on, suggestion.title
    # 宁陕县 is in 安康: its offices' numbers start with 0915.
    phones = db.session.execute(select(Office.contact_phone).where(Office.contact_phone != "")).scalars()
    phones = list(phones)
    assert phones and all(phone.startswith("0915-") for phone in phones), phones
