"""Supervision meetings: consultations (会商) and liaison-station activity days (活动日座谈会)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import utcnow
from ..core.tables import link_table
from ..extensions import db
from ..lists.models import Item
from ..org.models import LiaisonStation, Office, Township

consultation_item = link_table("consultation_item", "consultation", "item", index_other=True)

consultation_office = link_table("consultation_office", "consultation", "office")

activity_day_item = link_table("activity_day_item", "activity_day", "item", index_other=True)

activity_day_office = link_table("activity_day_office", "activity_day", "office")


class Consultation(db.Model):
    """A consultation (会商): the chair meets government leaders and offices on hard items.

    Opening it puts its items into consulting; concluding it records the agreed measures (and a
    new deadline, if agreed) and returns them to supervising.
    """

    __table_args__ = (
        CheckConstraint("concluded_at IS NULL OR measures <> ''", name="concluded_has_measures"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    held_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(200), default="")
    # Government leaders and others by name; the offices taking part are linked below.
    attendees: Mapped[str] = mapped_column(Text, default="")
    measures: Mapped[str] = mapped_column(Text, default="")
    new_deadline: Mapped[date | None]
    conclusion: Mapped[str] = mapped_column(Text, default="")
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    concluded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    concluded_at: Mapped[datetime | None]

    township: Mapped[Township] = relationship()
    items: Mapped[list[Item]] = relationship(secondary=consultation_item, order_by=Item.code)
    offices: Mapped[list[Office]] = relationship(secondary=consultation_office, order_by=Office.name)
    opened_by = relationship("User", foreign_keys=[opened_by_id])
    concluded_by = relationship("User", foreign_keys=[concluded_by_id])

    @property
    def is_open(self) -> bool:
        return self.concluded_at is None

    def can_conclude(self, user) -> bool:
        return self.is_open and user.is_presidium_of(self.township_id)

    def __str__(self) -> str:
        return f"{self.held_on.isoformat()} {self.place}".strip()


class ActivityDay(db.Model):
    """A liaison station's activity day (活动日座谈会): offices report on items; minutes are kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("liaison_station.id"), index=True)
    held_on: Mapped[date]
    minutes: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    township: Mapped[Township] = relationship()
    station: Mapped[LiaisonStation] = relationship()
    items: Mapped[list[Item]] = relationship(secondary=activity_day_item, order_by=Item.code)
    offices: Mapped[list[Office]] = relationship(secondary=activity_day_office, order_by=Office.name)
    recorded_by = relationship("User")

    def __str__(self) -> str:
        return f"{self.held_on.isoformat()} {self.station.name}"
