"""The vote plan and its candidates (初定 / 审议): creating the plan, drafting candidates, fixing the
list, deliberation remarks. Operations flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..core.clock import today, utcnow
from ..core.documents import changed
from ..core.errors import DomainError, PermissionDenied, flush_or_refuse
from ..core.history import add_event
from ..core.permissions import Role
from ..core.text import strip_html
from ..extensions import db
from ..org.models import Deputy, Office, Township
from .models import KEEPABLE_STATES, Proposal, ProposalEvent, ProposalPeriod
from .plan_models import Candidate, CandidateRemark, PlanState, VotePlan, is_candidate_editor
from .plan_workflow import WORKFLOW, PlanInput

if TYPE_CHECKING:
    from ..accounts.models import User

SHEET_KIND = "candidates"  # the candidate sheet's DocumentKind (plan_documents.py)
TITLE_MAX = 200
TEXT_MAX = 5000
REMARK_MAX = 2000


def _check_presidium(user: User, township_id: int) -> None:
    if not user.is_presidium_of(township_id):
        raise PermissionDenied(_("只有本镇主席团可以管理票决方案。"))


def _check_drafting(plan: VotePlan) -> None:
    if plan.state is not PlanState.DRAFTING:
        raise DomainError(_("候选项目已确定，不能再修改；如需修改，请主席团先退回修改。"))


# ---- the plan -----------------------------------------------------------------------------------


def create_plan(
    user: User,
    township: Township,
    year: int,
    period: ProposalPeriod | None,
    places: int = 0,
    surplus_percent: int = 20,
) -> VotePlan:
    """The presidium starts the vote's plan for one year's projects, drawing on a collection."""
    _check_presidium(user, township.id)
    if period is not None and period.township_id != township.id:
        raise DomainError(_("请选择本镇的项目征集。"))
    if period is not None and period.year != year:
        raise DomainError(
            _(
                "所选的是%(period)s年的项目征集，与项目实施年度%(year)s年不一致：请选择%(year)s年的征集，"
                "或选择“不依据征集”。",
                period=period.year,
                year=year,
            )
        )
    plan = VotePlan(
        township_id=township.id,
        year=year,
        period_id=period.id if period is not None else None,
        places=places,
        surplus_percent=surplus_percent,
        created_by_id=user.id,
        created_at=utcnow(),
    )
    db.session.add(plan)
    flush_or_refuse(_("%(year)s年的票决方案已经存在。", year=year))
    return plan


def set_places(user: User, plan: VotePlan, places: int, surplus_percent: int) -> VotePlan:
    """The presidium sets the number to choose (应选 N) and the surplus rule (差额比例)."""
    _check_presidium(user, plan.township_id)
    _check_drafting(plan)
    if places < 1:
        raise DomainError(_("应选项目数须至少为 1 个。"))
    if not 0 <= surplus_percent <= 100:
        raise DomainError(_("差额比例应在 0 到 100 之间。"))
    plan.places, plan.surplus_percent = places, surplus_percent
    _sheet_changed(plan)
    return plan


def fire(user: User, plan: VotePlan, action: str) -> VotePlan:
    """Fix the candidate list, reopen it, or (the vote's code) mark it voted."""
    WORKFLOW.fire(plan, action, user, PlanInput(), effect=_EFFECTS.get(action), write_event=_no_event)
    changed(SHEET_KIND, plan.id)
    return plan


def _fixed(user: User, plan: VotePlan, _given: PlanInput) -> None:
    plan.fixed_at, plan.fixed_by_id = utcnow(), user.id


def _reopened(_user: User, plan: VotePlan, _given: PlanInput) -> None:
    plan.fixed_at, plan.fixed_by_id = None, None


_EFFECTS = {"fix": _fixed, "reopen": _reopened}


def _sheet_changed(plan: VotePlan) -> None:
    """Flush (a lost race is the conflict refusal); the candidate sheet prints something else now."""
    WORKFLOW.flush()
    changed(SHEET_KIND, plan.id)


def _no_event(*_args: Any, **_details: Any) -> None:
    """The plan keeps who fixed it and when on its row; its candidates' proposals keep their events."""
    return None


# ---- candidates ---------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CandidateText:
    """What the government typed for a candidate (the form's data, ids already chosen)."""

    title: str
    content: str = ""
    target: str = ""
    amount_wan: Decimal | None = None
    amount_approximate: bool = False
    fund_source: str = ""
    lead_office_id: int | None = None
    joint_lead_office_ids: list[int] = field(default_factory=list)
    deadline: date | None = None
    proposal_ids: list[int] = field(default_factory=list)


def offered_proposals(plan: VotePlan) -> list[Proposal]:
    """The proposals a candidate may answer: the plan's collection's taken-up ones (accepted or
    forwarded); a merged proposal is offered as the one it was merged into."""
    if plan.period_id is None:
        return []
    query = (
        select(Proposal)
        .where(Proposal.period_id == plan.period_id, Proposal.state.in_(KEEPABLE_STATES))
        .order_by(Proposal.number)
    )
    return list(db.session.execute(query).scalars())


def survivor(proposal: Proposal) -> Proposal:
    """The proposal a merged one lives on in (merges point at the kept one directly)."""
    seen = set()
    while proposal.merged_into is not None and proposal.id not in seen:
        seen.add(proposal.id)
        proposal = proposal.merged_into
    return proposal


def _chosen_proposals(plan: VotePlan, ids: list[int]) -> list[Proposal]:
    offered = {p.id: p for p in offered_proposals(plan)}
    found: list[Proposal] = (
        list(db.session.execute(select(Proposal).where(Proposal.id.in_(ids))).scalars()) if ids else []
    )
    chosen: dict[int, Proposal] = {}
    for proposal in found:
        kept = survivor(proposal)
        if kept.id not in offered:
            raise DomainError(_("只能选择本次征集中已采纳或已交政府测算的建议。"))
        chosen[kept.id] = kept
    return sorted(chosen.values(), key=lambda p: p.number)


def _offices(township_id: int, ids: list[int]) -> list[Office]:
    if not ids:
        return []
    offices = list(db.session.execute(select(Office).where(Office.id.in_(ids))).scalars())
    if len(offices) != len(set(ids)) or any(o.township_id != township_id for o in offices):
        raise DomainError(_("请选择本镇的站所作为牵头单位。"))
    return offices


def _check_deadline(plan: VotePlan, candidate: Candidate, deadline: date | None) -> None:
    """A project is carried out in the plan's year: its deadline is not before that year starts, nor
    (when it is set or changed) before today."""
    if deadline is None:
        return
    if deadline < date(plan.year, 1, 1):
        raise DomainError(
            _(
                "完成时限 %(day)s 早于项目实施年度（%(year)d年）的开始，请填写%(year)d年内或之后的日期。",
                day=deadline.isoformat(),
                year=plan.year,
            )
        )
    if deadline != candidate.deadline and deadline < today():
        raise DomainError(_("完成时限 %(day)s 已经过去，请填写今天以后的日期。", day=deadline.isoformat()))


def _apply(plan: VotePlan, candidate: Candidate, text: CandidateText) -> None:
    title = strip_html(text.title).strip()
    if not title:
        raise DomainError(_("请填写项目名称。"))
    if len(title) > TITLE_MAX or len(text.content) > TEXT_MAX or len(text.target) > TEXT_MAX:
        raise DomainError(_("内容过长。"))
    if text.amount_wan is not None and text.amount_wan < 0:
        raise DomainError(_("投资金额不能为负数。"))
    _check_deadline(plan, candidate, text.deadline)
    lead = _offices(plan.township_id, [text.lead_office_id] if text.lead_office_id else [])
    candidate.title = title
    candidate.content = strip_html(text.content).strip()
    candidate.target = strip_html(text.target).strip()
    candidate.amount_wan = text.amount_wan
    candidate.amount_approximate = text.amount_approximate and text.amount_wan is not None
    candidate.fund_source = strip_html(text.fund_source).strip()[:200]
    candidate.lead_office_id = lead[0].id if lead else None
    candidate.lead_office = lead[0] if lead else None
    joint = [o for o in _offices(plan.township_id, text.joint_lead_office_ids) if o not in lead]
    candidate.joint_lead_offices = joint
    candidate.deadline = text.deadline


def _link_proposals(user: User, candidate: Candidate, proposals: list[Proposal]) -> None:
    """Link the candidate to the proposals it answers; each proposal's history says so."""
    before = {p.id for p in candidate.proposals}
    after = {p.id for p in proposals}
    for proposal in proposals:
        if proposal.id not in before:
            _proposal_event(user, proposal, "candidate", candidate)
    for proposal in candidate.proposals:
        if proposal.id not in after:
            _proposal_event(user, proposal, "uncandidate", candidate)
    candidate.proposals = proposals


def _proposal_event(user: User, proposal: Proposal, action: str, candidate: Candidate) -> None:
    add_event(ProposalEvent, user, action, None, None, "", {"candidate": candidate.title}, proposal=proposal)


def record_vote_fate(user: User, plan: VotePlan, items: dict[int, Any]) -> None:
    """Once the vote's result is published, each proposal a candidate answered (and those merged
    into it) says in its history whether it was chosen, and the item it became."""
    for candidate in plan.ballot_candidates:
        item = items.get(candidate.id)
        details = {"candidate": candidate.title, **({"item": item.code} if item is not None else {})}
        for answered in candidate.proposals:
            for proposal in answered.all_proposals:
                action = "chosen" if item is not None else "not_chosen"
                add_event(ProposalEvent, user, action, None, None, "", details, proposal=proposal)


def create_candidate(user: User, plan: VotePlan, text: CandidateText) -> Candidate:
    """Government clerks (or the presidium) add a candidate, at the end of the ballot's order."""
    _check_editing(user, plan)
    last = db.session.execute(
        select(func.max(Candidate.position)).where(Candidate.plan_id == plan.id)
    ).scalar_one_or_none()
    candidate = Candidate(
        plan_id=plan.id,
        township_id=plan.township_id,
        position=(last or 0) + 1,
        created_by_id=user.id,
        created_at=utcnow(),
    )
    with db.session.no_autoflush:  # the candidate is added once its fields are all set
        _apply(plan, candidate, text)
        proposals = _chosen_proposals(plan, text.proposal_ids)
    db.session.add(candidate)
    db.session.flush()
    db.session.expire(plan, ["candidates"])
    _link_proposals(user, candidate, proposals)
    _sheet_changed(plan)
    return candidate


def update_candidate(user: User, candidate: Candidate, text: CandidateText) -> Candidate:
    plan = candidate.plan
    _check_editing(user, plan)
    _apply(plan, candidate, text)
    _link_proposals(user, candidate, _chosen_proposals(plan, text.proposal_ids))
    _sheet_changed(plan)
    return candidate


def _check_editing(user: User, plan: VotePlan) -> None:
    if plan.can_edit_candidates(user):
        return
    if not is_candidate_editor(user, plan.township_id):
        raise PermissionDenied(_("只有本镇政府和主席团可以拟定候选项目。"))
    _check_drafting(plan)


def withdraw_candidate(user: User, candidate: Candidate, withdraw: bool = True) -> Candidate:
    """Take a candidate off the ballot before the list is fixed (or put it back)."""
    plan = candidate.plan
    _check_editing(user, plan)
    if withdraw == candidate.is_withdrawn:
        raise DomainError(_("这个候选项目已经撤回。") if withdraw else _("这个候选项目没有撤回。"))
    candidate.withdrawn_at = utcnow() if withdraw else None
    candidate.withdrawn_by_id = user.id if withdraw else None
    for proposal in candidate.proposals:
        _proposal_event(user, proposal, "uncandidate" if withdraw else "candidate", candidate)
    _sheet_changed(plan)
    return candidate


def move_candidate(user: User, candidate: Candidate, step: int) -> Candidate:
    """Move a candidate one place up (-1) or down (+1) on the ballot, among those on it."""
    plan = candidate.plan
    _check_editing(user, plan)
    order = plan.ballot_candidates
    if candidate not in order:
        raise DomainError(_("撤回的候选项目不在票上。"))
    at = order.index(candidate)
    if not 0 <= at + step < len(order):
        return candidate
    order[at], order[at + step] = order[at + step], order[at]
    for n, each in enumerate(order, start=1):
        each.position = n
    _sheet_changed(plan)
    return candidate


# ---- deliberation remarks -----------------------------------------------------------------------


def add_remark(
    user: User, plan: VotePlan, text: str, candidate: Candidate | None = None, deputy: Deputy | None = None
) -> CandidateRemark:
    """A deputy's remark (审议意见) on a candidate or the whole plan; the presidium records one
    spoken in the group's deliberation on the deputy's behalf."""
    if not plan.can_remark(user):
        if plan.state not in (PlanState.DRAFTING, PlanState.FIXED) and user.can_see_township(
            plan.township_id
        ):
            raise DomainError(_("票决已经结束，不能再提审议意见。"))
        raise PermissionDenied(_("只有本镇代表和主席团可以记录审议意见。"))
    if user.role is Role.deputy:
        if deputy is not None and deputy.id != user.deputy_id:
            raise PermissionDenied(_("代表只能提出自己的审议意见。"))
        deputy = db.session.get(Deputy, user.deputy_id)
    if deputy is None or deputy.township_id != plan.township_id:
        raise DomainError(_("请选择提出意见的代表。"))
    if candidate is not None and candidate.plan_id != plan.id:
        raise DomainError(_("请选择这个票决方案中的候选项目。"))
    cleaned = strip_html(text).strip()
    if not cleaned:
        raise DomainError(_("请填写审议意见。"))
    if len(cleaned) > REMARK_MAX:
        raise DomainError(_("内容过长：最多 %(n)d 字。", n=REMARK_MAX))
    remark = CandidateRemark(
        plan_id=plan.id,
        candidate_id=candidate.id if candidate is not None else None,
        deputy_id=deputy.id,
        text=cleaned,
        recorded_by_id=user.id,
        at=utcnow(),
    )
    db.session.add(remark)
    db.session.flush()
    return remark
