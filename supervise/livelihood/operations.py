"""Collecting livelihood project proposals: periods, submissions, the presidium's decisions.
Operations flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import select, update

from ..core.clock import utcnow
from ..core.errors import DomainError, PermissionDenied, flush_or_refuse
from ..core.history import event_writer
from ..core.idempotency import resent
from ..core.permissions import Role
from ..core.text import mask_private, strip_html
from ..extensions import db
from ..org.models import Township
from .models import Proposal, ProposalEvent, ProposalPeriod, ProposerKind
from .plan_models import VotePlan
from .plan_workflow import vote_begun
from .workflow import WORKFLOW, ProposalInput

if TYPE_CHECKING:
    from ..accounts.models import User

TITLE_MAX = 100
PROBLEM_MAX = 2000
PLACE_MAX = 100
NAME_MAX = 60
CONTACT_MAX = 100


# ---- periods ------------------------------------------------------------------------------------


def _check_presidium(user: User, township_id: int) -> None:
    if not user.is_presidium_of(township_id):
        raise PermissionDenied(_("只有本镇主席团可以管理民生实事项目的征集。"))


def create_period(
    user: User, township: Township, year: int, starts_on: date, ends_on: date | None
) -> ProposalPeriod:
    """Plan the collection for one year's projects; it takes proposals once opened."""
    _check_presidium(user, township.id)
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("截止日期不能早于开始日期。"))
    period = ProposalPeriod(township_id=township.id, year=year, starts_on=starts_on, ends_on=ends_on)
    if year_in_vote(township.id, year):  # a collection that could never be opened
        raise DomainError(_too_late(period))
    db.session.add(period)
    flush_or_refuse(_("%(year)s年的项目征集已经存在。", year=year))
    return period


def update_period_dates(
    user: User, period: ProposalPeriod, starts_on: date, ends_on: date | None
) -> ProposalPeriod:
    _check_presidium(user, period.township_id)
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("截止日期不能早于开始日期。"))
    period.starts_on, period.ends_on = starts_on, ends_on
    db.session.flush()
    return period


def year_in_vote(township_id: int, year: int) -> bool:
    """Whether the congress is deciding (or has decided) the year's projects: its vote has begun
    (a roll call at the session) or been published. Proposals for that year are then too late."""
    plan = db.session.execute(
        select(VotePlan).where(VotePlan.township_id == township_id, VotePlan.year == year)
    ).scalar_one_or_none()
    return plan is not None and vote_begun(plan)


def _too_late(period: ProposalPeriod) -> str:
    return _(
        "%(year)s年的民生实事项目由镇人民代表大会票决，已经开始或结束票决，不再征集建议。",
        year=period.year,
    )


def open_period(user: User, period: ProposalPeriod) -> ProposalPeriod:
    """Open (or reopen) the collection: the public form takes proposals within its dates; not for a
    year whose projects the congress is voting on or has voted on."""
    _check_presidium(user, period.township_id)
    if year_in_vote(period.township_id, period.year):
        raise DomainError(_too_late(period) + _("征集不能再开始。"))
    period.opened_at, period.opened_by_id = utcnow(), user.id
    period.closed_at, period.closed_by_id = None, None
    db.session.flush()
    return period


def close_period(user: User, period: ProposalPeriod) -> ProposalPeriod:
    _check_presidium(user, period.township_id)
    if period.opened_at is None or period.closed_at is not None:
        raise DomainError(_("征集没有在进行中。"))
    period.closed_at, period.closed_by_id = utcnow(), user.id
    db.session.flush()
    return period


def close_for_vote(user: User, township_id: int, year: int) -> None:
    """The congress holds the vote on the year's projects: the year's collection, if still open,
    is closed by the presidium member who holds it (the vote's code calls this)."""
    period = db.session.execute(
        select(ProposalPeriod).where(ProposalPeriod.township_id == township_id, ProposalPeriod.year == year)
    ).scalar_one_or_none()
    if period is not None and period.opened_at is not None and period.closed_at is None:
        close_period(user, period)


# ---- submitting ---------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ProposalText:
    """What a proposer typed (the form's data)."""

    title: str
    problem: str
    place: str = ""
    cost_wan: Decimal | None = None
    cost_approximate: bool = False
    proposer_name: str = ""
    proposer_contact: str = ""
    anonymous: bool = False


def _clean(text: ProposalText) -> dict[str, Any]:
    # What the public pages may show is masked as residents' opinions are (no phone or ID numbers).
    fields: dict[str, Any] = {
        "title": mask_private(strip_html(text.title)),
        "problem": mask_private(strip_html(text.problem)),
        "place": mask_private(strip_html(text.place)),
        "proposer_name": strip_html(text.proposer_name),
        "proposer_contact": strip_html(text.proposer_contact),
    }
    if not fields["title"]:
        raise DomainError(_("请填写项目名称。"))
    if not fields["problem"]:
        raise DomainError(_("请写明这个项目要解决什么问题。"))
    limits = {"title": TITLE_MAX, "problem": PROBLEM_MAX, "place": PLACE_MAX}
    limits |= {"proposer_name": NAME_MAX, "proposer_contact": CONTACT_MAX}
    for name, limit in limits.items():
        if len(fields[name]) > limit:
            raise DomainError(_("内容过长：最多 %(n)d 字。", n=limit))
    if text.cost_wan is not None and text.cost_wan < 0:
        raise DomainError(_("估算费用不能为负数。"))
    fields["cost_wan"] = text.cost_wan
    fields["cost_approximate"] = text.cost_approximate and text.cost_wan is not None
    return fields


def _take_number(period: ProposalPeriod) -> int:
    """The period's next proposal number; the UPDATE locks the period's row until the commit."""
    taken = db.session.execute(
        update(ProposalPeriod)
        .where(ProposalPeriod.id == period.id)
        .values(next_number=ProposalPeriod.next_number + 1)
        .returning(ProposalPeriod.next_number)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    return int(taken) - 1


def submit_proposal(period: ProposalPeriod, text: ProposalText, user: User | None = None) -> Proposal:
    """A resident (no user), a deputy or an office clerk proposes a project while the period is open."""
    if year_in_vote(period.township_id, period.year):
        raise DomainError(_too_late(period))
    if not period.is_open:
        raise DomainError(_("本次民生实事项目征集目前没有在进行，暂不能提交建议。"))
    fields = _clean(text)
    kind = ProposerKind.resident
    if user is not None:
        if user.township_id != period.township_id or user.role not in (Role.deputy, Role.government):
            raise PermissionDenied(_("只有本镇的代表和政府站所可以在这里提出建议。"))
        if user.role is Role.deputy:
            if user.deputy is None:
                raise PermissionDenied(_("您的账号没有关联代表，不能以代表身份提出建议。"))
            kind = ProposerKind.deputy
            fields |= {"deputy_id": user.deputy_id, "proposer_name": user.deputy.name}
        else:
            if user.office is None:
                raise PermissionDenied(_("您的账号没有关联站所，不能代表站所提出建议。"))
            kind = ProposerKind.office
            fields |= {"office_id": user.office_id, "proposer_name": user.display_name}
        fields["anonymous"] = False
    else:
        if not fields["proposer_name"] and not text.anonymous:
            raise DomainError(_("请填写您的姓名，或选择不公开姓名。"))
        fields["anonymous"] = text.anonymous or not fields["proposer_name"]
        earlier = resent(Proposal, Proposal.created_at, period_id=period.id, submitted_by_id=None, **fields)
        if earlier is not None:
            return earlier  # the same form sent again (Back, then submit): one proposal
    proposal = Proposal(
        township_id=period.township_id,
        period_id=period.id,
        number=_take_number(period),
        proposer_kind=kind,
        submitted_by_id=user.id if user is not None else None,
        created_at=utcnow(),
        **fields,
    )
    proposal.period = period
    return WORKFLOW.start(proposal, user, write_event=_record)


# ---- the presidium's decisions ------------------------------------------------------------------


_record = event_writer(ProposalEvent, "proposal")


def _decided(user: User, proposal: Proposal, _given: ProposalInput) -> None:
    proposal.decided_at, proposal.decided_by_id = utcnow(), user.id


def _rejected(user: User, proposal: Proposal, given: ProposalInput) -> None:
    _decided(user, proposal, given)
    # Plain text, as opinions: the proposer reads the reason, never markup.
    proposal.rejection_reason = strip_html(given.reason)


def _merged(user: User, proposal: Proposal, given: ProposalInput) -> dict[str, Any]:
    """Point this proposal, and those already merged into it, at the kept one: every proposer stays."""
    assert given.kept is not None  # the guard said so
    _decided(user, proposal, given)
    proposal.merged_into = given.kept
    moved = list(db.session.execute(select(Proposal).where(Proposal.merged_into_id == proposal.id)).scalars())
    for earlier in moved:
        earlier.merged_into = given.kept
    _record(given.kept, user, "absorb", None, None, "", merged=proposal.reference)
    return {"kept": given.kept.reference, "kept_id": given.kept.id, "with": [p.reference for p in moved]}


EFFECTS = {"accept": _decided, "forward": _decided, "reject": _rejected, "merge": _merged}


def decide(user: User, proposal: Proposal, action: str, given: ProposalInput | None = None) -> Proposal:
    """The presidium accepts, forwards, rejects (with a reason) or merges a proposal."""
    if given is not None and given.kept is not None and given.kept.township_id != proposal.township_id:
        raise DomainError(_("请选择保留的建议。"))
    WORKFLOW.fire(
        proposal, action, user, given or ProposalInput(), effect=EFFECTS.get(action), write_event=_record
    )
    return proposal
