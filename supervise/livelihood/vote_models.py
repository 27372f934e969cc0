"""The livelihood projects' vote (票决) on the ballot engine: each round is a ``Meeting``, each
candidate on its ballot a ``Line``; the published result and the projects it chose.

A vote is held on a fixed plan (plan_models.py). Its first round puts every candidate on the
ballot for the plan's N places; a run-off round (another ``VoteRound``, with its own roll call and
ballots) puts only the tied or remaining candidates on it, for the places still open. The rule
(what "more than half" is half of, how many run-offs are allowed) is stored on every round, as it
was when the vote was set up, and printed on the report.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..ballots.approval import ApprovalRule, PassBase
from ..ballots.models import Line, Meeting
from ..core.clock import utcnow
from ..core.enums import enum_column_type
from ..core.pdf import StoredPdf
from ..extensions import db
from ..lists.models import Item
from .plan_models import Candidate, VotePlan


class VoteRound(Meeting):
    """One round of the vote on a plan: the first (``number`` 1) or a run-off."""

    __tablename__ = "livelihood_vote_round"
    __table_args__ = (
        UniqueConstraint("plan_id", "number"),
        CheckConstraint("places >= 1", name="places_positive"),
        CheckConstraint("runoffs >= 0", name="runoffs_not_negative"),
    )

    id: Mapped[int] = mapped_column(ForeignKey("ballot_meeting.id", ondelete="CASCADE"), primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("livelihood_vote_plan.id"), index=True)
    number: Mapped[int] = mapped_column(default=1)
    places: Mapped[int]
    pass_base: Mapped[PassBase] = mapped_column(
        enum_column_type(PassBase, "pass_base"), default=PassBase.roster
    )
    runoffs: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"polymorphic_identity": "livelihood", "polymorphic_load": "inline"}

    plan: Mapped[VotePlan] = relationship()

    @property
    def rule(self) -> ApprovalRule:
        """The vote's rule, for all of the plan's places (a run-off is decided by it too)."""
        return ApprovalRule(places=self.plan.places, base=self.pass_base, runoffs=self.runoffs)

    @property
    def title(self) -> str:
        from flask_babel import gettext as _

        if self.number == 1:
            return _("%(year)s年民生实事项目票决", year=self.plan.year)
        return _("%(year)s年民生实事项目票决（第 %(n)d 轮另行投票）", year=self.plan.year, n=self.number - 1)

    def __str__(self) -> str:
        return self.title


class CandidateLine(Line):
    """A candidate project on one round's ballot. Its title is copied when the round is set up."""

    __tablename__ = "livelihood_candidate_line"

    id: Mapped[int] = mapped_column(ForeignKey("ballot_line.id", ondelete="CASCADE"), primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("livelihood_candidate.id"), index=True)

    __mapper_args__ = {"polymorphic_identity": "livelihood", "polymorphic_load": "inline"}

    candidate: Mapped[Candidate] = relationship()


class VoteResult(db.Model):
    """The vote's result as published (公布): a snapshot, so that the public page and the report say
    what was announced whatever happens to the records later. One per plan."""

    __tablename__ = "livelihood_vote_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("livelihood_vote_plan.id"), unique=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    year: Mapped[int]
    held_on: Mapped[date]
    title: Mapped[str] = mapped_column(String(200))
    rule_text: Mapped[str] = mapped_column(Text)
    # The first round's numbers: 应到, 实到, 发出, 收回 (ballots in), 有效, 无效.
    roster: Mapped[int]
    present: Mapped[int]
    issued: Mapped[int]
    returned: Mapped[int]
    valid: Mapped[int]
    invalid: Mapped[int]
    places: Mapped[int]
    candidates: Mapped[int]
    chosen: Mapped[int]
    vacancies: Mapped[int]
    # Every round's lines: [{"round": n, "candidate_id", "title", "yes", "no", "abstain", "invalid",
    # "passed", "chosen", "tied"}], in the report's order.
    lines: Mapped[list] = mapped_column(JSON, default=list)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    plan: Mapped[VotePlan] = relationship()

    @property
    def chosen_share(self) -> float | None:
        """票决率: the share of the candidates that were chosen."""
        return self.chosen / self.candidates if self.candidates else None

    @property
    def turnout(self) -> float | None:
        return self.present / self.roster if self.roster else None


class ChosenProject(db.Model):
    """A candidate the vote chose, and the item it became on the year's 民生实事 list."""

    __tablename__ = "livelihood_chosen_project"

    candidate_id: Mapped[int] = mapped_column(ForeignKey("livelihood_candidate.id"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), unique=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("livelihood_vote_result.id"), index=True)

    candidate: Mapped[Candidate] = relationship()
    item: Mapped[Item] = relationship()


class VoteReportDocument(StoredPdf, db.Model):
    """The stored result report (票决结果报告) of a plan's vote: what its closed rounds print does
    not change, so the PDF is served again until another round closes."""

    __tablename__ = "livelihood_vote_report_document"
    storage_folder = "vote-report"

    plan_id: Mapped[int] = mapped_column(
        ForeignKey("livelihood_vote_plan.id", ondelete="CASCADE"), primary_key=True
    )


class VoteSheetsDocument(StoredPdf, db.Model):
    """The stored ballot papers (表决票) of a round: one numbered paper per deputy on its roster,
    printed again only when what they print changes (the day, the place, the roster)."""

    __tablename__ = "livelihood_vote_sheets_document"
    storage_folder = "vote-sheets"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("livelihood_vote_round.id", ondelete="CASCADE"), primary_key=True
    )


# The engine finds the vote's shape and words through its registered kind.
from . import vote_kind  # noqa: E402, F401
