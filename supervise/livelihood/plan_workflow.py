"""The vote plan's life in one table, read by operations, permission checks and the buttons alike.

drafting ─fix─▶ fixed (候选项目确定) ─vote─▶ voted (fired by the vote's own code, no button)
    ▲             │
    └──reopen─────┘ (only while no vote on the plan has begun)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.enums import N_
from ..core.workflow import PRESIDIUM, Texts, Transition, Workflow
from .plan_models import PlanState, VotePlan

P = PlanState


@dataclass(frozen=True, kw_only=True)
class PlanInput:
    """Nothing is typed with the plan's transitions; the engine wants an input all the same."""

    reason: str = ""


# Whether a vote on the plan has begun (roll call, ballots): the vote's code registers its check
# here, so that this lower module never imports it. A plan with a vote begun cannot be reopened.
VOTE_BEGUN: list[Callable[[VotePlan], bool]] = []


def vote_begun(plan: VotePlan) -> bool:
    return any(check(plan) for check in VOTE_BEGUN)


def fix_guard(plan: VotePlan, _given: PlanInput) -> str | None:
    """Why the candidate list cannot be fixed yet: N, the surplus rule, incomplete candidates."""
    check = plan.surplus
    if plan.places < 1:
        return _("请先确定应选项目数（至少 1 个）。")
    if not check.ok:
        return _("不符合差额要求：%(check)s。", check=check.text)
    for candidate in plan.ballot_candidates:
        lacks = candidate.missing()
        if lacks:
            return _(
                "候选项目“%(title)s”缺少：%(lacks)s。请补充后再确定。",
                title=candidate.title,
                lacks="、".join(lacks),
            )
    return None


def reopen_guard(plan: VotePlan, _given: PlanInput) -> str | None:
    if vote_begun(plan):
        return _("票决已经开始，候选项目不能再修改。")
    return None


WORKFLOW: Workflow[VotePlan, PlanState, PlanInput] = Workflow(
    (
        Transition(
            action="fix",
            label=_l("确定候选项目"),
            sources=frozenset({P.DRAFTING}),
            target=P.FIXED,
            by=PRESIDIUM,
            guard=fix_guard,
            style="success",
            confirm=_l("确定后，候选项目和差额规则不能再修改（票决开始前可以退回修改）。确定吗？"),
        ),
        Transition(
            action="reopen",
            label=_l("退回修改候选项目"),
            sources=frozenset({P.FIXED}),
            target=P.DRAFTING,
            by=PRESIDIUM,
            guard=reopen_guard,
            style="outline-secondary",
            confirm=_l("退回后，候选项目表需重新确定。确定要退回修改吗？"),
        ),
        Transition(
            action="vote",
            label=_l("票决"),
            sources=frozenset({P.FIXED}),
            target=P.VOTED,
            by=PRESIDIUM,
            on_panel=False,
        ),
    ),
    texts=Texts(
        forbidden=N_("您不能对这个票决方案进行“%(action)s”。"),
        wrong_state=N_("这个票决方案当前为“%(state)s”，不能“%(action)s”。"),
        conflict=N_("在您操作的同时，其他人已修改了这个票决方案。请刷新页面，查看最新情况后再操作。"),
    ),
)
