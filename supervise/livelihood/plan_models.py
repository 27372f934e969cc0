"""The vote's plan (票决方案) and its candidate projects (候选项目, 初定 / 审议).

The government turns proposals into costed candidates; the presidium fixes the number to choose
(应选 N) and checks the surplus (差额): the candidates must exceed N by at least ceil(N × p%).
Deputies' remarks during deliberation (审议意见) are recorded against the plan or a candidate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import utcnow
from ..core.enums import N_, LabeledEnum, enum_column_type
from ..core.history import append_only
from ..core.pdf import StoredPdf
from ..core.permissions import Role
from ..core.tables import link_table
from ..extensions import db
from ..org.models import Deputy, Office, Township
from .models import Proposal, ProposalPeriod

DEFAULT_SURPLUS_PERCENT = 20


class PlanState(LabeledEnum):
    """Where the plan is; the transitions are livelihood/plan_workflow.py."""

    DRAFTING = ("drafting", N_("候选项目拟定中"), "secondary")
    FIXED = ("fixed", N_("候选项目已确定"), "primary")
    VOTED = ("voted", N_("已票决"), "success")


# Deputies may still remark while the candidates are drafted or fixed, not once the vote is held.
REMARKABLE_STATES = frozenset({PlanState.DRAFTING, PlanState.FIXED})


@dataclass(frozen=True)
class SurplusCheck:
    """The surplus rule (差额) applied to a count of candidates: what the page, the fixing and the
    printed sheet say."""

    ok: bool
    count: int
    places: int
    percent: int
    required: int  # the fewest candidates the rule allows

    @property
    def surplus(self) -> int:
        return self.count - self.places

    @property
    def real_percent(self) -> int:
        """How many more candidates than places there are, in per cent of the places, rounded down
        (so that it never claims more than the rule's minimum it barely meets)."""
        return self.surplus * 100 // self.places if self.places >= 1 else 0

    @property
    def missing(self) -> int:
        """How many more candidates the rule asks for (0 when it is met)."""
        return max(self.required - self.count, 0)

    @property
    def text(self) -> str:
        """What the candidates are against the rule; when short, what is missing, in words that fit
        the case (no candidate yet, fewer than the places, a surplus below the rule's share)."""
        if self.places < 1:
            return _("应选项目数须至少为 1 个。")
        if self.ok:
            return self._met_text()
        # ngettext: English counts the candidates still needed ("1 more candidate is needed").
        if self.count == 0:
            return ngettext(
                "还没有候选项目，应选 %(places)d 个，至少应有 %(num)d 个候选项目",
                "还没有候选项目，应选 %(places)d 个，至少应有 %(num)d 个候选项目",
                self.required,
                places=self.places,
            )
        if self.count < self.places:
            return ngettext(
                "候选项目只有 %(count)d 个，少于应选的 %(places)d 个；至少应有 %(required)d 个候选项目，"
                "还差 %(num)d 个",
                "候选项目只有 %(count)d 个，少于应选的 %(places)d 个；至少应有 %(required)d 个候选项目，"
                "还差 %(num)d 个",
                self.missing,
                count=self.count,
                places=self.places,
                required=self.required,
            )
        # Here the rule asks for a surplus (a 0% rule is met by as many candidates as places).
        return ngettext(
            "候选项目 %(count)d 个，应选 %(places)d 个，差额未达到规则要求的 %(percent)d%%；"
            "至少应有 %(required)d 个候选项目，还差 %(num)d 个",
            "候选项目 %(count)d 个，应选 %(places)d 个，差额未达到规则要求的 %(percent)d%%；"
            "至少应有 %(required)d 个候选项目，还差 %(num)d 个",
            self.missing,
            count=self.count,
            places=self.places,
            percent=self.percent,
            required=self.required,
        )

    def _met_text(self) -> str:
        if not self.percent:
            return _(
                "候选项目 %(count)d 个，应选 %(places)d 个，差额 %(surplus)d 个（规则不要求差额）",
                count=self.count,
                places=self.places,
                surplus=self.surplus,
            )
        # The real surplus (4 for 3 places: 33%) and the rule's minimum, told apart.
        return _(
            "候选项目 %(count)d 个，应选 %(places)d 个，"
            "差额 %(surplus)d 个（%(real)d%%，规则要求至少 %(percent)d%%）",
            count=self.count,
            places=self.places,
            surplus=self.surplus,
            real=self.real_percent,
            percent=self.percent,
        )

    @property
    def rule_text(self) -> str:
        """The rule itself, as printed on the candidate sheet."""
        if not self.percent:
            return _("应选 %(places)d 个；不要求差额，候选项目数不少于应选数即可", places=self.places)
        return _(
            "应选 %(places)d 个；候选项目数应多于应选数至少 %(percent)d%%（不少于 %(required)d 个）",
            places=self.places,
            percent=self.percent,
            required=self.required,
        )


def surplus_check(count: int, places: int, percent: int) -> SurplusCheck:
    """Candidates must number at least places + ceil(places × percent / 100), and places at least 1."""
    required = places + -(-places * percent // 100)
    return SurplusCheck(places >= 1 and count >= required, count, places, percent, required)


class VotePlan(db.Model):
    """One township's vote on one year's livelihood projects: how many to choose, the surplus rule
    and the candidates. The vote itself (roll call, ballots, tally) is built on a fixed plan."""

    __tablename__ = "livelihood_vote_plan"
    __table_args__ = (
        UniqueConstraint("township_id", "year", name="uq_livelihood_vote_plan_year"),
        CheckConstraint("places >= 0", name="places_not_negative"),
        CheckConstraint("surplus_percent >= 0 AND surplus_percent <= 100", name="surplus_percent_range"),
        CheckConstraint("state = 'drafting' OR fixed_at IS NOT NULL", name="fixed_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    # The year the chosen projects are carried out.
    year: Mapped[int]
    period_id: Mapped[int | None] = mapped_column(ForeignKey("livelihood_period.id"), index=True)
    places: Mapped[int] = mapped_column(default=0)  # 应选 N
    surplus_percent: Mapped[int] = mapped_column(default=DEFAULT_SURPLUS_PERCENT)
    state: Mapped[PlanState] = mapped_column(
        enum_column_type(PlanState, "plan_state"), default=PlanState.DRAFTING
    )
    fixed_at: Mapped[datetime | None]
    fixed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    township: Mapped[Township] = relationship()
    period: Mapped[ProposalPeriod | None] = relationship()
    fixed_by = relationship("User", foreign_keys=[fixed_by_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    candidates: Mapped[list[Candidate]] = relationship(
        back_populates="plan", order_by="(Candidate.position, Candidate.id)"
    )

    @property
    def ballot_candidates(self) -> list[Candidate]:
        """The candidates on the ballot, in their order: the withdrawn ones left out."""
        return [c for c in self.candidates if not c.is_withdrawn]

    @property
    def surplus(self) -> SurplusCheck:
        return surplus_check(len(self.ballot_candidates), self.places, self.surplus_percent)

    @property
    def title(self) -> str:
        return _("%(township)s%(year)s年民生实事候选项目", township=self.township.name, year=self.year)

    def is_visible_to(self, user) -> bool:
        return user.can_see_township(self.township_id)

    def can_edit_candidates(self, user) -> bool:
        """Government clerks and the presidium of its township, while the candidates are drafted."""
        return self.state is PlanState.DRAFTING and is_candidate_editor(user, self.township_id)

    def can_remark(self, user) -> bool:
        """A deputy of the township (their own remark) or its presidium (a deputy's spoken one)."""
        if self.state not in REMARKABLE_STATES:
            return False
        if user.role is Role.deputy:
            return user.township_id == self.township_id and user.deputy_id is not None
        return user.is_presidium_of(self.township_id)


def is_candidate_editor(user, township_id: int) -> bool:
    """Who drafts candidates (初定): the township's government clerks, and its presidium."""
    if user.role is Role.government:
        return user.township_id == township_id
    return user.is_presidium_of(township_id)


candidate_joint_lead_office = link_table("livelihood_candidate_joint_lead", "livelihood_candidate", "office")
candidate_proposal = link_table(
    "livelihood_candidate_proposal", "livelihood_candidate", "livelihood_proposal", index_other=True
)


class Candidate(db.Model):
    """A candidate project (候选项目) on the plan's ballot, costed by the government."""

    __tablename__ = "livelihood_candidate"
    __table_args__ = (CheckConstraint("amount_wan IS NULL OR amount_wan >= 0", name="amount_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("livelihood_vote_plan.id"), index=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)  # its order on the ballot
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text, default="")  # 建设内容
    target: Mapped[str] = mapped_column(Text, default="")  # 目标
    amount_wan: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))  # 投资金额，万元
    amount_approximate: Mapped[bool] = mapped_column(default=False, server_default=false())
    fund_source: Mapped[str] = mapped_column(String(200), default="")  # 资金来源
    lead_office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"), index=True)
    deadline: Mapped[date | None]  # 完成时限
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    plan: Mapped[VotePlan] = relationship(back_populates="candidates")
    lead_office: Mapped[Office | None] = relationship()
    joint_lead_offices: Mapped[list[Office]] = relationship(secondary=candidate_joint_lead_office)
    proposals: Mapped[list[Proposal]] = relationship(secondary=candidate_proposal, order_by="Proposal.number")
    created_by = relationship("User", foreign_keys=[created_by_id])

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def lead_offices(self) -> list[Office]:
        """The lead office and the joint leads (联合牵头), lead first, as Item.lead_offices."""
        leads = [self.lead_office] if self.lead_office is not None else []
        return leads + [office for office in self.joint_lead_offices if office not in leads]

    @property
    def proposal_references(self) -> str:
        return "、".join(p.reference for p in self.proposals)

    def missing(self) -> list[str]:
        """What the candidate still lacks before the list can be fixed."""
        lacks = []
        if self.lead_office_id is None:
            lacks.append(_("牵头单位"))
        if self.amount_wan is None:
            lacks.append(_("投资金额"))
        if self.deadline is None:
            lacks.append(_("完成时限"))
        return lacks

    def is_visible_to(self, user) -> bool:
        return user.can_see_township(self.township_id)

    def __str__(self) -> str:
        return self.title


class CandidateRemark(db.Model):
    """A deputy's remark during deliberation (审议意见), on a candidate or on the plan as a whole;
    written by the deputy or recorded by the presidium from the group's discussion. Append-only."""

    __tablename__ = "livelihood_candidate_remark"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("livelihood_vote_plan.id"), index=True)
    candidate_id: Mapped[int | None] = mapped_column(ForeignKey("livelihood_candidate.id"), index=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputy.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    plan: Mapped[VotePlan] = relationship()
    candidate: Mapped[Candidate | None] = relationship()
    deputy: Mapped[Deputy] = relationship()
    recorded_by = relationship("User")

    @property
    def recorded_for_deputy(self) -> bool:
        """Recorded by the presidium on the deputy's behalf (spoken in the group's deliberation)."""
        return self.recorded_by is not None and self.recorded_by.deputy_id != self.deputy_id


append_only(CandidateRemark, message="Deliberation remarks are append-only.")


class CandidateSheetDocument(StoredPdf, db.Model):
    """The stored candidate sheet (候选项目表) of a plan, served again while what it prints is unchanged."""

    __tablename__ = "livelihood_candidate_sheet_document"
    storage_folder = "candidate-sheet"

    plan_id: Mapped[int] = mapped_column(
        ForeignKey("livelihood_vote_plan.id", ondelete="CASCADE"), primary_key=True
    )
