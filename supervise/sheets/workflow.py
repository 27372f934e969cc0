"""The sheet's life in one table, read by operations, permission checks and the buttons alike.

draft ─issue─▶ issued ─acknowledge─▶ acknowledged ─answer─▶ answered ─verify─▶ verified
                                                 ▲              │
                                       answer ── returned ◀─return (with a reason)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.permissions import Role
from .models import FollowUpSheet, SheetState

S = SheetState


def is_presidium(sheet: FollowUpSheet, user) -> bool:
    return user.role is Role.presidium and user.township_id == sheet.township_id


def is_addressed_office(sheet: FollowUpSheet, user) -> bool:
    return sheet.is_addressed_to(user)


# Guards return why the action cannot happen now, or None.
def issue_guard(sheet: FollowUpSheet, _ctx: dict) -> str | None:
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
    return None


def answer_guard(_sheet: FollowUpSheet, ctx: dict) -> str | None:
    if not (ctx.get("measures") or "").strip():
        return _("答复须填写采取的措施。")
    # Evidence is described in words, or attached as files (a photo says enough), or both.
    if not (ctx.get("evidence") or "").strip() and not ctx.get("evidence_files"):
        return _("答复须附佐证材料：请填写佐证材料的说明，或附上至少一个佐证文件。")
    return None


def reason_guard(_sheet: FollowUpSheet, ctx: dict) -> str | None:
    if not (ctx.get("reason") or "").strip():
        return _("请填写退回的理由。")
    return None


def no_guard(_sheet: FollowUpSheet, _ctx: dict) -> None:
    return None


@dataclass(frozen=True)
class Transition:
    action: str
    label: object
    sources: frozenset[SheetState]
    target: SheetState
    roles: frozenset[Role]
    who: Callable[[FollowUpSheet, object], bool]
    guard: Callable[[FollowUpSheet, dict], str | None] = no_guard
    style: str = "primary"
    # Fields the user fills in on the sheet page before firing it.
    inputs: tuple[str, ...] = ()


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "issue",
            _l("编号下发"),
            frozenset({S.draft}),
            S.issued,
            frozenset({Role.presidium}),
            is_presidium,
            issue_guard,
        ),
        Transition(
            "acknowledge",
            _l("签收"),
            frozenset({S.issued}),
            S.acknowledged,
            frozenset({Role.government}),
            is_addressed_office,
        ),
        Transition(
            "answer",
            _l("答复办理情况"),
            frozenset({S.acknowledged, S.returned}),
            S.answered,
            frozenset({Role.government}),
            is_addressed_office,
            answer_guard,
            "success",
            ("measures", "evidence"),
        ),
        Transition(
            "verify",
            _l("核实办结"),
            frozenset({S.answered}),
            S.verified,
            frozenset({Role.presidium}),
            is_presidium,
            style="success",
        ),
        Transition(
            "return",
            _l("退回重办"),
            frozenset({S.answered}),
            S.returned,
            frozenset({Role.presidium}),
            is_presidium,
            reason_guard,
            "danger",
            ("reason",),
        ),
    )
}


def may_fire(sheet: FollowUpSheet, action: str, user) -> bool:
    """May this user fire this action on this sheet now (role, per-object check, state)?"""
    transition = TRANSITIONS.get(action)
    if transition is None or user is None or not user.is_authenticated:
        return False
    return user.role in transition.roles and sheet.state in transition.sources and transition.who(sheet, user)


def available_actions(sheet: FollowUpSheet, user) -> list[Transition]:
    """The buttons this user sees on this sheet: exactly the actions they may fire now."""
    return [t for t in TRANSITIONS.values() if may_fire(sheet, t.action, user)]


EVENT_LABELS = {
    "create": _l("起草督办单"),
    "amend": _l("修改草稿"),
    **{action: t.label for action, t in TRANSITIONS.items()},
}
