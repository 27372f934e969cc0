"""A second clerk's check entry of every sheet entered once: double entry, which closing requires."""

from __future__ import annotations

from supervise.ballots import paper
from supervise.ballots.kinds import shape_of
from supervise.ballots.models import Meeting
from supervise.ballots.queries import unchecked_serials
from supervise.ballots.records import ballot_of, effective
from supervise.extensions import db


def check_all(meeting: Meeting, clerk) -> list[int]:
    """Re-enter each sheet entered once exactly as it now stands (the check agrees)."""
    shape = shape_of(meeting)
    serials = unchecked_serials(meeting.id)
    for serial in serials:
        ballot = ballot_of(meeting, serial)
        assert ballot is not None
        marks, void = effective(ballot)
        # A valid mark is its tick; any other (an invalid line) was two ticks on the sheet.
        ticks = {
            line_id: [mark] if mark in shape.marks else list(shape.marks[:2])
            for line_id, mark in marks.items()
        }
        # A sheet void by its marks alone (too many 赞成) was not spoiled: its ticks say it.
        spoiled = void and shape.void_reason(marks) is None
        paper.enter_paper(clerk, meeting, serial, ticks, spoiled)
    db.session.commit()
    return serials
