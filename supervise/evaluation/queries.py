"""Read-only queries for the evaluation pages: each page's rows in a fixed, small number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..lists.models import RATEABLE_STATES, Item, SupervisionList
from ..org.models import Deputy, LiaisonStation
from .models import Attendance, EvaluationMeeting, PaperEntry, PaperSerial, RatedLine, SerialState


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


def roster_rows(meeting: EvaluationMeeting, search: str = "") -> list[Attendance]:
    """The roster with each deputy and station, filtered by a name or station fragment."""
    query = (
        select(Attendance)
        .join(Deputy, Deputy.id == Attendance.deputy_id)
        .outerjoin(LiaisonStation, LiaisonStation.id == Deputy.station_id)
        .where(Attendance.meeting_id == meeting.id)
        .options(joinedload(Attendance.deputy).joinedload(Deputy.station))
        .order_by(LiaisonStation.name.is_(None), LiaisonStation.name, Deputy.name)
    )
    search = search.strip()
    if search:
        pattern = f"%{search}%"
        query = query.where(or_(Deputy.name.like(pattern), LiaisonStation.name.like(pattern)))
    return list(db.session.execute(query).scalars())


def uncalled_count(meeting_id: int) -> int:
    """Roster deputies not yet marked present or absent."""
    return db.session.execute(
        select(func.count()).where(Attendance.meeting_id == meeting_id, Attendance.present.is_(None))
    ).scalar_one()


@dataclass(frozen=True)
class PaperProgress:
    printed: int
    issued: int
    returned: int
    not_returned: int
    # Sheets re-entered by a second clerk, whether or not the re-entry agreed.
    rechecked: int
    spoiled: int = 0

    @property
    def handed_out(self) -> int:
        return self.issued + self.returned + self.not_returned


def paper_progress(meeting_id: int) -> PaperProgress:
    states = dict(
        db.session.execute(
            select(PaperSerial.state, func.count())
            .where(PaperSerial.meeting_id == meeting_id)
            .group_by(PaperSerial.state)
        ).all()
    )
    rechecked = db.session.execute(
        select(func.count(func.distinct(PaperEntry.serial))).where(
            PaperEntry.meeting_id == meeting_id, PaperEntry.is_first.is_(False)
        )
    ).scalar_one()
    return PaperProgress(
        printed=states.get(SerialState.printed, 0),
        issued=states.get(SerialState.issued, 0),
        returned=states.get(SerialState.returned, 0),
        not_returned=states.get(SerialState.not_returned, 0),
        rechecked=rechecked,
        spoiled=states.get(SerialState.spoiled, 0),
    )


def serial_list(meeting_id: int, state: SerialState) -> list[int]:
    return list(
        db.session.execute(
            select(PaperSerial.serial)
            .where(PaperSerial.meeting_id == meeting_id, PaperSerial.state == state)
            .order_by(PaperSerial.serial)
        ).scalars()
    )


def entries_of(meeting_id: int, serial: int) -> list[PaperEntry]:
    return list(
        db.session.execute(
            select(PaperEntry)
            .where(PaperEntry.meeting_id == meeting_id, PaperEntry.serial == serial)
            .options(joinedload(PaperEntry.entered_by))
            .order_by(PaperEntry.id)
        ).scalars()
    )


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
        .options(selectinload(EvaluationMeeting.lines).joinedload(RatedLine.item))
        .execution_options(populate_existing=True)
    ).scalar_one()
