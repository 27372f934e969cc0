"""Follow-up sheets (督办单): numbered sheets the presidium sends to a government office."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import utcnow
from ..core.enums import N_, LabeledEnum, enum_column_type
from ..core.history import append_only
from ..core.numbering import document_number
from ..core.pdf import StoredPdf
from ..core.permissions import Role
from ..extensions import db
from ..inspections.models import Finding
from ..lists.models import Item
from ..org.models import Office, Township
from ..uploads.models import register_owner


class SheetState(LabeledEnum):
    """Where a follow-up sheet (督办单) is; the transitions between states are sheets/workflow.py."""

    draft = ("draft", N_("草稿"), "secondary")
    issued = ("issued", N_("已下发"), "primary")
    acknowledged = ("acknowledged", N_("已签收"), "info")
    answered = ("answered", N_("已答复"), "success")
    returned = ("returned", N_("已退回重办"), "danger")
    verified = ("verified", N_("已核实办结"), "dark")


# States in which the government still owes an answer: these can be overdue, and the addressed
# office may ask for a later deadline (延期申请).
AWAITING_ANSWER_STATES = frozenset({SheetState.issued, SheetState.acknowledged, SheetState.returned})


class ExtensionDecision(LabeledEnum):
    """Where an extension request (延期申请) of a sheet is."""

    pending = ("pending", N_("待主席团决定"), "warning")
    granted = ("granted", N_("已同意延期"), "success")
    refused = ("refused", N_("不同意延期"), "danger")
    # The office answered before the presidium decided: nothing is left to extend.
    lapsed = ("lapsed", N_("已答复，无需决定"), "secondary")


class FollowUpSheet(db.Model):
    """A follow-up sheet (督办单). Its number is given when it is issued: see operations.issue_sheet."""

    __tablename__ = "follow_up_sheet"
    __table_args__ = (
        UniqueConstraint("township_id", "year", "number", name="uq_follow_up_sheet_number"),
        CheckConstraint(
            "state = 'draft' OR (number IS NOT NULL AND year IS NOT NULL AND issued_at IS NOT NULL)",
            name="issued_has_number",
        ),
        CheckConstraint(
            "state NOT IN ('answered', 'verified') OR (measures <> '' AND answered_at IS NOT NULL)",
            name="answered_has_measures",
        ),
        CheckConstraint("state <> 'verified' OR verification_opinion <> ''", name="verified_has_opinion"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    # Year and number (the n of 〔year〕n号) are set when the sheet is issued.
    year: Mapped[int | None]
    number: Mapped[int | None]
    state: Mapped[SheetState] = mapped_column(
        enum_column_type(SheetState, "sheet_state"), default=SheetState.draft, index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    requirements: Mapped[str] = mapped_column(Text, default="")  # 督办要求
    lead_office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"), index=True)
    leader_name: Mapped[str] = mapped_column(String(40), default="")  # 责任领导
    deadline: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    issued_at: Mapped[datetime | None]
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # The government's latest answer; earlier answers stay in the events.
    measures: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # The presidium's verification opinion (核实意见), printed on the sheet.
    verification_opinion: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    township: Mapped[Township] = relationship()
    lead_office: Mapped[Office | None] = relationship()
    lines: Mapped[list[SheetLine]] = relationship(
        back_populates="sheet", order_by="SheetLine.position", cascade="all, delete-orphan"
    )
    events: Mapped[list[SheetEvent]] = relationship(
        back_populates="sheet", order_by="SheetEvent.id", passive_deletes="all"
    )
    extensions: Mapped[list[SheetExtension]] = relationship(
        back_populates="sheet", order_by="SheetExtension.id", passive_deletes="all"
    )
    created_by = relationship("User", foreign_keys=[created_by_id])
    issued_by = relationship("User", foreign_keys=[issued_by_id])
    acknowledged_by = relationship("User", foreign_keys=[acknowledged_by_id])
    answered_by = relationship("User", foreign_keys=[answered_by_id])
    verified_by = relationship("User", foreign_keys=[verified_by_id])

    @property
    def document_number(self) -> str:
        """`<short name>人大督〔<year>〕<n>号`, or empty while a draft."""
        if self.number is None:
            return ""
        return document_number(f"{self.township.short_name}人大督", self.year, self.number)

    @property
    def items(self) -> list[Item]:
        return list({line.item.id: line.item for line in self.lines if line.item is not None}.values())

    @property
    def joint_lead_offices(self) -> list[Office]:
        """The units that lead the sheet's items together with the office it is addressed to
        (联合牵头): each item's lead and joint leads, lead first, the addressed office left out."""
        found: dict[int, Office] = {}
        for item in self.items:
            for office in item.lead_offices:
                if office.id != self.lead_office_id:
                    found.setdefault(office.id, office)
        return list(found.values())

    @property
    def assisting_offices(self) -> list[Office]:
        """The items' assisting units (协办单位), each once, leaving out the ones that lead."""
        leading = {office.id for office in self.joint_lead_offices} | {self.lead_office_id}
        found: dict[int, Office] = {}
        for item in self.items:
            for office in item.assisting_offices:
                if office.id not in leading:
                    found.setdefault(office.id, office)
        return list(found.values())

    @property
    def original_deadline(self) -> date | None:
        """The deadline the sheet was issued with, when a granted extension has changed it."""
        granted = [e for e in self.extensions if e.decision is ExtensionDecision.granted]
        return granted[0].previous_deadline if granted else None

    @property
    def latest_answer(self) -> SheetEvent | None:
        """The event of the answer the sheet now carries (its evidence files hang on it)."""
        if self.answered_at is None:
            return None
        answers = [e for e in self.events if e.action == "answer"]
        return answers[-1] if answers else None

    @property
    def latest_return(self) -> SheetEvent | None:
        """The event that returned the sheet, while it waits for a fresh answer."""
        if self.state is not SheetState.returned:
            return None
        returns = [e for e in self.events if e.action == "return"]
        return returns[-1] if returns else None

    @property
    def return_reason(self) -> str:
        """Why the latest answer was returned, while the sheet waits for a fresh one."""
        returned = self.latest_return
        return returned.reason if returned else ""

    @property
    def open_extension(self) -> SheetExtension | None:
        """The extension request waiting for the presidium's decision (at most one at a time)."""
        return next((e for e in self.extensions if e.decision is ExtensionDecision.pending), None)

    def is_overdue(self, today: date) -> bool:
        return self.state in AWAITING_ANSWER_STATES and self.deadline is not None and self.deadline < today

    def is_addressed_to(self, user) -> bool:
        """A clerk of the office the sheet is addressed to: only they sign for and answer it."""
        return user is not None and user.is_clerk_of(self.township_id, self.lead_office_id)

    def is_visible_to(self, user) -> bool:
        """Drafts are the presidium's; a government office sees the sheets addressed to it."""
        if not user.can_see_township(self.township_id):
            return False
        if self.state is SheetState.draft:
            return user.role is Role.presidium
        if user.role is Role.government and user.office_id is not None:
            return user.office_id == self.lead_office_id
        return True

    def __str__(self) -> str:
        return self.document_number or self.title


class SheetLine(db.Model):
    """One line of a sheet: an item and the findings (问题/建议) about it."""

    __tablename__ = "follow_up_sheet_line"
    __table_args__ = (CheckConstraint("item_id IS NOT NULL OR findings <> ''", name="line_has_content"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("follow_up_sheet.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    item_id: Mapped[int | None] = mapped_column(ForeignKey("item.id"), index=True)
    # The inspection finding this line cites, if any; its text is copied into `findings` when the line
    # is made, so the sheet says what was sent even if the presidium edits the wording.
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("finding.id"), index=True)
    findings: Mapped[str] = mapped_column(Text, default="")

    sheet: Mapped[FollowUpSheet] = relationship(back_populates="lines")
    item: Mapped[Item | None] = relationship()
    finding: Mapped[Finding | None] = relationship()


class SheetEvent(db.Model):
    """One step of a sheet's life: who, when, from, to, why. Append-only."""

    __tablename__ = "follow_up_sheet_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("follow_up_sheet.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[SheetState | None] = mapped_column(enum_column_type(SheetState, "sheet_from_state"))
    to_state: Mapped[SheetState | None] = mapped_column(enum_column_type(SheetState, "sheet_to_state"))
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    sheet: Mapped[FollowUpSheet] = relationship(back_populates="events")
    actor = relationship("User")


def _can_view_answer_files(event_id: int, user) -> bool:
    """Evidence files of an answer: whoever may see the sheet."""
    answer = db.session.get(SheetEvent, event_id)
    return answer is not None and answer.sheet.is_visible_to(user)


register_owner("sheet_answer", _can_view_answer_files)


def _can_view_cited_finding_files(finding_id: int, user) -> bool:
    """A finding's photos are also for whoever reads a sheet that cites it, once its inspection is filed."""
    finding = db.session.get(Finding, finding_id)
    if finding is None or finding.inspection.is_draft:
        return False
    sheets = db.session.execute(
        db.select(FollowUpSheet).join(SheetLine).where(SheetLine.finding_id == finding_id)
    ).scalars()
    return any(sheet.is_visible_to(user) for sheet in sheets)


register_owner("finding", _can_view_cited_finding_files)


append_only(SheetEvent, message="sheet events are append-only")


class SheetExtension(db.Model):
    """An extension request (延期申请): the addressed office asks for a later deadline with a reason;
    the presidium grants it (with the new deadline, perhaps not the one asked) or refuses it, saying
    why. Only a grant moves the sheet's deadline; every request stays on record."""

    __tablename__ = "follow_up_sheet_extension"
    __table_args__ = (
        CheckConstraint("decision <> 'granted' OR new_deadline IS NOT NULL", name="granted_has_deadline"),
        CheckConstraint("decision <> 'refused' OR decision_note <> ''", name="refused_has_reason"),
        # One open request per sheet: the operation checks it under the sheet's lock, this makes sure.
        Index(
            "uq_follow_up_sheet_extension_open",
            "sheet_id",
            unique=True,
            sqlite_where=text("decision = 'pending'"),
            postgresql_where=text("decision = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("follow_up_sheet.id", ondelete="CASCADE"), index=True)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(Text)
    # The deadline when it was asked, and the one the office asked for.
    previous_deadline: Mapped[date | None]
    asked_deadline: Mapped[date]
    decision: Mapped[ExtensionDecision] = mapped_column(
        enum_column_type(ExtensionDecision, "extension_decision"), default=ExtensionDecision.pending
    )
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Granted: a note (optional); refused: why (required).
    decision_note: Mapped[str] = mapped_column(Text, default="")
    new_deadline: Mapped[date | None]

    sheet: Mapped[FollowUpSheet] = relationship(back_populates="extensions")
    requested_by = relationship("User", foreign_keys=[requested_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])


class SheetCounter(db.Model):
    """The last number given per township and year; its row is locked while a sheet is issued."""

    __tablename__ = "follow_up_sheet_counter"

    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class SheetDocument(StoredPdf, db.Model):
    """The stored PDF of a sheet, served again while the sheet's printed content is unchanged."""

    __tablename__ = "follow_up_sheet_document"
    storage_folder = "sheet"

    sheet_id: Mapped[int] = mapped_column(
        ForeignKey("follow_up_sheet.id", ondelete="CASCADE"), primary_key=True
    )
