"""What the hall's pages read: the roster, the paper sheets' progress, serials and entries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..org.models import Deputy, LiaisonStation
from .models import Attendance, Meeting, PaperEntry, PaperSerial, SerialState


def roster_rows(meeting: Meeting, search: str = "") -> list[Attendance]:
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


def unchecked_serials(meeting_id: int) -> list[int]:
    """Returned sheets entered once only: no second clerk's entry has checked them yet."""
    checked = select(PaperEntry.serial).where(
        PaperEntry.meeting_id == meeting_id, PaperEntry.is_first.is_(False)
    )
    return list(
        db.session.execute(
            select(PaperSerial.serial)
            .where(
                PaperSerial.meeting_id == meeting_id,
                PaperSerial.state == SerialState.returned,
                PaperSerial.serial.not_in(checked),
            )
            .order_by(PaperSerial.serial)
        ).scalars()
    )
