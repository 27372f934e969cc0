"""The evaluation meeting (民主评议): what it rates, its grade rule, its stored documents.

The meeting is a ``Meeting`` of the ballot engine (``ballots/models.py``): its roster and roll
call, paper serials, phone codes, ballots and marks are the engine's tables, whose secrecy rules
are written there. What is the evaluation's own: its lines are items and offices (``RatedLine``),
its marks are 满意 / 基本满意 / 不满意 (``Mark``), and its grade rule.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

# The engine's tables and states, named here too for the meeting's own modules.
from ..ballots.models import (  # noqa: F401
    HALL_STATES,
    OPEN_MEETING_STATES,
    VOTED_STATES,
    AdjustmentKind,
    Attendance,
    Ballot,
    BallotCorrection,
    BallotKind,
    BallotMark,
    CodeState,
    HandOutAdjustment,
    Line,
    Meeting,
    MeetingState,
    PaperEntry,
    PaperSerial,
    PhoneCode,
    SealedBallot,
    SealedMark,
    SerialState,
)
from ..core.clock import utcnow
from ..core.enums import N_, LabeledEnum, enum_column_type
from ..extensions import db
from ..lists.models import Item, Rating
from ..org.models import Office
from ..uploads.models import register_owner

# The published snapshot (公示) has a module of its own, read by the public pages alone; imported
# here so that importing the domain's models defines every one of its tables.
from .published_models import PublishedResult, PublishedResultIsFrozen, PublishedResultLine  # noqa: F401
from .rules import Denominator, GradeRule


class Mark(LabeledEnum):
    """What one ballot says about one rated line; a blank or double mark is invalid."""

    satisfied = ("satisfied", N_("满意"), "success")
    basic = ("basic", N_("基本满意"), "info")
    dissatisfied = ("dissatisfied", N_("不满意"), "danger")
    invalid = ("invalid", N_("无效"), "secondary")


GRADES = (Mark.satisfied, Mark.basic, Mark.dissatisfied)


class CommentsLayout(LabeledEnum):
    """Where the printed sheet leaves room for deputies' comments (意见建议)."""

    sheet = ("sheet", N_("表末留一栏意见建议"), "secondary")
    line = ("line", N_("每项后留意见建议栏"), "secondary")
    none = ("none", N_("不留意见建议栏"), "secondary")


class EvaluationMeeting(Meeting):
    """One evaluation meeting of a township: what is rated, who is on the roster, the rules. The
    engine's columns (township, date, state, quorum, roster, lines) are its ``Meeting``'s."""

    __tablename__ = "evaluation_meeting"
    __table_args__ = (
        CheckConstraint(
            "satisfied_percent BETWEEN 1 AND 100 AND basic_percent BETWEEN 1 AND 100", name="percents"
        ),
    )

    id: Mapped[int] = mapped_column(ForeignKey("ballot_meeting.id", ondelete="CASCADE"), primary_key=True)
    # The grade rule and the quorum (defaults: at least half, at least half, of those present; > 2/3).
    satisfied_percent: Mapped[int] = mapped_column(default=50)
    basic_percent: Mapped[int] = mapped_column(default=50)
    # Each threshold "more than" its share (exactly that share is not enough) instead of "at least".
    satisfied_strict: Mapped[bool] = mapped_column(default=False)
    basic_strict: Mapped[bool] = mapped_column(default=False)
    denominator: Mapped[Denominator] = mapped_column(
        enum_column_type(Denominator, "grade_denominator"), default=Denominator.present
    )
    comments_layout: Mapped[CommentsLayout] = mapped_column(
        enum_column_type(CommentsLayout, "comments_layout"),
        default=CommentsLayout.sheet,
        server_default=CommentsLayout.sheet.value,
    )
    __mapper_args__ = {"polymorphic_identity": "evaluation", "polymorphic_load": "inline"}

    @property
    def rule(self) -> GradeRule:
        return GradeRule(
            self.satisfied_percent,
            self.basic_percent,
            self.denominator,
            satisfied_strict=self.satisfied_strict,
            basic_strict=self.basic_strict,
        )

    @property
    def title(self) -> str:
        from flask_babel import gettext as _

        return _("%(year)s 年度民主评议会（%(day)s）", year=self.year, day=self.held_on.isoformat())

    def __str__(self) -> str:
        return self.title


class RatedLine(Line):
    """One thing rated at the meeting: an item of the year's lists, or an office (站所). Its
    position, title, subtitle and category are its ``Line``'s."""

    __tablename__ = "evaluation_rated_line"
    __table_args__ = (CheckConstraint("(item_id IS NULL) <> (office_id IS NULL)", name="item_or_office"),)

    id: Mapped[int] = mapped_column(ForeignKey("ballot_line.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("item.id"), index=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"), index=True)
    # An office's responsible leader at the time of the meeting: the year's assessment names who was
    # rated, not whoever holds the post when the table is read.
    leader_title: Mapped[str] = mapped_column(String(60), default="")
    leader_name: Mapped[str] = mapped_column(String(40), default="")
    # Set when the meeting's grade was recorded on the item (see operations.apply_results).
    applied_at: Mapped[datetime | None]
    applied_rating: Mapped[Rating | None] = mapped_column(enum_column_type(Rating, "applied_rating"))

    __mapper_args__ = {"polymorphic_identity": "evaluation", "polymorphic_load": "inline"}

    item: Mapped[Item | None] = relationship()
    office: Mapped[Office | None] = relationship()


def _can_view_report(meeting_id: int, user) -> bool:
    """The government's report (an attached document of the meeting): whoever may see the township."""
    meeting = db.session.get(EvaluationMeeting, meeting_id)
    return meeting is not None and user.can_see_township(meeting.township_id)


REPORT_OWNER = "evaluation_report"
register_owner(REPORT_OWNER, _can_view_report)


class EvaluationDocument(db.Model):
    """A stored PDF of a meeting (blank sheets, result summary), served again while what it prints
    is unchanged: a cache of what is printed, not history (the ballots are the history). The bytes
    live in storage() under pdf_key (see core/pdf.py's StoredPdf)."""

    __tablename__ = "evaluation_document"
    storage_folder = "evaluation"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_meeting.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    pdf_key: Mapped[str] = mapped_column(String(200))
    made_at: Mapped[datetime] = mapped_column(default=utcnow)


# The engine finds the evaluation's shape and words through its registered kind.
from . import kind  # noqa: E402, F401
