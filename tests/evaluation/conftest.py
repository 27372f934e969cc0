"""A township's evaluation meeting walked to any point through the operations, and page helpers."""

from __future__ import annotations

import pytest

from supervise.ballots import paper, phone
from supervise.evaluation import operations as ops
from supervise.evaluation.models import BallotKind, Mark
from supervise.extensions import db
from tests.ballots.double_entry import check_all

S, B, D = Mark.satisfied, Mark.basic, Mark.dissatisfied


class Hall:
    """The chair, a second clerk and a meeting of the default township (江口镇)."""

    def __init__(self, factory, **rules):
        self.factory = factory
        self.chair = factory.user("presidium", display_name="王主席")
        self.clerk = factory.user("presidium", display_name="李专干")
        self.meeting = factory.evaluation_meeting(self.chair, **rules)
        db.session.commit()

    @property
    def lines(self):
        return self.meeting.lines

    @property
    def deputy_ids(self) -> list[int]:
        return [row.deputy_id for row in self.meeting.roster]

    def roll_call(self, present: int | None = None) -> list[int]:
        """Start the roll call and mark the first ``present`` deputies (default: all) present."""
        ops.start_roll_call(self.chair, self.meeting)
        ids = self.deputy_ids[: len(self.deputy_ids) if present is None else present]
        for deputy_id in ids:
            ops.mark_attendance(self.chair, self.meeting, deputy_id, True)
        db.session.commit()
        return ids

    def open(self, present: int | None = None) -> list[int]:
        ids = self.roll_call(present)
        ops.open_voting(self.chair, self.meeting)
        db.session.commit()
        return ids

    def phone_codes(self, deputy_ids: list[int]) -> list[str]:
        """Hand phone codes to these deputies and draw as many codes."""
        for deputy_id in deputy_ids:
            ops.hand_out(self.chair, self.meeting, deputy_id, BallotKind.phone)
        codes = phone.draw_codes(self.chair, self.meeting, len(deputy_ids))
        db.session.commit()
        return codes

    def paper(self, deputy_ids: list[int]) -> list[int]:
        """Hand sheets to these deputies and record serials 1..n as issued."""
        for deputy_id in deputy_ids:
            ops.hand_out(self.chair, self.meeting, deputy_id, BallotKind.paper)
        serials = list(range(1, len(deputy_ids) + 1))
        if serials:
            paper.issue_serials(self.chair, self.meeting, serials)
        db.session.commit()
        return serials

    def vote(self, code: str, *marks: Mark):
        chosen = {line.id: mark for line, mark in zip(self.lines, marks)}
        phone.submit_phone_ballot(code, self.meeting.id, chosen)
        db.session.commit()

    def enter(self, serial: int, *ticks, clerk=None, void: bool = False):
        """Ticks per line: a Mark, a list of Marks (a double mark) or None (blank)."""
        boxes = {}
        for line, tick in zip(self.lines, ticks):
            boxes[line.id] = (
                [] if tick is None else (list(tick) if isinstance(tick, list | tuple) else [tick])
            )
        outcome = paper.enter_paper(clerk or self.chair, self.meeting, serial, boxes, void)
        db.session.commit()
        return outcome

    def check(self) -> list[int]:
        """The second clerk re-enters every sheet entered once, as it was entered (double entry)."""
        return check_all(self.meeting, self.clerk)


@pytest.fixture
def hall(factory) -> Hall:
    return Hall(factory)


@pytest.fixture
def chair_hall(factory, login_as) -> Hall:
    """A meeting's hall with its chair signed in."""
    hall = Hall(factory)
    login_as(hall.chair)
    return hall


def base(hall) -> str:
    return f"/evaluation/{hall.meeting.id}"
