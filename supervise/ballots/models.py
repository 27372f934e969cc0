"""The ballot engine's tables: a meeting that holds a secret vote, its lines, roster, paper serials,
phone codes, ballots, marks, entries, corrections and hand-out adjustments, and the sealed pool.

Every secret vote of the app is a ``Meeting``: the evaluation meeting (民主评议) and each round of
the livelihood projects' vote (票决) are subclasses (joined tables), and their rated items or
candidates are subclasses of ``Line``. The engine reads only these base tables; what a line *is*
(an item, an office, a candidate project) and what its marks mean belong to the meeting's kind
(``kinds.py``: its ballot shape and result rule).

Secrecy is a property of the schema: no ballot table (ballot, mark, serial, phone code, the sealed
pool) refers to a deputy or a user. The roster records only THAT a present deputy received a paper
sheet or a phone code (``Attendance.ballot_kind``), never which serial or which code, and nothing
that says when, so neither a row nor a timestamp ties a ballot to a person. Paper entries and
corrections name the clerk (a presidium account, which can never be a deputy's account) who typed
or corrected a sheet.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import utcnow
from ..core.enums import N_, LabeledEnum, enum_column_type
from ..core.history import append_only
from ..extensions import db
from ..org.models import Deputy, Township
from .quorum import Quorum

if TYPE_CHECKING:
    from ..accounts.models import User


class MeetingState(LabeledEnum):
    """A voting meeting's course: set up, roll call, voting, closed."""

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


class BallotKind(LabeledEnum):
    """How a present deputy votes: a numbered paper sheet or a one-time phone code."""

    paper = ("paper", N_("纸质票"), "primary")
    phone = ("phone", N_("手机投票码"), "success")


class SerialState(LabeledEnum):
    """A numbered paper sheet's hand-out: not yet handed out, handed out, returned or not."""

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
    exchange = ("exchange", N_("作废调换纸质票"), "warning")
    undo_hand_out = ("undo_hand_out", N_("撤销领票登记"), "warning")
    void_code = ("void_code", N_("作废投票码"), "dark")


class Meeting(db.Model):  # type: ignore[name-defined]  # db.Model is a variable to mypy
    """A meeting of one township that holds a secret vote: its roster, its lines, its quorum and
    its course. ``kind`` names the subclass (``evaluation``, ``livelihood``)."""

    __tablename__ = "ballot_meeting"
    __table_args__ = (
        CheckConstraint(
            "quorum_denominator > 0 AND quorum_numerator >= 0 AND quorum_numerator <= quorum_denominator",
            name="quorum_fraction",
        ),
        CheckConstraint("state <> 'closed' OR closed_at IS NOT NULL", name="closed_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    year: Mapped[int]
    held_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[MeetingState] = mapped_column(
        enum_column_type(MeetingState, "meeting_state"), default=MeetingState.preparing
    )
    quorum_numerator: Mapped[int] = mapped_column(default=2)
    quorum_denominator: Mapped[int] = mapped_column(default=3)
    quorum_strict: Mapped[bool] = mapped_column(default=True)
    results_hidden_until_closed: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    voting_opened_at: Mapped[datetime | None]
    # Voting opened before the meeting's date: why (None: opened on or after its date).
    early_start_reason: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"polymorphic_on": kind, "version_id_col": version}

    township: Mapped[Township] = relationship()
    lines: Mapped[list[Line]] = relationship(
        back_populates="meeting", order_by="Line.position", cascade="all, delete-orphan"
    )
    roster: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", order_by="Attendance.id", cascade="all, delete-orphan"
    )

    @property
    def quorum(self) -> Quorum:
        return Quorum(self.quorum_numerator, self.quorum_denominator, self.quorum_strict)

    @property
    def results_visible(self) -> bool:
        """Tallies are shown once voting is closed, or live if the meeting allows it."""
        return self.state is MeetingState.closed or (
            self.state is MeetingState.voting and not self.results_hidden_until_closed
        )

    @property
    def title(self) -> str:
        """What the pages call the meeting (a kind may say it otherwise): its noun and its date."""
        from .kinds import words

        return f"{words(self)['meeting']}（{self.held_on.isoformat()}）"

    def is_run_by(self, user: User | None) -> bool:
        """The township's presidium runs its meeting: roll call, ballots, entry, closing."""
        return user is not None and user.is_presidium_of(self.township_id)


class Line(db.Model):  # type: ignore[name-defined]  # db.Model is a variable to mypy
    """One line of the ballot (a rated item or office; a candidate project), in printed order.
    Its words are copied when the meeting is set up, so the sheet and the results say what was
    voted on whatever happens to the record later."""

    __tablename__ = "ballot_line"
    __table_args__ = (UniqueConstraint("meeting_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    meeting_id: Mapped[int] = mapped_column(ForeignKey("ballot_meeting.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    subtitle: Mapped[str] = mapped_column(String(200), default="")
    # A heading the sheet groups lines under (an item's category); "" for none.
    category: Mapped[str] = mapped_column(String(40), default="", server_default="")

    __mapper_args__ = {"polymorphic_on": kind}

    meeting: Mapped[Meeting] = relationship(back_populates="lines")


class Attendance(db.Model):  # type: ignore[name-defined]  # db.Model is a variable to mypy
    """One deputy of the roster (taken when the meeting is set up): present or not, and whether
    they received a paper sheet or a phone code, never which one."""

    __tablename__ = "ballot_attendance"
    __table_args__ = (
        UniqueConstraint("meeting_id", "deputy_id"),
        CheckConstraint(
            "ballot_kind IS NULL OR (present IS NOT NULL AND present)", name="ballot_only_when_present"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("ballot_meeting.id", ondelete="CASCADE"), index=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputy.id"), index=True)
    # None: not called yet.
    present: Mapped[bool | None]
    marked_at: Mapped[datetime | None]
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    ballot_kind: Mapped[BallotKind | None] = mapped_column(enum_column_type(BallotKind, "ballot_kind"))

    meeting: Mapped[Meeting] = relationship(back_populates="roster")
    deputy: Mapped[Deputy] = relationship()
    marked_by = relationship("User")


class PaperSerial(db.Model):  # type: ignore[name-defined]  # db.Model is a variable to mypy
    """A numbered paper sheet. Which serials were handed out is recorded, not to whom."""

    __tablename__ = "ballot_paper_serial"
    __table_args__ = (UniqueConstraint("meeting_id", "serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("ballot_meeting.id", ondelete="CASCADE"), index=True)
    serial: Mapped[int]
    state: Mapped[SerialState] = mapped_column(
        enum_column_type(SerialState, "serial_state"), default=SerialState.printed
    )


class PhoneCode(db.Model):  # type: ignore[name-defined]  # db.Model is a variable to mypy
    """A one-time ballot code of the meeting's pool, stored only as a keyed hash. Its state says
    whether it was used, never when: a time of use would date the ballot it cast."""

    __tablename__ = "ballot_phone_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("ballot_meeting.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[CodeState] = mapped_column(
        enum_column_type(CodeState, "code_state"), default=CodeState.unused
    )


class Ballot(db.Model):  # type: ignore[name-defined]  # db.Model is a variable to mypy
    """One secret ballot: from a paper sheet (its serial) or a phone code (nothing). Append-only.

    No time is stored: a ballot's time next to the time a code or a sheet was handed to a deputy
    would say whose ballot it is. A paper ballot's id says when its sheet was typed in; phone ballots
    wait in the sealed pool and get their ids when voting closes, in random order.
    """

    __tablename__ = "ballot"
    __table_args__ = (
        UniqueConstraint("meeting_id", "serial"),
        CheckConstraint("(source = 'paper') = (serial IS NOT NULL)", name="paper_has_serial"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("ballot_meeting.id"), index=True)
    source: Mapped[BallotKind] = mapped_column(enum_column_type(BallotKind, "ballot_source"))
    serial: Mapped[int | None]
    # A paper sheet voided as a whole (not an official sheet, torn, unreadable, or invalid by the
    # shape's whole-ballot rule): an invalid ballot.
    is_void: Mapped[bool] = mapped_column(default=False)

    marks: Mapped[list[BallotMark]] = relationship(back_populates="ballot", order_by="BallotMark.id")
    corrections: Mapped[list[BallotCorrection]] = relationship(
        back_populates="ballot", order_by="BallotCorrection.id"
    )


class BallotMark(db.Model):  # type: ignore[name-defined]  # db.Model is a variable to mypy
    """One ballot's mark for one line (a value of the meeting's shape); a correction's marks carry
    the correction's id."""

    __tablename__ = "ballot_mark"

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id"), index=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("ballot_line.id"), index=True)
    mark: Mapped[str] = mapped_column(String(20))
    correction_id: Mapped[int | None] = mapped_column(ForeignKey("ballot_correction.id"), index=True)

    ballot: Mapped[Ballot] = relationship(back_populates="marks")


class PaperEntry(db.Model):  # type: ignore[name-defined]  # db.Model is a variable to mypy
    """One clerk's typing of one returned sheet. The first makes the ballot; a second clerk's entry
    checks it, and any difference is shown until a correction settles it."""

    __tablename__ = "ballot_paper_entry"
    __table_args__ = (UniqueConstraint("meeting_id", "serial", "entered_by_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("ballot_meeting.id"), index=True)
    serial: Mapped[int]
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_first: Mapped[bool] = mapped_column(default=False)
    is_void: Mapped[bool] = mapped_column(default=False)
    # {line id (as text): mark value}, as typed.
    marks: Mapped[dict] = mapped_column(JSON, default=dict)

    entered_by = relationship("User")


class BallotCorrection(db.Model):  # type: ignore[name-defined]  # db.Model is a variable to mypy
    """A correction of an entered sheet: new marks, who and why. The original stays as it was."""

    __tablename__ = "ballot_correction"
    __table_args__ = (CheckConstraint("reason <> ''", name="has_reason"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id"), index=True)
    made_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    made_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(Text)
    is_void: Mapped[bool] = mapped_column(default=False)

    ballot: Mapped[Ballot] = relationship(back_populates="corrections")
    made_by = relationship("User")


class HandOutAdjustment(db.Model):  # type: ignore[name-defined]  # db.Model is a variable to mypy
    """A clerk's correction of the hand-out records, with who and why: a serial registered as issued
    by mistake, a spoiled sheet exchanged, a hand-out undone (the sheet or code handed back unused),
    a code voided. Append-only. It never names the serial or code a deputy received: an undone
    hand-out names the deputy and the kind only; serials and codes are named without a deputy."""

    __tablename__ = "ballot_adjustment"
    __table_args__ = (
        CheckConstraint("reason <> ''", name="has_reason"),
        CheckConstraint("(action = 'undo_hand_out') = (deputy_id IS NOT NULL)", name="deputy_only_on_undo"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("ballot_meeting.id"), index=True)
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


# The sealed pool of phone ballots (where a phone ballot waits, while voting is open, to be written
# to the ballot table at closing in a random order; see sealed.py).
#
# A pooled ballot has a random token for a key and nothing else: no sequence number, no time, no
# code. On SQLite both tables are WITHOUT ROWID, so their rows are stored in the order of their
# random keys, not in the order they came in. On PostgreSQL a row's place in the table file (ctid)
# and its transaction id (xmin) still follow the order of casting: the pool is emptied when voting
# closes, which is why it is a pool and not the ballot table itself.


class SealedBallot(db.Model):  # type: ignore[name-defined]  # db.Model is a variable to mypy
    """A phone ballot cast while voting is open, not yet written to the ballot table."""

    __tablename__ = "ballot_sealed"
    __table_args__ = {"sqlite_with_rowid": False}

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("ballot_meeting.id", ondelete="CASCADE"), index=True)


class SealedMark(db.Model):  # type: ignore[name-defined]  # db.Model is a variable to mypy
    """A pooled ballot's mark for one line (a phone ballot marks every line)."""

    __tablename__ = "ballot_sealed_mark"
    __table_args__ = {"sqlite_with_rowid": False}

    ballot_token: Mapped[str] = mapped_column(
        String(32), ForeignKey("ballot_sealed.token", ondelete="CASCADE"), primary_key=True
    )
    line_id: Mapped[int] = mapped_column(ForeignKey("ballot_line.id"), primary_key=True, index=True)
    mark: Mapped[str] = mapped_column(String(20))
