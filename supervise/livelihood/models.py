"""Collection periods and proposals for livelihood projects (民生实事项目征集)."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import today, utcnow
from ..core.enums import N_, LabeledEnum, enum_column_type
from ..core.history import append_only
from ..core.permissions import Role
from ..core.text import mask_private
from ..extensions import db
from ..org.models import Deputy, Office, Township


class ProposerKind(LabeledEnum):
    """Who proposed: a resident on the public form, a deputy, or a government office."""

    resident = ("resident", N_("群众"), "info")
    deputy = ("deputy", N_("代表"), "primary")
    office = ("office", N_("政府站所"), "secondary")


class ProposalState(LabeledEnum):
    """Where a proposal is; the transitions between states are livelihood/workflow.py."""

    submitted = ("submitted", N_("待审"), "secondary")
    accepted = ("accepted", N_("已采纳，待研究"), "primary")
    rejected = ("rejected", N_("未采纳"), "danger")
    merged = ("merged", N_("已合并"), "info")
    forwarded = ("forwarded", N_("已交政府测算"), "success")


# What the public pages show: what the presidium took up, and what became of it.
PUBLISHED_STATES = frozenset({ProposalState.accepted, ProposalState.merged, ProposalState.forwarded})
# Proposals that others may be merged into: taken up and still standing on their own.
KEEPABLE_STATES = frozenset({ProposalState.accepted, ProposalState.forwarded})


class ProposalPeriod(db.Model):
    """A township's collection of proposals for one year's livelihood projects, opened and closed by
    the presidium. Proposals are accepted while it is open (and, if an end date is set, until it)."""

    __tablename__ = "livelihood_period"
    __table_args__ = (
        UniqueConstraint("township_id", "year", name="uq_livelihood_period_year"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    # The year whose projects are collected (proposals collected in 2026 for 2027's list: 2027).
    year: Mapped[int]
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    opened_at: Mapped[datetime | None]
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    next_number: Mapped[int] = mapped_column(default=1)

    township: Mapped[Township] = relationship()

    @property
    def is_open(self) -> bool:
        """Accepting proposals now: opened, not closed, and within its dates."""
        now = today()
        return (
            self.opened_at is not None
            and self.closed_at is None
            and self.starts_on <= now
            and (self.ends_on is None or now <= self.ends_on)
        )

    @property
    def status_text(self) -> str:
        if self.is_open:
            if self.ends_on:
                return _("正在征集，截至 %(date)s", date=self.ends_on.isoformat())
            return _("正在征集")
        if self.closed_at is not None or (self.ends_on is not None and self.ends_on < today()):
            return _("征集已结束")
        if self.opened_at is not None:
            return _("将于 %(date)s 开始征集", date=self.starts_on.isoformat())
        return _("尚未开始征集")


class Proposal(db.Model):
    """One proposed livelihood project (民生实事项目建议)."""

    __tablename__ = "livelihood_proposal"
    __table_args__ = (
        UniqueConstraint("period_id", "number", name="uq_livelihood_proposal_number"),
        CheckConstraint("state <> 'rejected' OR rejection_reason <> ''", name="rejected_has_reason"),
        CheckConstraint("state <> 'merged' OR merged_into_id IS NOT NULL", name="merged_has_target"),
        CheckConstraint("cost_wan IS NULL OR cost_wan >= 0", name="cost_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("livelihood_period.id"), index=True)
    number: Mapped[int]
    # The proposer's link to their own confirmation page (state, rejection reason): unguessable.
    token: Mapped[str] = mapped_column(String(43), unique=True, default=lambda: secrets.token_urlsafe(24))
    title: Mapped[str] = mapped_column(String(100))
    problem: Mapped[str] = mapped_column(Text)  # 解决什么问题
    place: Mapped[str] = mapped_column(String(100), default="")
    cost_wan: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))  # 万元, rough
    cost_approximate: Mapped[bool] = mapped_column(default=False, server_default=false())
    proposer_kind: Mapped[ProposerKind] = mapped_column(enum_column_type(ProposerKind, "proposer_kind"))
    proposer_name: Mapped[str] = mapped_column(String(60), default="")
    proposer_contact: Mapped[str] = mapped_column(String(100), default="")
    # A resident who asked not to be named publicly; the presidium always sees the name.
    anonymous: Mapped[bool] = mapped_column(default=False, server_default=false())
    deputy_id: Mapped[int | None] = mapped_column(ForeignKey("deputy.id"), index=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"), index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[ProposalState] = mapped_column(
        enum_column_type(ProposalState, "proposal_state"), default=ProposalState.submitted, index=True
    )
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("livelihood_proposal.id"), index=True)
    # The presidium's latest decision on it (moderation).
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    township: Mapped[Township] = relationship()
    period: Mapped[ProposalPeriod] = relationship()
    deputy: Mapped[Deputy | None] = relationship()
    office: Mapped[Office | None] = relationship()
    merged_into: Mapped[Proposal | None] = relationship(remote_side=[id], back_populates="merged")
    merged: Mapped[list[Proposal]] = relationship(back_populates="merged_into", order_by="Proposal.number")
    events: Mapped[list[ProposalEvent]] = relationship(
        back_populates="proposal", order_by="ProposalEvent.id", passive_deletes="all"
    )
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @property
    def reference(self) -> str:
        """The number a proposer quotes: 2027-015 (the year of the projects, the proposal's number)."""
        return f"{self.period.year}-{self.number:03d}"

    @property
    def is_published(self) -> bool:
        return self.state in PUBLISHED_STATES

    @property
    def public_proposer(self) -> str:
        """Who proposed it, as the public pages say: never an anonymous resident's name, never a contact."""
        if self.proposer_kind is ProposerKind.resident:
            return (
                _("群众（匿名）")
                if self.anonymous or not self.proposer_name
                else mask_private(self.proposer_name)
            )
        if self.proposer_kind is ProposerKind.office and self.office is not None:
            return self.office.name
        return _("%(name)s代表", name=self.proposer_name)

    @property
    def all_proposals(self) -> list[Proposal]:
        """This proposal and those merged into it: every proposer is kept."""
        return [self, *self.merged]

    def is_proposed_by(self, user) -> bool:
        """The deputy who proposed it, or a clerk of the office that did."""
        if user is None or not user.is_authenticated or user.township_id != self.township_id:
            return False
        if user.role is Role.deputy:
            return user.deputy_id is not None and user.deputy_id == self.deputy_id
        if user.role is Role.government:
            return self.office_id is not None and user.office_id == self.office_id
        return False

    def is_visible_to(self, user) -> bool:
        """The presidium (and county, admin) see every proposal of their townships; a deputy or an
        office their own, and every published one."""
        if not user.can_see_township(self.township_id):
            return False
        if user.role in (Role.deputy, Role.government):
            return self.is_published or self.is_proposed_by(user)
        return True

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class ProposalEvent(db.Model):
    """One step of a proposal's life: who, when, from, to, why. Append-only."""

    __tablename__ = "livelihood_proposal_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("livelihood_proposal.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[ProposalState | None] = mapped_column(
        enum_column_type(ProposalState, "proposal_from_state")
    )
    to_state: Mapped[ProposalState | None] = mapped_column(
        enum_column_type(ProposalState, "proposal_to_state")
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    proposal: Mapped[Proposal] = relationship(back_populates="events")
    actor = relationship("User")


append_only(ProposalEvent, message="A proposal's history is append-only.")
