"""Inspections (监督活动): deputies' visits, their findings (问题/建议) and the photos taken."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import utcnow
from ..core.enums import N_, LabeledEnum, enum_column_type
from ..core.history import append_only
from ..core.permissions import Role
from ..core.tables import link_table
from ..extensions import db
from ..lists.models import Item
from ..org.models import Deputy, DeputyGroup, LiaisonStation, Township
from ..uploads.models import register_owner


class InspectionMethod(LabeledEnum):
    """The three methods of a supervision activity (监督活动)."""

    tour = ("tour", N_("巡回式视察调研"), "primary")
    unannounced = ("unannounced", N_("拉网式明察暗访"), "warning")
    questionnaire = ("questionnaire", N_("问卷式走访座谈"), "info")


class InspectionState(LabeledEnum):
    """A draft is its author's alone; a filed inspection is read by the township."""

    draft = ("draft", N_("草稿"), "secondary")
    filed = ("filed", N_("已提交"), "success")


inspection_participant = link_table("inspection_participant", "inspection", "deputy", index_other=True)

finding_item = link_table("finding_item", "finding", "item", index_other=True)

# Who reads inspections: the township's deputies and presidium, and the county above. Government
# offices get the findings that concern them through follow-up sheets.
READER_ROLES = (Role.deputy, Role.presidium, Role.county, Role.admin)
AUTHOR_ROLES = (Role.deputy, Role.presidium)


class Inspection(db.Model):
    """One visit. A draft is its author's alone; a filed inspection is read-only (notes are appended)."""

    __table_args__ = (
        CheckConstraint(
            "state = 'draft' OR (held_on IS NOT NULL AND filed_at IS NOT NULL)", name="filed_is_dated"
        ),
        CheckConstraint("residents_visited IS NULL OR residents_visited >= 0", name="residents_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    method: Mapped[InspectionMethod] = mapped_column(enum_column_type(InspectionMethod, "inspection_method"))
    state: Mapped[InspectionState] = mapped_column(
        enum_column_type(InspectionState, "inspection_state"), default=InspectionState.draft, index=True
    )
    held_on: Mapped[date | None]
    place: Mapped[str] = mapped_column(String(200), default="")
    station_id: Mapped[int | None] = mapped_column(ForeignKey("liaison_station.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("deputy_group.id"))
    notes: Mapped[str] = mapped_column(Text, default="")
    # A questionnaire visit (问卷式走访座谈): how many residents were visited and what they said.
    residents_visited: Mapped[int | None]
    residents_summary: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    filed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    township: Mapped[Township] = relationship()
    station: Mapped[LiaisonStation | None] = relationship()
    group: Mapped[DeputyGroup | None] = relationship()
    author = relationship("User")
    participants: Mapped[list[Deputy]] = relationship(secondary=inspection_participant, order_by=Deputy.name)
    findings: Mapped[list[Finding]] = relationship(
        back_populates="inspection", order_by="Finding.position", cascade="all, delete-orphan"
    )
    appended_notes: Mapped[list[InspectionNote]] = relationship(
        back_populates="inspection", order_by="InspectionNote.id", passive_deletes="all"
    )

    @property
    def is_draft(self) -> bool:
        return self.state is InspectionState.draft

    @property
    def title(self) -> str:
        where = self.place or (self.station.name if self.station else "")
        return f"{self.held_on or ''} {self.method.label} {where}".strip()

    def is_visible_to(self, user) -> bool:
        if user is None or not user.is_authenticated or user.role not in READER_ROLES:
            return False
        if not user.can_see_township(self.township_id):
            return False
        return not self.is_draft or self.author_id == user.id

    def can_edit(self, user) -> bool:
        """Only the author edits, and only while it is a draft."""
        return self.is_draft and user.is_authenticated and self.author_id == user.id

    def can_add_note(self, user) -> bool:
        """Corrections to a filed inspection: its author, a deputy who took part, or the presidium."""
        if self.is_draft or not self.is_visible_to(user):
            return False
        if user.id == self.author_id:
            return True
        if user.is_presidium_of(self.township_id):
            return True
        return user.role is Role.deputy and user.deputy_id in {d.id for d in self.participants}

    def __str__(self) -> str:
        return self.title


class Finding(db.Model):
    """A problem or suggestion found (问题/建议), with the items it concerns and its photos."""

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)

    inspection: Mapped[Inspection] = relationship(back_populates="findings")
    items: Mapped[list[Item]] = relationship(secondary=finding_item, order_by=Item.code)


class InspectionNote(db.Model):
    """A note appended to a filed inspection (corrections never overwrite it). Append-only."""

    __tablename__ = "inspection_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    text: Mapped[str] = mapped_column(Text)

    inspection: Mapped[Inspection] = relationship(back_populates="appended_notes")
    author = relationship("User")


append_only(InspectionNote, message="inspection notes are append-only")


def _can_view_finding_files(finding_id: int, user) -> bool:
    """A finding's photos: whoever reads its inspection (sheets add whoever reads a sheet citing it)."""
    finding = db.session.get(Finding, finding_id)
    return finding is not None and finding.inspection.is_visible_to(user)


register_owner("finding", _can_view_finding_files)
