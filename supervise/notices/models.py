"""Public notices (公示): frozen monthly snapshots the presidium publishes; residents' opinions (群众意见)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import utcnow
from ..core.dates import china_date_of, reader_month
from ..core.enums import N_, LabeledEnum, enum_column_type
from ..core.history import HistoryIsAppendOnly, append_only
from ..core.pdf import StoredPdf
from ..extensions import db
from ..org.models import Township
from ..progress.status import ProgressStatus


class NoticeIsFrozen(HistoryIsAppendOnly):
    """A published notice (or one of its lines) was about to be changed or deleted."""


class PublicNotice(db.Model):
    """A published monthly notice (公示) of one township. Never changed after publication: a
    correction is a new notice whose ``corrects_id`` names the one it corrects."""

    __tablename__ = "public_notice"
    __table_args__ = (
        CheckConstraint("corrects_id IS NULL OR correction_reason <> ''", name="correction_has_reason"),
        # One original notice per township and month (two chairs publishing at once: one wins);
        # each further notice of the month corrects one before it (corrects_id is unique).
        Index(
            "uq_public_notice_original",
            "township_id",
            "month",
            unique=True,
            sqlite_where=text("corrects_id IS NULL"),
            postgresql_where=text("corrects_id IS NULL"),
        ),
        # Its number (文号) counts from 1 per township and year of publication, corrections included.
        UniqueConstraint("township_id", "year", "number", name="uq_public_notice_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    month: Mapped[date]  # the first day of the month the notice reports on
    title: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # The signature line printed under the notice (the presidium, by name of the township).
    issuer: Mapped[str] = mapped_column(String(100), default="")
    # A notice is corrected at most once; a correction can itself be corrected.
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("public_notice.id"), unique=True)
    correction_reason: Mapped[str] = mapped_column(Text, default="")
    # The number given on publication (operations._publish) and the document number printed with it,
    # frozen like the rest (a later change of the township's prefix does not renumber it). Notices
    # published before numbering have none.
    year: Mapped[int | None]
    number: Mapped[int | None]
    document_number: Mapped[str] = mapped_column(String(60), default="", server_default="")
    # The objection period (公示期, days from publication) and whom residents contact, copied from the
    # township's settings on publication; None / "" on notices published before they were printed.
    objection_days: Mapped[int | None]
    contact_person: Mapped[str] = mapped_column(String(40), default="", server_default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    contact_address: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # The tolerance (percentage points) its lines' progress status was judged with (progress.status);
    # None: published before notices counted lines by status.
    status_tolerance: Mapped[int | None]

    township: Mapped[Township] = relationship()
    published_by = relationship("User")
    lines: Mapped[list[NoticeLine]] = relationship(
        back_populates="notice", order_by="NoticeLine.position", passive_deletes="all"
    )
    corrects: Mapped[PublicNotice | None] = relationship(
        remote_side=[id], foreign_keys=[corrects_id], back_populates="corrected_by"
    )
    corrected_by: Mapped[PublicNotice | None] = relationship(
        foreign_keys=[corrects_id], back_populates="corrects", uselist=False
    )

    @property
    def month_label(self) -> str:
        """The month as the reader's language writes it (2026年5月, May 2026); the printed notice is
        rendered in Chinese."""
        return reader_month(self.month)

    @property
    def objection_period(self) -> tuple[date, date] | None:
        """The first and last day of the objection period (China dates), publication day included."""
        if not self.objection_days:
            return None
        first = china_date_of(self.published_at)
        return first, first + timedelta(days=self.objection_days - 1)

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_person or self.contact_phone or self.contact_address)

    @property
    def accepts_opinions(self) -> bool:
        """Residents comment on the notice in force: once corrected, opinions go to the correction."""
        return self.corrected_by is None

    def __str__(self) -> str:
        return self.title


class NoticeCounter(db.Model):
    """The last notice number given per township and year (core.numbering.take_next_number)."""

    __tablename__ = "public_notice_counter"

    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class LineText:
    """What a notice line shows besides its columns, for a published line and a preview's alike."""

    lead_office_name: str
    joint_lead_names: str

    @property
    def lead_names(self) -> str:
        """The lead office and the joint leads, as printed: 镇农业农村办、镇财政所."""
        return "、".join(name for name in (self.lead_office_name, self.joint_lead_names) if name)


class LineSnapshot(LineText):
    """A line as it would be published now (the preview), without the ORM's bookkeeping: 300 model
    objects cost a 300-line preview a quarter of its time. Publishing makes NoticeLines of them."""

    def __init__(self, **columns) -> None:
        self.__dict__.update(columns)

    def columns(self) -> dict:
        return dict(self.__dict__)


class NoticeLine(LineText, db.Model):
    """One item as it stood when the notice was published: copied, never read from live data again."""

    __tablename__ = "public_notice_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("public_notice.id"), index=True)
    position: Mapped[int]
    # Kept to link an item's lines across notices; the public pages show only the copied columns.
    item_id: Mapped[int | None] = mapped_column(ForeignKey("item.id"), index=True)
    item_code: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    kind_label: Mapped[str] = mapped_column(String(40))
    state_label: Mapped[str] = mapped_column(String(40))
    lead_office_name: Mapped[str] = mapped_column(String(80), default="")
    supervisor_names: Mapped[str] = mapped_column(String(200), default="")
    target: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[date | None]
    planned_funds: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    # The month's government report (empty when none was reported).
    reported: Mapped[bool] = mapped_column(default=False)
    # Whether the item owed that report: a completed or carried-over item without one is not "missing".
    owed_report: Mapped[bool] = mapped_column(default=True, server_default=true())
    percent: Mapped[int | None]
    progress: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    funds_spent: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    # Copied since notices group by category and name every leading unit (issue 13): the item's
    # category (分类, "" when none), its joint lead units (联合牵头, "、"-joined), whether its planned
    # funds are approximate (230余万元; ``planned_funds_about``: 约230万元, as the item words it),
    # what has been invested by the month (the latest reported funds, 万元), and its progress
    # status: the latest percent reported by the month, the time share it was compared with, and
    # the verdict (progress.status; None: not judged).
    category: Mapped[str] = mapped_column(String(40), default="", server_default="")
    joint_lead_names: Mapped[str] = mapped_column(String(200), default="", server_default="")
    planned_funds_approx: Mapped[bool] = mapped_column(default=False, server_default=false())
    planned_funds_about: Mapped[bool] = mapped_column(default=False, server_default=false())
    funds_invested: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    latest_percent: Mapped[int | None]
    expected_percent: Mapped[int | None]
    progress_status: Mapped[ProgressStatus | None] = mapped_column(
        enum_column_type(ProgressStatus, "progress_status")
    )

    notice: Mapped[PublicNotice] = relationship(back_populates="lines")


append_only(
    PublicNotice,
    NoticeLine,
    message="published notices never change and are never deleted; publish a correction instead",
    error=NoticeIsFrozen,
)


class NoticeDocument(StoredPdf, db.Model):
    """The stored PDF of a notice, served again while what it prints (and its QR address) is unchanged."""

    __tablename__ = "public_notice_document"
    storage_folder = "notice"

    notice_id: Mapped[int] = mapped_column(
        ForeignKey("public_notice.id", ondelete="CASCADE"), primary_key=True
    )


class OpinionState(LabeledEnum):
    """A resident's opinion on a notice: shown only once the presidium approves it."""

    pending = ("pending", N_("待审核"), "warning")
    approved = ("approved", N_("已公开"), "success")
    rejected = ("rejected", N_("不予公开"), "secondary")


class Opinion(db.Model):
    """A resident's opinion (群众意见) on one line of a published notice; public once approved."""

    __tablename__ = "notice_opinion"
    __table_args__ = (
        CheckConstraint("state <> 'pending' OR moderated_at IS NULL", name="pending_not_moderated"),
        CheckConstraint("answer = '' OR state = 'approved'", name="answer_only_when_approved"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("public_notice.id"), index=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("public_notice_line.id"), index=True)
    author_name: Mapped[str] = mapped_column(String(20), default="")  # how the resident signs, optional
    body: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[OpinionState] = mapped_column(
        enum_column_type(OpinionState, "opinion_state"), default=OpinionState.pending, index=True
    )
    moderated_at: Mapped[datetime | None]
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    answer: Mapped[str] = mapped_column(Text, default="")  # the presidium's public answer
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Set by every moderation step: the public notice page's cache validator reads the newest.
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    notice: Mapped[PublicNotice] = relationship()
    line: Mapped[NoticeLine] = relationship()
    moderated_by = relationship("User", foreign_keys=[moderated_by_id])
    answered_by = relationship("User", foreign_keys=[answered_by_id])

    def can_be_moderated_by(self, user) -> bool:
        """Only the presidium of the notice's township approves, rejects and answers opinions."""
        return user is not None and user.is_presidium_of(self.township_id)
