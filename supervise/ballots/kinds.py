"""The kinds of voting meeting: what the engine asks of a meeting without importing it.

Each meeting package (the evaluation, the livelihood vote) registers its kind when it is imported:
the ballot's shape for one of its meetings, the words its messages use (the meeting, its paper
sheet, its lines) and the blueprint whose pages show it. The engine (this package) reads a
meeting's kind through ``kind_of(meeting)``, so it never imports a layer above it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from ..core.enums import N_

if TYPE_CHECKING:
    from .models import Meeting
    from .shape import BallotShape
    from .tally import Turnout


@dataclass(frozen=True)
class MeetingKind:
    """``name`` is ``Meeting.kind``; the nouns are source texts (N_), translated when shown."""

    name: str
    shape: Callable[[Meeting], BallotShape]
    blueprint: str
    meeting_noun: str
    sheet_noun: str
    line_noun: str
    # The big screen's results table: a template included with ``results`` (the value
    # ``projection_results(meeting, turnout)`` returns) once results may show; none by default.
    projection_template: str = ""
    projection_results: Callable[[Meeting, Turnout], object] | None = None
    results_pending: str = N_("结果将在主持人宣布结束投票后显示。")
    # The page listing the kind's meetings (a view of ``blueprint``, no arguments) and its name in
    # the hall pages' breadcrumb; none by default.
    list_view: str | None = None
    section_noun: str = ""
    # How a clerk reads a sheet (the paper entry page): what a blank or doubly ticked line counts as.
    paper_hint: str = N_("按原件勾选：某项未勾或勾了多个，该项计为无效。")

    def words(self) -> dict[str, str]:
        """The nouns, translated, for messages: %(meeting)s, %(sheet)s, %(line)s."""
        return {"meeting": _(self.meeting_noun), "sheet": _(self.sheet_noun), "line": _(self.line_noun)}


KINDS: dict[str, MeetingKind] = {}


def register(kind: MeetingKind) -> MeetingKind:
    KINDS[kind.name] = kind
    return kind


def kind_of(meeting: Meeting) -> MeetingKind:
    return KINDS[meeting.kind]


def shape_of(meeting: Meeting) -> BallotShape:
    return kind_of(meeting).shape(meeting)


def words(meeting: Meeting) -> dict[str, str]:
    return kind_of(meeting).words()


def projection_results(meeting: Meeting, numbers: Turnout) -> object | None:
    """The kind's results for the big screen (None: the kind shows none, or not yet)."""
    make = kind_of(meeting).projection_results
    return make(meeting, numbers) if make is not None and meeting.results_visible else None


def endpoint(meeting: Meeting, view: str) -> str:
    """The endpoint of one of the meeting's pages, in its own blueprint: ``endpoint(m, "roll_call")``."""
    return f"{kind_of(meeting).blueprint}.{view}"
