"""The evaluation meeting as a kind of voting meeting: the engine reads its shape and words here."""

from __future__ import annotations

from ..ballots.kinds import MeetingKind, register
from ..core.enums import N_
from .shape import SHAPE
from .tally import results

KIND = register(
    MeetingKind(
        name="evaluation",
        shape=lambda meeting: SHAPE,
        blueprint="evaluation",
        meeting_noun=N_("评议会"),
        sheet_noun=N_("测评表"),
        line_noun=N_("测评项目"),
        projection_template="evaluation/_projection_results.html",
        projection_results=lambda meeting, numbers: results(meeting, numbers),  # type: ignore[arg-type]
        results_pending=N_("测评结果将在主持人宣布结束投票后显示。"),
        list_view="meeting_list",
        section_noun=N_("民主评议"),
    )
)
