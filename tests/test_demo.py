"""The demo a newcomer sees after `make run`: every screen filled in."""

from __future__ import annotations

from sqlalchemy import func, select

from supervise.demo import seed_demo
from supervise.evaluation.models import EvaluationMeeting, MeetingState
from supervise.extensions import db
from supervise.inspections.models import Inspection, InspectionMethod
from supervise.lists.models import Item, ItemState, Rating
from supervise.org.models import Township
from supervise.sheets.models import FollowUpSheet, SheetState


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
