"""The livelihood vote as a kind of voting meeting: its ballot (赞成 / 不赞成 / 弃权, at most N 赞成)
and the words the engine's messages use for it."""

from __future__ import annotations

from ..ballots.approval import approval_shape
from ..ballots.kinds import MeetingKind, register
from ..ballots.models import Meeting
from ..core.enums import N_


def _round_result(meeting: Meeting) -> object:
    from .vote_operations import round_result  # the operations import the models, which import this

    return round_result(meeting)  # type: ignore[arg-type]  # a VoteRound


KIND = register(
    MeetingKind(
        name="livelihood",
        shape=lambda meeting: approval_shape(meeting.places),  # type: ignore[attr-defined]  # a VoteRound
        blueprint="livelihood",
        meeting_noun=N_("票决会议"),
        sheet_noun=N_("表决票"),
        line_noun=N_("候选项目"),
        projection_template="livelihood/_projection_results.html",
        projection_results=lambda meeting, numbers: _round_result(meeting),
        results_pending=N_("票数将在主持人宣布结束投票后显示。"),
        list_view="plans",
        section_noun=N_("民生实事项目票决"),
        paper_hint=N_("按原件勾选：某项未勾视为弃权，勾了多个该项无效；“赞成”多于应选数的，整张票无效。"),
    )
)
