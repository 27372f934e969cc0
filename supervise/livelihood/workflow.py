"""A proposal's life in one table, read by operations, permission checks and the buttons alike.

submitted ─accept─▶ accepted ─forward─▶ forwarded (to the government, for costing)
    │                  │
    ├──reject──────────┴──▶ rejected (with a reason the proposer sees)
    └──merge───────────┴──▶ merged (into a kept proposal; its proposer is kept with it)
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.enums import N_
from ..core.text import strip_html
from ..core.workflow import PRESIDIUM, Texts, Transition, Workflow
from .models import KEEPABLE_STATES, Proposal, ProposalState

P = ProposalState


@dataclass(frozen=True, kw_only=True)
class ProposalInput:
    """What the presidium gives with a decision: a reason (rejecting), the kept proposal (merging)."""

    reason: str = ""
    kept: Proposal | None = None


def reason_guard(_proposal: Proposal, given: ProposalInput) -> str | None:
    if not strip_html(given.reason):
        return _("请填写不予采纳的理由，提出人会看到这个理由。")
    return None


def merge_guard(proposal: Proposal, given: ProposalInput) -> str | None:
    kept = given.kept
    if kept is None:
        return _("请选择保留的建议。")
    if kept.id == proposal.id:
        return _("不能把建议合并到它自己。")
    if kept.period_id != proposal.period_id:
        return _("只能合并同一次征集中的建议。")
    if kept.state not in KEEPABLE_STATES:
        return _("保留的建议须已采纳或已交政府测算；请先采纳它。")
    return None


OPEN = frozenset({P.submitted, P.accepted})

WORKFLOW: Workflow[Proposal, ProposalState, ProposalInput] = Workflow(
    (
        Transition(
            action="accept",
            label=_l("采纳，列入研究"),
            sources=frozenset({P.submitted}),
            target=P.accepted,
            by=PRESIDIUM,
            style="success",
        ),
        Transition(
            action="forward",
            label=_l("交政府测算"),
            sources=OPEN,
            target=P.forwarded,
            by=PRESIDIUM,
            confirm=_l("交政府测算后，建议公开显示为“已交政府测算”，不能撤回。确定吗？"),
        ),
        Transition(
            action="merge",
            label=_l("合并到另一条建议"),
            sources=OPEN,
            target=P.merged,
            by=PRESIDIUM,
            guard=merge_guard,
            style="info",
            inputs=("kept",),
            confirm=_l("合并后，这条建议并入所选建议（提出人一并保留），不能撤销。确定要合并吗？"),
        ),
        Transition(
            action="reject",
            label=_l("不予采纳"),
            sources=OPEN,
            target=P.rejected,
            by=PRESIDIUM,
            guard=reason_guard,
            style="danger",
            needs_reason=True,
            inputs=("reason",),
            confirm=_l("不予采纳后，提出人会看到理由，不能撤销。确定吗？"),
        ),
    ),
    texts=Texts(
        forbidden=N_("您不能对这条建议进行“%(action)s”。"),
        wrong_state=N_("这条建议当前为“%(state)s”，不能“%(action)s”。"),
        conflict=N_("在您操作的同时，其他人已处理了这条建议。请刷新页面，查看最新情况后再操作。"),
    ),
)
TRANSITIONS = WORKFLOW.transitions

EVENT_LABELS = {
    "create": _l("收到建议"),
    "absorb": _l("并入其他建议"),
    "candidate": _l("列为候选项目"),
    "uncandidate": _l("不再列为候选项目"),
    "chosen": _l("票决当选"),
    "not_chosen": _l("票决未当选"),
    **{action: t.label for action, t in TRANSITIONS.items()},
}
