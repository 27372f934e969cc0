"""The evaluation meeting as a kind of voting meeting: the engine reads its shape and words here."""

from __future__ import annotations

from ..ballots.kinds import MeetingKind, register
from ..core.enums import N_
from .shape import SHAPE

KIND = register(
    MeetingKind(
        name="evaluation",
        shape=lambda meeting: SHAPE,
        blueprint="evaluation",
        meeting_noun=N_("评议会"),
        sheet_noun=N_("测评表"),
        line_noun=N_("测评项目"),
    )
)
