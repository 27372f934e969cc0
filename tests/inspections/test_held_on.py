"""An inspection's date (活动日期): not later than today (China date), not before 2000 — the same rule
for the page, the API, a draft saved before the rule and the demo data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from supervise.core.clock import today
from supervise.core.errors import DomainError
from supervise.extensions import db
from supervise.inspections import operations
from supervise.inspections.models import Inspection, InspectionMethod, InspectionState
from tests.helpers import text_of

from .test_inspections import form

IMPOSSIBLE = [date(1, 1, 1), date(1999, 12, 31), date(9999, 12, 31)]


@pytest.fixture
def deputy(factory):
    user = factory.user("deputy")
    db.session.commit()
    return user


@pytest.mark.parametrize("day", IMPOSSIBLE + [None])
def test_the_page_refuses_an_impossible_date_and_keeps_the_typing(client, login_as, deputy, day):
    day = day or today() + timedelta(days=1)  # tomorrow in China
    login_as(deputy)
    data = form(held_on=day.isoformat(), participant_ids=[deputy.deputy_id], notes="村民反映路灯不亮。")
    response = client.post("/inspections/new", data=data)
    assert response.status_code == 200
    text = text_of(response)
    assert f"活动日期 {day.isoformat()}" in text and "请改正日期" in text
    assert "村民反映路灯不亮。" in text
    assert db.session.execute(db.select(Inspection)).first() is None


@pytest.mark.parametrize("day", [today(), date(2000, 1, 1)])
def test_today_and_the_first_day_of_2000_are_taken(client, login_as, deputy, day):
    login_as(deputy)
    data = form(held_on=day.isoformat(), participant_ids=[deputy.deputy_id])
    assert client.post("/inspections/new", data=data).status_code == 302
    inspection = db.session.execute(db.select(Inspection)).scalar_one()
    assert inspection.state is InspectionState.filed and inspection.held_on == day


@pytest.mark.parametrize("day", IMPOSSIBLE)
def test_the_operations_refuse_it_and_an_old_draft_with_it_cannot_be_filed(deputy, day):
    fields = {"method": InspectionMethod.tour, "held_on": day, "place": "东河村", "notes": "查看村道。"}
    savepoint = db.session.begin_nested()  # as the page and the API roll a refusal back
    with pytest.raises(DomainError, match=day.isoformat()):
        operations.create_inspection(deputy, fields, [deputy.deputy_id], [])
    savepoint.rollback()
    draft = operations.create_inspection(deputy, {**fields, "held_on": today()}, [deputy.deputy_id], [])
    draft.held_on = day  # as a draft saved before the rule
    db.session.flush()
    assert any(day.isoformat() in text for text in operations.missing_for_filing(draft))
    with pytest.raises(DomainError, match=day.isoformat()):
        operations.file_inspection(deputy, draft)


def test_the_demo_inspections_are_held_on_possible_dates(app):
    from supervise.demo import seed_demo

    seed_demo()
    db.session.commit()
    days = db.session.execute(db.select(Inspection.held_on)).scalars().all()
    assert days and all(operations.held_on_refusal(day) is None for day in days if day)
