"""The sheet's life in one table, read by operations, permission checks and the buttons alike.

draft ─issue─▶ issued ─acknowledge─▶ acknowledged ─answer─▶ answered ─verify─▶ verified
                                                 ▲              │
                                       answer ── returned ◀─return (with a reason)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.enums import N_
from ..core.permissions import Role
from ..core.workflow import Texts, Transition, Workflow
from .models import FollowUpSheet, SheetState

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


def presidium(sheet: FollowUpSheet, user: User) -> bool:
    return user.is_presidium_of(sheet.township_id)


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


PRESIDIUM = frozenset({Role.presidium})
GOVERNMENT = frozenset({Role.government})

WORKFLOW: Workflow[FollowUpSheet, SheetState, SheetInput] = Workflow(
    (
        Transition(
            action="issue",
            label=_l("编号下发"),
            sources=frozenset({S.draft}),
            target=S.issued,
            roles=PRESIDIUM,
            who=presidium,
            guard=issue_guard,
            confirm=_l("编号下发后，督办单送达承办单位，不能再修改或删除。确定要下发吗？"),
        ),
        Transition(
            action="acknowledge",
            label=_l("签收"),
            sources=frozenset({S.issued}),
            target=S.acknowledged,
            roles=GOVERNMENT,
            who=addressed_office,
        ),
        Transition(
            action="answer",
            label=_l("答复办理情况"),
            sources=frozenset({S.acknowledged, S.returned}),
            target=S.answered,
            roles=GOVERNMENT,
            who=addressed_office,
            guard=answer_guard,
            style="success",
            inputs=("measures", "evidence"),
        ),
        Transition(
            action="verify",
            label=_l("核实办结"),
            sources=frozenset({S.answered}),
            target=S.verified,
            roles=PRESIDIUM,
            who=presidium,
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
            roles=PRESIDIUM,
            who=presidium,
            guard=reason_guard,
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
