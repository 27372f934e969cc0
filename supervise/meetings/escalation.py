"""Escalation candidates (督办预警): open items and the reasons the presidium should look at them.

The SQL narrows the rows; the reasons are worked out here from the item's own rules (deadline,
legal answer date), so that the page and the item page cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..lists.models import UNFINISHED_STATES, Item, ItemState, Rating, SupervisorAssignment
from .models import Consultation, consultation_item

# Three months after hand-over is never fewer than 89 days: older hand-overs may be overdue.
SHORTEST_ANSWER_PERIOD = timedelta(days=89)


@dataclass
class Candidate:
    item: Item
    reasons: list[str] = field(default_factory=list)
    open_consultation: Consultation | None = None


def reasons_for(item: Item, day: date, progress: tuple[set[int], set[int]] | None = None) -> list[str]:
    """Why this item is an escalation candidate today (empty: it is not one).

    ``progress`` is (disputed, stalled) item ids from progress.queries.progress_flags."""
    reasons = []
    if item.deadline and item.deadline < day:
        reasons.append(_("已超过完成时限（%(day)s）", day=item.deadline.isoformat()))
    due = item.answer_due
    if due and item.answer_class is None and due < day:
        reasons.append(_("代表建议超过法定答复期限（%(day)s）仍未答复", day=due.isoformat()))
    if item.result is Rating.dissatisfied:
        reasons.append(_("测评结果为“不满意”"))
    if item.flags:
        reasons.append(_("重点事项：%(flags)s", flags=_("、").join(item.flags)))
    if item.escalation_note:
        reasons.append(_("主席团提出：%(note)s", note=item.escalation_note))
    disputed, stalled = progress or (set(), set())
    if item.id in disputed:
        reasons.append(_("监督员对月报有异议"))
    if item.id in stalled:
        reasons.append(_("连续两个月无进展"))
    return reasons


def candidates(user, day: date) -> list[Candidate]:
    """The open items this user sees that have at least one reason, oldest deadline first."""
    from ..progress.queries import progress_flags

    progress = progress_flags(
        user.visible_township_filter(Item.township_id) & Item.state.in_(UNFINISHED_STATES), day
    )
    query = (
        select(Item)
        .where(
            user.visible_township_filter(Item.township_id),
            Item.state.in_(UNFINISHED_STATES),
            or_(
                Item.deadline < day,
                Item.handed_over_on.isnot(None)
                & Item.answer_class.is_(None)
                & (Item.handed_over_on < day - SHORTEST_ANSWER_PERIOD),
                Item.result == Rating.dissatisfied,
                Item.wide_impact.is_(True),
                Item.public_attention.is_(True),
                Item.high_difficulty.is_(True),
                Item.escalation_note != "",
                Item.id.in_(sorted(progress[0] | progress[1])),
            ),
        )
        .options(
            joinedload(Item.supervision_list),
            joinedload(Item.township),
            joinedload(Item.lead_office),
            selectinload(Item.assignments).joinedload(SupervisorAssignment.deputy),
        )
        .order_by(Item.township_id, Item.deadline.is_(None), Item.deadline, Item.code)
    )
    found = [
        Candidate(item, reasons_for(item, day, progress))
        for item in db.session.execute(query).unique().scalars()
    ]
    found = [c for c in found if c.reasons]
    # Items in consultation link to it instead of offering a new one (one query, however many).
    consulting = {c.item.id: c for c in found if c.item.state is ItemState.consulting}
    rows = db.session.execute(
        select(consultation_item.c.item_id, Consultation)
        .join(Consultation, Consultation.id == consultation_item.c.consultation_id)
        .where(consultation_item.c.item_id.in_(list(consulting)), Consultation.concluded_at.is_(None))
    )
    for item_id, consultation in rows:
        consulting[item_id].open_consultation = consultation
    return found
