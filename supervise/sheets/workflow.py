"""The sheet's life in one table, read by operations, permission checks and the buttons alike.

draft ─issue─▶ issued ─acknowledge─▶ acknowledged ─answer─▶ answered ─verify─▶ verified
                                                 ▲              │
                                       answer ── returned ◀─return (with a reason)

While an answer is owed (issued, acknowledged, returned) the office may ask for a later deadline
(request_extension); the presidium grants it with a new deadline or refuses it with a reason. These
keep the sheet's state; only one request is open at a time (their readiness checks say so).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.clock import today
from ..core.enums import N_
from ..core.permissions import Role
from ..core.workflow import PRESIDIUM, Actor, Texts, Transition, Workflow
from .models import AWAITING_ANSWER_STATES, FollowUpSheet, SheetState

if TYPE_CHECKING:
    from ..accounts.models import User

S = SheetState


@dataclass(frozen=True, kw_only=True)
class SheetInput:
    """What a user gives with an action on a sheet: the answer's measures and evidence, a reason."""

    measures: str = ""
    evidence: str = ""
    # Pending uploads of the answering clerk, attached to the answer's event.
    evidence_files: Sequence[Any] = ()
    reason: str = ""
    # Verifying: the presidium's verification opinion (核实意见).
    opinion: str = ""
    # Answering: the office's contact, when it had none yet (printed on the sheet).
    contact_person: str = ""
    contact_phone: str = ""
    # An extension request: the deadline the office asks for; a grant: the one the presidium gives.
    new_deadline: date | None = None


def addressed_office(sheet: FollowUpSheet, user: User) -> bool:
    """A clerk of the office the sheet is addressed to: only they sign for and answer it."""
    return user.is_clerk_of(sheet.township_id, sheet.lead_office_id)


# Guards return why the action cannot happen now, or None.
def issue_guard(sheet: FollowUpSheet, _given: SheetInput) -> str | None:
    missing = []
    if not sheet.lines:
        missing.append(_("督办事项或问题"))
    if not sheet.requirements.strip():
        missing.append(_("督办要求"))
    if sheet.lead_office_id is None:
        missing.append(_("承办单位"))
    if not sheet.leader_name.strip():
        missing.append(_("责任领导"))
    if sheet.deadline is None:
        missing.append(_("办理时限"))
    if missing:
        return _("督办单还缺少：%(fields)s。", fields=_("、").join(missing))
    # A draft saved days ago may have aged: a sheet is never born overdue.
    if problem := past_day_problem(sheet.deadline, _("办理时限")):
        return problem + _("请修改草稿中的办理时限后再下发。")
    return None


def answer_guard(_sheet: FollowUpSheet, given: SheetInput) -> str | None:
    if not given.measures.strip():
        return _("答复须填写采取的措施。")
    # Evidence is described in words, or attached as files (a photo says enough), or both.
    if not given.evidence.strip() and not given.evidence_files:
        return _("答复须附佐证材料：请填写佐证材料的说明，或附上至少一个佐证文件。")
    return None


def reason_guard(_sheet: FollowUpSheet, given: SheetInput) -> str | None:
    if not given.reason.strip():
        return _("请填写退回的理由。")
    return None


def opinion_guard(_sheet: FollowUpSheet, given: SheetInput) -> str | None:
    if not given.opinion.strip():
        return _("请填写核实意见。")
    return None


def extension_request_guard(sheet: FollowUpSheet, given: SheetInput) -> str | None:
    if not given.reason.strip():
        return _("请填写申请延期的理由。")
    return later_deadline_problem(sheet, given.new_deadline, _("申请延期至"))


def extension_grant_guard(sheet: FollowUpSheet, given: SheetInput) -> str | None:
    return later_deadline_problem(sheet, given.new_deadline, _("同意延期至"))


# The two rules every deadline a sheet is given keeps: when its draft is saved or issued (办理时限)
# and when an extension is asked for or granted (延期至).
def past_day_problem(day: date | None, what: str) -> str | None:
    """A deadline a sheet is given is not already past: today is the earliest."""
    if day is not None and day < today():
        return _(
            "“%(what)s”%(day)s 已过，不能早于今天（%(today)s）。",
            what=what,
            day=day.isoformat(),
            today=today().isoformat(),
        )
    return None


def latest_deadline(sheet: FollowUpSheet) -> date:
    """The latest day an extension may move the sheet's deadline to: the end of the last year its
    items run over (their list's year, or the end year of one that spans years, 跨年度), or of the
    year the sheet was issued in or is due in when that is later (a sheet about an item of last
    year still open, a sheet issued due next January, a sheet with findings only)."""
    years = [item.end_year or item.supervision_list.year for item in sheet.items]
    years.append(sheet.year or today().year)
    if sheet.deadline is not None:
        years.append(sheet.deadline.year)
    return date(max(years), 12, 31)


def later_deadline_problem(sheet: FollowUpSheet, day: date | None, what: str) -> str | None:
    """A new deadline is given, later than the sheet's, not already past, and not beyond the end
    of the year of the sheet's items (``latest_deadline``)."""
    if day is None:
        return _("请填写“%(what)s”的日期。", what=what)
    if sheet.deadline is not None and day <= sheet.deadline:
        return _("“%(what)s”须晚于现在的办理时限（%(day)s）。", what=what, day=sheet.deadline.isoformat())
    if problem := past_day_problem(day, what):
        return problem
    if day > (latest := latest_deadline(sheet)):
        return _(
            "“%(what)s”不能晚于 %(day)s：督办单的办理时限最迟到督办事项所属年度"
            "（跨年度事项为其结束年度）的年底。",
            what=what,
            day=latest.isoformat(),
        )
    return None


def extension_refusal_guard(_sheet: FollowUpSheet, given: SheetInput) -> str | None:
    if not given.reason.strip():
        return _("请填写不同意延期的理由。")
    return None


# Readiness: an extension request is offered only when none is open, a decision only when one is.
def no_open_extension(sheet: FollowUpSheet, _user: User) -> str | None:
    if sheet.open_extension is not None:
        return _("已有一份延期申请等待主席团决定。")
    return None


def has_open_extension(sheet: FollowUpSheet, _user: User) -> str | None:
    if sheet.open_extension is None:
        return _("没有等待决定的延期申请。")
    return None


ADDRESSED_OFFICE = Actor(frozenset({Role.government}), addressed_office)

WORKFLOW: Workflow[FollowUpSheet, SheetState, SheetInput] = Workflow(
    (
        Transition(
            action="issue",
            label=_l("编号下发"),
            sources=frozenset({S.draft}),
            target=S.issued,
            by=PRESIDIUM,
            guard=issue_guard,
            confirm=_l("编号下发后，督办单送达承办单位，不能再修改或删除。确定要下发吗？"),
        ),
        Transition(
            action="acknowledge",
            label=_l("签收"),
            sources=frozenset({S.issued}),
            target=S.acknowledged,
            by=ADDRESSED_OFFICE,
        ),
        Transition(
            action="answer",
            label=_l("答复办理情况"),
            sources=frozenset({S.acknowledged, S.returned}),
            target=S.answered,
            by=ADDRESSED_OFFICE,
            guard=answer_guard,
            style="success",
            inputs=("measures", "evidence"),
        ),
        Transition(
            action="verify",
            label=_l("核实办结"),
            sources=frozenset({S.answered}),
            target=S.verified,
            by=PRESIDIUM,
            guard=opinion_guard,
            style="success",
            inputs=("opinion",),
            confirm=_l("核实办结后，督办单即告办结，不能再退回重办。确定要核实办结吗？"),
        ),
        Transition(
            action="return",
            label=_l("退回重办"),
            sources=frozenset({S.answered}),
            target=S.returned,
            by=PRESIDIUM,
            guard=reason_guard,
            style="danger",
            inputs=("reason",),
        ),
        Transition(
            action="request_extension",
            label=_l("申请延期"),
            sources=AWAITING_ANSWER_STATES,
            by=ADDRESSED_OFFICE,
            ready=no_open_extension,
            guard=extension_request_guard,
            style="warning",
            inputs=("new_deadline", "reason"),
        ),
        Transition(
            action="grant_extension",
            label=_l("同意延期"),
            sources=AWAITING_ANSWER_STATES,
            by=PRESIDIUM,
            ready=has_open_extension,
            guard=extension_grant_guard,
            style="success",
            inputs=("new_deadline", "reason"),
        ),
        Transition(
            action="refuse_extension",
            label=_l("不同意延期"),
            sources=AWAITING_ANSWER_STATES,
            by=PRESIDIUM,
            ready=has_open_extension,
            guard=extension_refusal_guard,
            style="danger",
            inputs=("reason",),
        ),
    ),
    texts=Texts(
        forbidden=N_("您不能对这张督办单进行“%(action)s”。"),
        wrong_state=N_("督办单当前为“%(state)s”，不能“%(action)s”。"),
        conflict=N_("在您操作的同时，其他人已处理了这张督办单。请刷新页面，查看最新情况后再操作。"),
    ),
)
TRANSITIONS = WORKFLOW.transitions

EVENT_LABELS = {
    "create": _l("起草督办单"),
    "amend": _l("修改草稿"),
    **{action: t.label for action, t in TRANSITIONS.items()},
}
