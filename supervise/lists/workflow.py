"""The item workflow (事项流程): one table of transitions that permissions, buttons and the timeline read.

Each entry says, for an action: the states it may start from, where it leads (no target: the state
stays), the roles and, among them, who may fire it, and the guards that must hold. The engine is
supervise/core/workflow.py; lists/operations.py carries the transitions out; views only ask.

draft ─confirm─▶ listed ─assign─▶ supervising ⇄ consulting (open/conclude a consultation)
supervising ─report_done─▶ completed ─verify─▶ verified;  record_result on any open state
(不满意: completed/verified back to supervising, others stay; 满意/基本满意: the state stays)
completed ─reject─▶ supervising;  verified ─close─▶ closed;  any live state ─withdraw─▶ withdrawn;
unfinished ─carry_over─▶ carried_over.  amend and answer change fields and stay in the state.
A suggestion's proposer judges its answer (answer_opinion): 不满意 sends it back for fresh handling
(重新办理) with a new answer deadline, and a reported-done suggestion back to supervising; the
presidium may move that deadline within one to two months (reanswer_deadline).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.enums import N_
from ..core.permissions import Role
from ..core.workflow import PRESIDIUM, Actor, Branch, Texts, Transition, Workflow
from .answer_rules import has_answer, in_fresh_handling, opinion_guard, proposer, reanswer_due_guard
from .models import (
    EDITABLE_STATES,
    LIVE_STATES,
    RATEABLE_STATES,
    UNDER_WAY_STATES,
    UNFINISHED_STATES,
    Item,
    ItemState,
    ListKind,
    Rating,
)

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..org.models import Deputy

S = ItemState


@dataclass(frozen=True, kw_only=True)
class ItemInput:
    """What a user gives with an action on an item: the guards judge it, the effects keep it."""

    reason: str = ""
    # Withdrawing a livelihood project: the congress's decision (文号或会议).
    decision: str = ""
    deputies: Sequence[Deputy] = ()
    report: str = ""
    evidence: str = ""
    comment: str = ""
    rating: Rating | None = None
    # From the evaluation meeting: its date and its tally (meeting id, summary, link).
    rated_on: date | None = None
    evaluation: dict[str, Any] | None = None
    # Set when the whole list is confirmed, and by the consultation that opens or concludes.
    whole_list: bool = False
    consultation_id: int | None = None
    # The presidium's new answer deadline of a suggestion sent back for fresh handling.
    due_on: date | None = None


# Who, among a transition's roles, may fire it on this item.


def lead_office(item: Item, user: User) -> bool:
    """A clerk of the lead office or of a joint lead office (联合牵头)."""
    return item.is_lead_clerk(user)


def supervisor(item: Item, user: User) -> bool:
    return user.supervises(item)


def suggestion_lead_office(item: Item, user: User) -> bool:
    """Only a deputy's suggestion is answered, by its lead office."""
    return item.kind is ListKind.suggestion and lead_office(item, user)


# Guards return a reason the action cannot happen now, or None.
def list_defaults_for(item: Item) -> dict[str, Any]:
    """What confirming its list gives this item from the list's defaults: the default deadline (the
    year's end unless set) when it names none, its title as its target when it has none and the list
    says "the title is the target" (标题即目标). Real lists leave both implied."""
    defaults: dict[str, Any] = {}
    supervision_list = item.supervision_list
    if item.deadline is None:
        # A multi-year item (跨年度) runs to the end of its last year.
        defaults["deadline"] = (
            date(item.end_year, 12, 31) if item.end_year else supervision_list.effective_default_deadline
        )
    if not item.target.strip() and supervision_list.title_is_target:
        defaults["target"] = item.title
    return defaults


def missing_for_listing(item: Item, _given: ItemInput) -> str | None:
    missing = []
    defaults = list_defaults_for(item)
    if item.lead_office_id is None:
        missing.append(_("主办单位"))
    if item.deadline is None and "deadline" not in defaults:
        missing.append(_("完成时限"))
    if not item.target.strip() and "target" not in defaults:
        missing.append(_("目标/标准"))
    if missing:
        return _("事项 %(code)s 缺少：%(fields)s。", code=item.code, fields=_("、").join(missing))
    return None


def end_year_problem(item: Item) -> str | None:
    """An item spanning years ends after its list's year (checked whenever the item is saved)."""
    first = item.supervision_list.year
    if item.end_year is not None and item.end_year <= first:
        return _(
            "事项 %(code)s 标为跨年度，其结束年度须晚于清单年度（%(year)d 年）。", code=item.code, year=first
        )
    return None


def deadline_year_problem(item: Item) -> str | None:
    """The deadline falls in the list's year; an item spanning years may end by its end year."""
    first = item.supervision_list.year
    if problem := end_year_problem(item):
        return problem
    if item.deadline is None:
        return None
    last = item.end_year or first
    if first <= item.deadline.year <= last:
        return None
    if item.deadline.year < first:
        return _(
            "事项 %(code)s 的完成时限 %(deadline)s 早于清单年度（%(year)d 年），请填写新的完成时限。",
            code=item.code,
            deadline=item.deadline.isoformat(),
            year=first,
        )
    if item.end_year is None:
        return _(
            "事项 %(code)s 的完成时限 %(deadline)s 不在清单年度（%(year)d 年）内；"
            "跨年度完成的事项请在事项中标为跨年度并填写结束年度。",
            code=item.code,
            deadline=item.deadline.isoformat(),
            year=first,
        )
    return _(
        "事项 %(code)s 的完成时限 %(deadline)s 不在 %(first)d 至 %(last)d 年之间。",
        code=item.code,
        deadline=item.deadline.isoformat(),
        first=first,
        last=last,
    )


def supervisors_guard(item: Item, given: ItemInput) -> str | None:
    deputies = list(given.deputies)
    if not deputies:
        return _("请至少选择 1 名义务监督员。")
    if len(deputies) > 2:
        return _("每个事项最多 2 名义务监督员。")
    if len({d.id for d in deputies}) != len(deputies):
        return _("同一名代表不能重复选择。")
    if any(d.township_id != item.township_id or not d.is_active for d in deputies):
        return _("义务监督员必须是本镇在任的代表。")
    current = {a.deputy_id for a in item.assignments if a.ended_at is None}
    if current and current == {d.id for d in deputies}:
        # The same deputies again: nothing to change, and no event that says something changed.
        return _("所选代表已是这个事项的义务监督员，没有变化。")
    return None


def completion_guard(item: Item, given: ItemInput) -> str | None:
    if not given.report.strip() or not given.evidence.strip():
        return _("报告完成需要填写完成情况和佐证材料。")
    if item.kind is ListKind.suggestion and item.answer_class is None:
        return _("代表建议须先答复（选择答复类别）才能报告完成。")
    if item.reanswer_due is not None:
        return _("提出建议的代表对答复不满意，须重新答复后才能报告完成。")
    return None


def verify_guard(item: Item, _given: ItemInput) -> str | None:
    current = [a for a in item.assignments if a.ended_at is None]
    if not current:
        return _("事项没有义务监督员，无人确认完成。")
    pending = [a.deputy.name for a in current if a.confirmed_at is None]
    if pending:
        return _("还需义务监督员确认：%(names)s。", names=_("、").join(pending))
    return None


def reason_guard(_item: Item, given: ItemInput) -> str | None:
    if not given.reason.strip():
        return _("请填写理由。")
    return None


def withdraw_guard(item: Item, given: ItemInput) -> str | None:
    problem = reason_guard(item, given)
    if problem:
        return problem
    if item.kind is ListKind.livelihood and not given.decision.strip():
        return _("撤销民生实事项目须注明人大的决定（文号或会议）。")
    return None


def result_guard(item: Item, given: ItemInput) -> str | None:
    if given.rating is None:
        return _("请选择测评结果。")
    if item.result_on is not None and given.rated_on is not None and given.rated_on < item.result_on:
        return _(
            "事项 %(code)s 已有 %(day)s 的测评结果，不能再登记更早（%(then)s）的测评结果。",
            code=item.code,
            day=item.result_on.isoformat(),
            then=given.rated_on.isoformat(),
        )
    return None


def close_guard(item: Item, _given: ItemInput) -> str | None:
    if item.result not in (Rating.satisfied, Rating.basically_satisfied):
        return _("销号需要“满意”或“基本满意”的测评结果。")
    return None


# Some transitions belong to a record: a list is confirmed whole, a consultation is opened and
# concluded with its minutes. Their guards refuse a bare call, so no page or script strands an item.
def listing_guard(item: Item, given: ItemInput) -> str | None:
    if not given.whole_list:
        return _("事项随整份清单一起确认：请到清单页面确认清单。")
    return missing_for_listing(item, given) or deadline_year_problem(item)


def consultation_guard(_item: Item, given: ItemInput) -> str | None:
    if given.consultation_id is None:
        return _("会商须有会商记录：请到“会商”页面提请或结束会商。")
    return None


# Readiness checks look at the acting user's own part and need no input: when one fails the
# action is not offered, and firing it anyway is a state conflict (409), not a permission error.
def has_not_confirmed(item: Item, user: User) -> str | None:
    """A supervisor confirms each completion report once."""
    if any(
        a.deputy_id == user.deputy_id and a.ended_at is None and a.confirmed_at is not None
        for a in item.assignments
    ):
        return _("您已确认过这次报告的完成情况。")
    return None


def is_dissatisfied(given: ItemInput) -> bool:
    return given.rating is Rating.dissatisfied


GOVERNMENT = frozenset({Role.government})
DEPUTY = frozenset({Role.deputy})
LEAD_OFFICE = Actor(GOVERNMENT, lead_office)
SUGGESTION_LEAD_OFFICE = Actor(GOVERNMENT, suggestion_lead_office)
SUPERVISORS = Actor(DEPUTY, supervisor)
PROPOSER = Actor(DEPUTY, proposer)

WORKFLOW: Workflow[Item, ItemState, ItemInput] = Workflow(
    (
        Transition(
            action="confirm",
            label=_l("确认列入清单"),
            sources=frozenset({S.draft}),
            target=S.listed,
            by=PRESIDIUM,
            guard=listing_guard,
        ),
        Transition(
            action="amend",
            label=_l("修改事项"),
            sources=EDITABLE_STATES,
            by=PRESIDIUM,
            on_panel=False,  # the item's edit page
        ),
        Transition(
            action="answer",
            label=_l("答复建议"),
            sources=UNDER_WAY_STATES,
            by=SUGGESTION_LEAD_OFFICE,
            on_panel=False,  # the suggestion's answer page
        ),
        Transition(
            action="assign",
            label=_l("指定义务监督员"),
            sources=UNDER_WAY_STATES,
            target=S.supervising,
            # Changing supervisors during a consultation keeps the item in consultation.
            stays_in=frozenset({S.consulting}),
            by=PRESIDIUM,
            guard=supervisors_guard,
        ),
        Transition(
            action="open_consultation",
            label=_l("提请会商"),
            sources=frozenset({S.supervising}),
            target=S.consulting,
            by=PRESIDIUM,
            guard=consultation_guard,
            style="warning",
        ),
        Transition(
            action="conclude_consultation",
            label=_l("会商结束"),
            sources=frozenset({S.consulting}),
            target=S.supervising,
            by=PRESIDIUM,
            guard=consultation_guard,
        ),
        Transition(
            action="report_done",
            label=_l("报告完成"),
            sources=frozenset({S.supervising}),
            target=S.completed,
            by=LEAD_OFFICE,
            guard=completion_guard,
            style="success",
        ),
        Transition(
            action="confirm_done",
            label=_l("确认完成"),
            sources=frozenset({S.completed}),
            by=SUPERVISORS,
            ready=has_not_confirmed,
            style="success",
        ),
        Transition(
            action="reject",
            label=_l("退回继续监督"),
            sources=frozenset({S.completed}),
            target=S.supervising,
            by=SUPERVISORS,
            guard=reason_guard,
            style="danger",
            needs_reason=True,
        ),
        Transition(
            action="verify",
            label=_l("核实完成"),
            sources=frozenset({S.completed}),
            target=S.verified,
            by=PRESIDIUM,
            guard=verify_guard,
            style="success",
        ),
        Transition(
            action="record_result",
            label=_l("登记测评结果"),
            # A meeting rates items in any open state; the result is recorded on each of them.
            sources=RATEABLE_STATES,
            # 满意/基本满意 keep the state (a verified item may then be closed); 不满意 sends a
            # reported-done item back to supervising, and leaves an item still under way as it is.
            branch=Branch(when=is_dissatisfied, target=S.supervising),
            stays_in=UNDER_WAY_STATES,
            by=PRESIDIUM,
            guard=result_guard,
        ),
        Transition(
            action="answer_opinion",
            label=_l("对答复提出意见"),
            # 不满意 on a suggestion reported done sends it back to supervising; one still under way
            # stays as it is, and is handled afresh (its reanswer_due).
            sources=UNDER_WAY_STATES | {S.completed},
            branch=Branch(when=is_dissatisfied, target=S.supervising),
            stays_in=UNDER_WAY_STATES,
            by=PROPOSER,
            ready=has_answer,
            guard=opinion_guard,
            on_panel=False,  # the suggestion's opinion page, made for a phone
        ),
        Transition(
            action="reanswer_deadline",
            label=_l("调整重新办理期限"),
            sources=UNDER_WAY_STATES,
            by=PRESIDIUM,
            ready=in_fresh_handling,
            guard=reanswer_due_guard,
            on_panel=False,  # a form on the suggestion's opinion page
        ),
        Transition(
            action="close",
            label=_l("销号"),
            sources=frozenset({S.verified}),
            target=S.closed,
            by=PRESIDIUM,
            guard=close_guard,
            style="dark",
            confirm=_l("销号后，事项结束监督，不能撤回。确定要销号吗？"),
        ),
        Transition(
            action="withdraw",
            label=_l("撤销"),
            sources=LIVE_STATES,
            target=S.withdrawn,
            by=PRESIDIUM,
            guard=withdraw_guard,
            style="outline-danger",
            needs_reason=True,
            confirm=_l("撤销后，事项不再监督，不能恢复。确定要撤销吗？"),
        ),
        Transition(
            action="carry_over",
            label=_l("结转下一年"),
            sources=UNFINISHED_STATES,
            target=S.carried_over,
            by=PRESIDIUM,
            guard=reason_guard,
            style="outline-secondary",
            needs_reason=True,
            confirm=_l("结转后，事项转入下一年度办理，本年度不能再办理。确定要结转吗？"),
        ),
    ),
    texts=Texts(
        forbidden=N_("您不能对这个事项进行“%(action)s”。"),
        wrong_state=N_("事项当前为“%(state)s”，不能“%(action)s”。"),
        conflict=N_("在您操作的同时，其他人已处理了这个事项。请刷新页面，查看最新情况后再操作。"),
    ),
)
TRANSITIONS = WORKFLOW.transitions
