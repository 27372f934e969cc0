"""The evaluation meeting (民主评议): roster and roll call, paper and phone ballots, their marks.

Secrecy is a property of the schema: no ballot table (ballot, mark, serial, phone code) refers to a
deputy or a user. The roster records only THAT a present deputy received a paper sheet or a phone
code (``Attendance.ballot_kind``), never which serial or which code, and nothing that says when,
so neither a row nor a timestamp ties a ballot to a person. Paper entries and corrections name the
clerk (a presidium account, which can never be a deputy's account) who typed or corrected a sheet.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import utcnow
from ..core.enums import N_, LabeledEnum, enum_column_type
from ..core.history import append_only
from ..extensions import db
from ..lists.models import Item, Rating
from ..org.models import Deputy, Office, Township
from ..uploads.models import register_owner

# The published snapshot (公示) has a module of its own, read by the public pages alone; imported
# here so that importing the domain's models defines every one of its tables.
from .published_models import PublishedResult, PublishedResultIsFrozen, PublishedResultLine  # noqa: F401
from .rules import Denominator, GradeRule, Quorum


class MeetingState(LabeledEnum):
    """The evaluation meeting's (民主评议) course: set up, roll call, voting, closed."""

    preparing = ("preparing", N_("筹备中"), "secondary")
    roll_call = ("roll_call", N_("点名中"), "info")
    voting = ("voting", N_("投票中"), "warning")
    closed = ("closed", N_("投票已结束"), "dark")


# In the hall: the roll is being called or the vote is open; attendance and ballots may change.
HALL_STATES = frozenset({MeetingState.roll_call, MeetingState.voting})
# Voting has opened: the tallies exist.
VOTED_STATES = frozenset({MeetingState.voting, MeetingState.closed})
# Not yet closed: the meeting's documents and set-up may still change.
OPEN_MEETING_STATES = frozenset({MeetingState.preparing}) | HALL_STATES


class Mark(LabeledEnum):
    """What one ballot says about one rated line; a blank or double mark is invalid."""

    satisfied = ("satisfied", N_("满意"), "success")
    basic = ("basic", N_("基本满意"), "info")
    dissatisfied = ("dissatisfied", N_("不满意"), "danger")
    invalid = ("invalid", N_("无效"), "secondary")


GRADES = (Mark.satisfied, Mark.basic, Mark.dissatisfied)


class BallotKind(LabeledEnum):
    """How a present deputy votes: a numbered paper sheet (测评表) or a one-time phone code."""

    paper = ("paper", N_("纸质测评表"), "primary")
    phone = ("phone", N_("手机投票码"), "success")


class SerialState(LabeledEnum):
    """A numbered paper sheet's (测评表) hand-out: not yet handed out, handed out, returned or not."""

    printed = ("printed", N_("未发出"), "secondary")
    issued = ("issued", N_("已发出"), "primary")
    returned = ("returned", N_("已收回"), "success")
    not_returned = ("not_returned", N_("未收回"), "warning")
    # Handed out, then spoiled by the deputy and exchanged for a fresh sheet before it was entered.
    spoiled = ("spoiled", N_("已作废调换"), "dark")


class CodeState(LabeledEnum):
    """A phone code's state, and nothing finer: no time of use is kept (it would date a ballot)."""

    unused = ("unused", N_("未使用"), "secondary")
    used = ("used", N_("已投票"), "success")
    void = ("void", N_("已作废"), "dark")


class AdjustmentKind(LabeledEnum):
    """A clerk's correction of the hand-out records (never of a ballot's marks)."""

    unissue = ("unissue", N_("撤回发出登记"), "secondary")
    exchange = ("exchange", N_("作废调换测评表"), "warning")
    undo_hand_out = ("undo_hand_out", N_("撤销领票登记"), "warning")
    void_code = ("void_code", N_("作废投票码"), "dark")


class CommentsLayout(LabeledEnum):
    """Where the printed sheet leaves room for deputies' comments (意见建议)."""

    sheet = ("sheet", N_("表末留一栏意见建议"), "secondary")
    line = ("line", N_("每项后留意见建议栏"), "secondary")
    none = ("none", N_("不留意见建议栏"), "secondary")


class EvaluationMeeting(db.Model):
    """One evaluation meeting of a township: what is rated, who is on the roster, the rules."""

    __tablename__ = "evaluation_meeting"
    __table_args__ = (
        CheckConstraint(
            "satisfied_percent BETWEEN 1 AND 100 AND basic_percent BETWEEN 1 AND 100", name="percents"
        ),
        CheckConstraint(
            "quorum_denominator > 0 AND quorum_numerator >= 0 AND quorum_numerator <= quorum_denominator",
            name="quorum_fraction",
        ),
        CheckConstraint("state <> 'closed' OR closed_at IS NOT NULL", name="closed_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    year: Mapped[int]
    held_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[MeetingState] = mapped_column(
        enum_column_type(MeetingState, "meeting_state"), default=MeetingState.preparing
    )
    # The grade rule and the quorum (defaults: at least half, at least half, of those present; > 2/3).
    satisfied_percent: Mapped[int] = mapped_column(default=50)
    basic_percent: Mapped[int] = mapped_column(default=50)
    # Each threshold "more than" its share (exactly that share is not enough) instead of "at least".
    satisfied_strict: Mapped[bool] = mapped_column(default=False)
    basic_strict: Mapped[bool] = mapped_column(default=False)
    denominator: Mapped[Denominator] = mapped_column(
        enum_column_type(Denominator, "grade_denominator"), default=Denominator.present
    )
    quorum_numerator: Mapped[int] = mapped_column(default=2)
    quorum_denominator: Mapped[int] = mapped_column(default=3)
    quorum_strict: Mapped[bool] = mapped_column(default=True)
    results_hidden_until_closed: Mapped[bool] = mapped_column(default=True)
    comments_layout: Mapped[CommentsLayout] = mapped_column(
        enum_column_type(CommentsLayout, "comments_layout"),
        default=CommentsLayout.sheet,
        server_default=CommentsLayout.sheet.value,
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    voting_opened_at: Mapped[datetime | None]
    # Voting opened before the meeting's date: why (None: opened on or after its date).
    early_start_reason: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    township: Mapped[Township] = relationship()
    lines: Mapped[list[RatedLine]] = relationship(
        back_populates="meeting", order_by="RatedLine.position", cascade="all, delete-orphan"
    )
    roster: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", order_by="Attendance.id", cascade="all, delete-orphan"
    )

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
    def quorum(self) -> Quorum:
        return Quorum(self.quorum_numerator, self.quorum_denominator, self.quorum_strict)

    @property
    def title(self) -> str:
        from flask_babel import gettext as _

        return _("%(year)s 年度民主评议会（%(day)s）", year=self.year, day=self.held_on.isoformat())

    @property
    def results_visible(self) -> bool:
        """Tallies are shown once voting is closed, or live if the meeting allows it."""
        return self.state is MeetingState.closed or (
            self.state is MeetingState.voting and not self.results_hidden_until_closed
        )

    def is_run_by(self, user) -> bool:
        """The township's presidium runs its meeting: roll call, ballots, entry, closing."""
        return user is not None and user.is_presidium_of(self.township_id)

    def __str__(self) -> str:
        return self.title


class RatedLine(db.Model):
    """One thing rated at the meeting: an item of the year's lists, or an office (站所)."""

    __tablename__ = "evaluation_rated_line"
    __table_args__ = (
        UniqueConstraint("meeting_id", "position"),
        CheckConstraint("(item_id IS NULL) <> (office_id IS NULL)", name="item_or_office"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_meeting.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    item_id: Mapped[int | None] = mapped_column(ForeignKey("item.id"), index=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"), index=True)
    # Copied when the meeting is made, so the sheet and the results say what was rated.
    title: Mapped[str] = mapped_column(String(200))
    subtitle: Mapped[str] = mapped_column(String(200), default="")
    # An office's responsible leader at the time of the meeting: the year's assessment names who was
    # rated, not whoever holds the post when the table is read.
    leader_title: Mapped[str] = mapped_column(String(60), default="")
    leader_name: Mapped[str] = mapped_column(String(40), default="")
    # An item's category (分类) when the meeting was made; "" for offices and items without one.
    category: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # Set when the meeting's grade was recorded on the item (see operations.apply_results).
    applied_at: Mapped[datetime | None]
    applied_rating: Mapped[Rating | None] = mapped_column(enum_column_type(Rating, "applied_rating"))

    meeting: Mapped[EvaluationMeeting] = relationship(back_populates="lines")
    item: Mapped[Item | None] = relationship()
    office: Mapped[Office | None] = relationship()


class Attendance(db.Model):
    """One deputy of the roster (taken when the meeting is made): present or not, and whether they
    received a paper sheet or a phone code, never which one."""

    __tablename__ = "evaluation_attendance"
    __table_args__ = (
        UniqueConstraint("meeting_id", "deputy_id"),
        CheckConstraint(
            "ballot_kind IS NULL OR (present IS NOT NULL AND present)", name="ballot_only_when_present"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_meeting.id", ondelete="CASCADE"), index=True
    )
    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputy.id"), index=True)
    # None: not called yet.
    present: Mapped[bool | None]
    marked_at: Mapped[datetime | None]
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    ballot_kind: Mapped[BallotKind | None] = mapped_column(enum_column_type(BallotKind, "ballot_kind"))

    meeting: Mapped[EvaluationMeeting] = relationship(back_populates="roster")
    deputy: Mapped[Deputy] = relationship()
    marked_by = relationship("User")


class PaperSerial(db.Model):
    """A numbered assessment sheet (测评表). Which serials were handed out is recorded, not to whom."""

    __tablename__ = "evaluation_paper_serial"
    __table_args__ = (UniqueConstraint("meeting_id", "serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_meeting.id", ondelete="CASCADE"), index=True
    )
    serial: Mapped[int]
    state: Mapped[SerialState] = mapped_column(
        enum_column_type(SerialState, "serial_state"), default=SerialState.printed
    )


class PhoneCode(db.Model):
    """A one-time ballot code of the meeting's pool, stored only as a keyed hash. Its state says
    whether it was used, never when: a time of use would date the ballot it cast."""

    __tablename__ = "evaluation_phone_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_meeting.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[CodeState] = mapped_column(
        enum_column_type(CodeState, "code_state"), default=CodeState.unused
    )


class Ballot(db.Model):
    """One secret ballot: from a paper sheet (its serial) or a phone code (nothing). Append-only.

    No time is stored: a ballot's time next to the time a code or a sheet was handed to a deputy
    would say whose ballot it is. A paper ballot's id says when its sheet was typed in; phone ballots
    wait in the sealed pool (sealed_models.py) and get their ids when voting closes, in random order.
    """

    __tablename__ = "evaluation_ballot"
    __table_args__ = (
        UniqueConstraint("meeting_id", "serial"),
        CheckConstraint("(source = 'paper') = (serial IS NOT NULL)", name="paper_has_serial"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("evaluation_meeting.id"), index=True)
    source: Mapped[BallotKind] = mapped_column(enum_column_type(BallotKind, "ballot_source"))
    serial: Mapped[int | None]
    # A paper sheet voided as a whole (not an official sheet, torn, unreadable): an invalid ballot.
    is_void: Mapped[bool] = mapped_column(default=False)

    marks: Mapped[list[BallotMark]] = relationship(back_populates="ballot", order_by="BallotMark.id")
    corrections: Mapped[list[BallotCorrection]] = relationship(
        back_populates="ballot", order_by="BallotCorrection.id"
    )


class BallotMark(db.Model):
    """One ballot's mark for one rated line; a correction's marks carry the correction's id."""

    __tablename__ = "evaluation_ballot_mark"

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("evaluation_ballot.id"), index=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("evaluation_rated_line.id"), index=True)
    mark: Mapped[Mark] = mapped_column(enum_column_type(Mark, "ballot_mark"))
    correction_id: Mapped[int | None] = mapped_column(
        ForeignKey("evaluation_ballot_correction.id"), index=True
    )

    ballot: Mapped[Ballot] = relationship(back_populates="marks")


class PaperEntry(db.Model):
    """One clerk's typing of one returned sheet. The first makes the ballot; a second clerk's entry
    checks it, and any difference is shown until a correction settles it."""

    __tablename__ = "evaluation_paper_entry"
    __table_args__ = (UniqueConstraint("meeting_id", "serial", "entered_by_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("evaluation_meeting.id"), index=True)
    serial: Mapped[int]
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_first: Mapped[bool] = mapped_column(default=False)
    is_void: Mapped[bool] = mapped_column(default=False)
    # {rated line id (as text): mark value}, as typed.
    marks: Mapped[dict] = mapped_column(JSON, default=dict)

    entered_by = relationship("User")


class BallotCorrection(db.Model):
    """A correction of an entered sheet: new marks, who and why. The original stays as it was."""

    __tablename__ = "evaluation_ballot_correction"
    __table_args__ = (CheckConstraint("reason <> ''", name="has_reason"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("evaluation_ballot.id"), index=True)
    made_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    made_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(Text)
    is_void: Mapped[bool] = mapped_column(default=False)

    ballot: Mapped[Ballot] = relationship(back_populates="corrections")
    made_by = relationship("User")


class HandOutAdjustment(db.Model):
    """A clerk's correction of the hand-out records, with who and why: a serial registered as issued
    by mistake, a spoiled sheet exchanged, a hand-out undone (the sheet or code handed back unused),
    a code voided. Append-only. It never names the serial or code a deputy received: an undone
    hand-out names the deputy and the kind only; serials and codes are named without a deputy."""

    __tablename__ = "evaluation_adjustment"
    __table_args__ = (
        CheckConstraint("reason <> ''", name="has_reason"),
        CheckConstraint("(action = 'undo_hand_out') = (deputy_id IS NOT NULL)", name="deputy_only_on_undo"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("evaluation_meeting.id"), index=True)
    action: Mapped[AdjustmentKind] = mapped_column(enum_column_type(AdjustmentKind, "adjustment_kind"))
    # undo_hand_out only: whose hand-out was undone and of which kind.
    deputy_id: Mapped[int | None] = mapped_column(ForeignKey("deputy.id"))
    ballot_kind: Mapped[BallotKind | None] = mapped_column(
        enum_column_type(BallotKind, "adjustment_ballot_kind")
    )
    # unissue/exchange: the serials, as shown ("003、004", "003 → 021"); void_code: how many.
    detail: Mapped[str] = mapped_column(String(500), default="")
    reason: Mapped[str] = mapped_column(Text)
    made_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    made_at: Mapped[datetime] = mapped_column(default=utcnow)

    deputy: Mapped[Deputy | None] = relationship()
    made_by = relationship("User")


append_only(
    Ballot,
    BallotMark,
    PaperEntry,
    BallotCorrection,
    HandOutAdjustment,
    message="ballots, marks, entries, corrections and hand-out adjustments are append-only",
)


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


# The sealed pool of phone ballots (sealed_models.py) uses Mark, hence imported here at the end.
from .sealed_models import SealedBallot, SealedMark  # noqa: E402, F401
