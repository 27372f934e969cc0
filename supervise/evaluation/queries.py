"""Read-only queries for the evaluation pages: each page's rows in a fixed, small number of queries."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..lists.models import RATEABLE_STATES, Item, SupervisionList
from .models import Attendance, EvaluationMeeting, RatedLine


def visible_meetings(user):
    return (
        select(EvaluationMeeting)
        .where(user.visible_township_filter(EvaluationMeeting.township_id))
        .options(joinedload(EvaluationMeeting.township))
        .order_by(EvaluationMeeting.held_on.desc(), EvaluationMeeting.id.desc())
    )


def meeting_sizes(meeting_ids: list[int]) -> dict[int, tuple[int, int, int]]:
    """{meeting id: (rated lines, roster, present)} in two queries."""
    if not meeting_ids:
        return {}
    lines = dict(
        db.session.execute(
            select(RatedLine.meeting_id, func.count())
            .where(RatedLine.meeting_id.in_(meeting_ids))
            .group_by(RatedLine.meeting_id)
        ).all()
    )
    roster = {
        meeting_id: (count, present)
        for meeting_id, count, present in db.session.execute(
            select(Attendance.meeting_id, func.count(), func.count().filter(Attendance.present.is_(True)))
            .where(Attendance.meeting_id.in_(meeting_ids))
            .group_by(Attendance.meeting_id)
        )
    }
    return {m: (lines.get(m, 0), *roster.get(m, (0, 0))) for m in meeting_ids}


def item_candidates(meeting: EvaluationMeeting, search: str, limit: int = 30) -> list[Item]:
    """The township's items of any year, in an open state and not rated yet, whose title or code has
    ``search`` in it (e.g. an item rated dissatisfied last time, to be re-rated)."""
    search = search.strip()
    if not search:
        return []
    rated = select(RatedLine.item_id).where(
        RatedLine.meeting_id == meeting.id, RatedLine.item_id.is_not(None)
    )
    pattern = f"%{search}%"
    return list(
        db.session.execute(
            select(Item)
            .join(SupervisionList, SupervisionList.id == Item.list_id)
            .where(
                Item.township_id == meeting.township_id,
                Item.state.in_(RATEABLE_STATES),
                Item.id.not_in(rated),
                or_(Item.title.like(pattern), Item.code.like(pattern)),
            )
            .options(joinedload(Item.lead_office), joinedload(Item.supervision_list))
            .order_by(SupervisionList.year.desc(), Item.code)
            .limit(limit)
        ).scalars()
    )


def load_lines(meeting: EvaluationMeeting) -> None:
    """Load the meeting's rated lines with their items in one more query: pages that show every
    line (results, projection) then cost the same however many lines there are."""
    db.session.execute(
        select(EvaluationMeeting)
        .where(EvaluationMeeting.id == meeting.id)
        .options(selectinload(EvaluationMeeting.lines.of_type(RatedLine)).joinedload(RatedLine.item))
        .execution_options(populate_existing=True)
    ).scalar_one()
