"""The published results of an evaluation meeting (公示): a frozen snapshot the public board reads.

Copied once from a closed meeting (publishing.publish_results), never read from live data again and
never changed. Nothing here refers to the meeting's ballots, roster or deputies: what the public
pages load cannot reach them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import utcnow
from ..core.history import HistoryIsAppendOnly, append_only
from ..extensions import db
from ..org.models import Township


class PublishedResult(db.Model):
    """A meeting's results as published on the public board (公示): a frozen snapshot, copied once,
    never read from live data again, never changed."""

    __tablename__ = "evaluation_published_result"
    # Residents tell a township's published results apart by their titles.
    __table_args__ = (UniqueConstraint("township_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("evaluation_meeting.id"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(200), default="")
    roster: Mapped[int]
    present: Mapped[int]
    ballots: Mapped[int]
    rule_text: Mapped[str] = mapped_column(Text, default="")
    issuer: Mapped[str] = mapped_column(String(100), default="")
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    township: Mapped[Township] = relationship()
    lines: Mapped[list[PublishedResultLine]] = relationship(
        back_populates="result", order_by="PublishedResultLine.position", passive_deletes="all"
    )


class PublishedResultLine(db.Model):
    """One rated line's result as published: counts, rate and grade, copied as text and numbers."""

    __tablename__ = "evaluation_published_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("evaluation_published_result.id"), index=True)
    position: Mapped[int]
    is_office: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str] = mapped_column(String(200))
    subtitle: Mapped[str] = mapped_column(String(200), default="")
    satisfied: Mapped[int]
    basic: Mapped[int]
    dissatisfied: Mapped[int]
    invalid: Mapped[int]
    rate: Mapped[str] = mapped_column(String(10))
    grade: Mapped[str] = mapped_column(String(20), default="")

    result: Mapped[PublishedResult] = relationship(back_populates="lines")

    # In SQL too (statistics/ sums them over many lines): what the satisfaction rate divides.
    @hybrid_property
    def satisfied_or_basic(self) -> int:
        return self.satisfied + self.basic

    @hybrid_property
    def valid(self) -> int:
        return self.satisfied + self.basic + self.dissatisfied


class PublishedResultIsFrozen(HistoryIsAppendOnly):
    """A published result (or one of its lines) was about to be changed or deleted."""


append_only(
    PublishedResult,
    PublishedResultLine,
    message="published results never change and are never deleted",
    error=PublishedResultIsFrozen,
)
