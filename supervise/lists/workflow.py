"""The item workflow: one table of transitions that permissions, buttons and the timeline all read.

Each entry says, for an action: the states it may start from, the state it leads to (None, or a
source in ``stays_in``: the state stays), the roles that may fire it, the per-object check of who
among those roles, and the guards that must hold. operations.py carries the transitions out;
views only ask this table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.permissions import Role
from .models import Item, ItemState, ListKind

S = ItemState
OPEN_STATES = frozenset({S.draft, S.listed, S.supervising, S.consulting, S.completed, S.verified})


def is_lead_office_clerk(item: Item, user) -> bool:
    """A government clerk of the item's lead office (or of the township government as a whole)."""
    if user.role is not Role.government or user.township_id != item.township_id:
        return False
    return user.office_id is None or user.office_id == item.lead_office_id


def is_supervisor(item: Item, user) -> bool:
    return user.role is Role.deputy and user.deputy_id in {d.id for d in item.supervisors}


def is_presidium(item: Item, user) -> bool:
    return user.role is Role.presidium and user.township_id == item.township_id


# Guards return a reason the action cannot happen now, or None.
def missing_for_listing(item: Item, _ctx: dict) -> str | None:
    missing = []
    if item.lead_office_id is None:
        missing.append(_("主办单位"))
    if item.deadline is None:
        missing.append(_("完成时限"))
    if not item.target.strip():
        missing.append(_("目标/标准"))
    if missing:
        return _("事项 %(code)s 缺少：%(fields)s。", code=item.code, fields=_("、").join(missing))
    return None


def supervisors_guard(item: Item, ctx: dict) -> str | None:
    deputies = ctx.get("deputies", [])
    if not deputies:
        return _("请至少选择 1 名义务监督员。")
    if len(deputies) > 2:
        return _("每个事项最多 2 名义务监督员。")
    if len({d.id for d in deputies}) != len(deputies):
        return _("同一名代表不能重复选择。")
    if any(d.township_id != item.township_id or not d.is_active for d in deputies):
        return _("义务监督员必须是本镇在任的代表。")
    return None


def completion_guard(item: Item, ctx: dict) -> str | None:
    if not (ctx.get("report") or "").strip() or not (ctx.get("evidence") or "").strip():
        return _("报告完成需要填写完成情况和佐证材料。")
    if item.kind is ListKind.suggestion and item.answer_class is None:
        return _("代表建议须先答复（选择答复类别）才能报告完成。")
    return None


def verify_guard(item: Item, _ctx: dict) -> str | None:
    current = [a for a in item.assignments if a.ended_at is None]
    if not current:
        return _("事项没有义务监督员，无人确认完成。")
    pending = [a.deputy.name for a in current if a.confirmed_at is None]
    if pending:
        return _("还需义务监督员确认：%(names)s。", names=_("、").join(pending))
    return None


def reason_guard(_item: Item, ctx: dict) -> str | None:
    if not (ctx.get("reason") or "").strip():
        return _("请填写理由。")
    return None


def withdraw_guard(item: Item, ctx: dict) -> str | None:
    problem = reason_guard(item, ctx)
    if problem:
        return problem
    if item.kind is ListKind.livelihood and not (ctx.get("decision") or "").strip():
        return _("撤销民生实事项目须注明人大的决定（文号或会议）。")
    return None


def result_guard(_item: Item, ctx: dict) -> str | None:
    if ctx.get("rating") is None:
        return _("请选择测评结果。")
    return None


def close_guard(item: Item, _ctx: dict) -> str | None:
    from .models import Rating

    if item.result not in (Rating.satisfied, Rating.basically_satisfied):
        return _("销号需要“满意”或“基本满意”的测评结果。")
    return None


def no_guard(_item: Item, _ctx: dict) -> None:
    return None


# Some transitions belong to a record: a list is confirmed whole, a consultation is opened and
# concluded with its minutes. Their guards refuse a bare call, so no page or script strands an item.
def listing_guard(item: Item, ctx: dict) -> str | None:
    if not ctx.get("whole_list"):
        return _("事项随整份清单一起确认：请到清单页面确认清单。")
    return missing_for_listing(item, ctx)


def consultation_guard(_item: Item, ctx: dict) -> str | None:
    if ctx.get("consultation") is None:
        return _("会商须有会商记录：请到“会商”页面提请或结束会商。")
    return None


# Readiness checks look at the acting user's own part and need no input: when one fails the
# action is not offered, and firing it anyway is a state conflict (409), not a permission error.
def has_not_confirmed(item: Item, user) -> str | None:
    """A supervisor confirms each completion report once."""
    if any(
        a.deputy_id == user.deputy_id and a.ended_at is None and a.confirmed_at is not None
        for a in item.assignments
    ):
        return _("您已确认过这次报告的完成情况。")
    return None


def always_ready(_item: Item, _user) -> None:
    return None


@dataclass(frozen=True)
class Transition:
    action: str
    label: object
    sources: frozenset[ItemState]
    target: ItemState | None
    roles: frozenset[Role]
    who: Callable[[Item, object], bool]
    guard: Callable[[Item, dict], str | None] = no_guard
    style: str = "primary"
    needs_reason: bool = False
    # Source states that the action leaves as they are.
    stays_in: frozenset[ItemState] = frozenset()
    ready: Callable[[Item, object], str | None] = always_ready

    def next_state(self, state: ItemState) -> ItemState:
        """The state an item in ``state`` is in after this action (effects aside)."""
        return state if self.target is None or state in self.stays_in else self.target


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "confirm",
            _l("确认列入清单"),
            frozenset({S.draft}),
            S.listed,
            frozenset({Role.presidium}),
            is_presidium,
            listing_guard,
        ),
        Transition(
            "assign",
            _l("指定义务监督员"),
            frozenset({S.listed, S.supervising, S.consulting}),
            S.supervising,
            frozenset({Role.presidium}),
            is_presidium,
            supervisors_guard,
            # Changing supervisors during a consultation keeps the item in consultation.
            stays_in=frozenset({S.consulting}),
        ),
        Transition(
            "open_consultation",
            _l("提请会商"),
            frozenset({S.supervising}),
            S.consulting,
            frozenset({Role.presidium}),
            is_presidium,
            consultation_guard,
            style="warning",
        ),
        Transition(
            "conclude_consultation",
            _l("会商结束"),
            frozenset({S.consulting}),
            S.supervising,
            frozenset({Role.presidium}),
            is_presidium,
            consultation_guard,
        ),
        Transition(
            "report_done",
            _l("报告完成"),
            frozenset({S.supervising}),
            S.completed,
            frozenset({Role.government}),
            is_lead_office_clerk,
            completion_guard,
            "success",
        ),
        Transition(
            "confirm_done",
            _l("确认完成"),
            frozenset({S.completed}),
            None,
            frozenset({Role.deputy}),
            is_supervisor,
            style="success",
            ready=has_not_confirmed,
        ),
        Transition(
            "reject",
            _l("退回继续监督"),
            frozenset({S.completed}),
            S.supervising,
            frozenset({Role.deputy}),
            is_supervisor,
            reason_guard,
            "danger",
            needs_reason=True,
        ),
        Transition(
            "verify",
            _l("核实完成"),
            frozenset({S.completed}),
            S.verified,
            frozenset({Role.presidium}),
            is_presidium,
            verify_guard,
            "success",
        ),
        Transition(
            "record_result",
            _l("登记测评结果"),
            frozenset({S.verified}),
            None,
            frozenset({Role.presidium}),
            is_presidium,
            result_guard,
        ),
        Transition(
            "close",
            _l("销号"),
            frozenset({S.verified}),
            S.closed,
            frozenset({Role.presidium}),
            is_presidium,
            close_guard,
            "dark",
        ),
        Transition(
            "withdraw",
            _l("撤销"),
            OPEN_STATES,
            S.withdrawn,
            frozenset({Role.presidium}),
            is_presidium,
            withdraw_guard,
            "outline-danger",
            needs_reason=True,
        ),
        Transition(
            "carry_over",
            _l("结转下一年"),
            frozenset({S.listed, S.supervising, S.consulting, S.completed}),
            S.carried_over,
            frozenset({Role.presidium}),
            is_presidium,
            reason_guard,
            "outline-secondary",
            needs_reason=True,
        ),
    )
}


def may_fire(item: Item, action: str, user) -> bool:
    """May this user fire this action on this item now (role, per-object check, state, readiness)?"""
    transition = TRANSITIONS.get(action)
    if transition is None or user is None or not user.is_authenticated:
        return False
    return (
        user.role in transition.roles
        and item.state in transition.sources
        and transition.who(item, user)
        and transition.ready(item, user) is None
    )


def available_actions(item: Item, user) -> list[Transition]:
    """The buttons this user sees on this item: exactly the actions they may fire now."""
    return [t for t in TRANSITIONS.values() if may_fire(item, t.action, user)]
