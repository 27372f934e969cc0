"""What is rated: lines added and left out while preparing are numbered 1, 2, … in order, every time."""

from __future__ import annotations

from supervise.evaluation import operations as ops
from supervise.evaluation.models import RatedLine
from supervise.extensions import db


def stored_positions(meeting) -> list[tuple[str, int]]:
    db.session.expire_all()
    rows = db.session.execute(
        db.select(RatedLine.title, RatedLine.position)
        .where(RatedLine.meeting_id == meeting.id)
        .order_by(RatedLine.position)
    )
    return [tuple(row) for row in rows]


def test_two_items_added_at_once_come_before_the_offices_and_a_middle_line_left_out_closes_the_gap(hall):
    chair, meeting = hall.chair, hall.meeting
    before = [line.title for line in meeting.lines]
    items = [hall.factory.item("verified", township=meeting.township, title=f"补充事项{n}") for n in (1, 2)]
    assert ops.add_item_lines(chair, meeting, items) == 2
    db.session.commit()
    rated_items = [title for title in before if title.startswith("评议事项")]
    offices = [title for title in before if not title.startswith("评议事项")]
    expected = [*rated_items, "补充事项1", "补充事项2", *offices]
    assert stored_positions(meeting) == [(title, n) for n, title in enumerate(expected, start=1)]

    middle = next(line for line in meeting.lines if line.title == "补充事项1")
    assert ops.remove_lines(chair, meeting, [middle.id]) == 1
    db.session.commit()
    expected.remove("补充事项1")
    assert stored_positions(meeting) == [(title, n) for n, title in enumerate(expected, start=1)]
