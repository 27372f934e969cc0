"""The livelihood vote as a kind of voting meeting: its ballot (赞成 / 不赞成 / 弃权, at most N 赞成)
and the words the engine's messages use for it."""

from __future__ import annotations

from ..ballots.approval import approval_shape
from ..ballots.kinds import MeetingKind, register
from ..core.enums import N_

KIND = register(
    MeetingKind(
        name="livelihood",
        shape=lambda meeting: approval_shape(meeting.places),  # type: ignore[attr-defined]  # a VoteRound
        blueprint="livelihood",
        meeting_noun=N_("票决会议"),
        sheet_noun=N_("表决票"),
        line_noun=N_("候选项目"),
    )
)
