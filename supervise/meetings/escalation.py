"""Escalation candidates (督办预警): open items and the reasons the presidium should look at them.

The SQL narrows the rows; the reasons are worked out here from the item's own rules (deadline,
legal answer date), so that the page and the item page cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..core.database import in_ids
from ..core.dates import add_months_clamped
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
    if item.reanswer_overdue(day):
        reasons.append(
            _(
                "代表对答复不满意，重新办理超过答复期限（%(day)s）仍未重新答复",
                day=item.reanswer_due.isoformat(),
            )
        )
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


# A county sees every township's candidates: a page at a time.
PER_PAGE = 50


def _answer_overdue(handed_over_on: date | None, extension_approved: bool, answered: bool, day: date) -> bool:
    """Item.answer_due's rule on bare columns: unanswered 3 (or 6) months after hand-over."""
    if handed_over_on is None or answered:
        return False
    return add_months_clamped(handed_over_on, 6 if extension_approved else 3) < day


def candidate_ids(user, day: date, progress: tuple[set[int], set[int]]) -> list[int]:
    """Every candidate's id in page order (one query of bare columns, no items loaded): the same
    reasons as ``reasons_for``, in SQL where exact, and the legal answer date here."""
    flagged = sorted(progress[0] | progress[1])
    exact = or_(
        Item.deadline < day,
        Item.reanswer_due < day,
        Item.result == Rating.dissatisfied,
        Item.wide_impact.is_(True),
        Item.public_attention.is_(True),
        Item.high_difficulty.is_(True),
        Item.escalation_note != "",
        in_ids(Item.id, flagged),
    )
    rows = db.session.execute(
        select(Item.id, exact, Item.handed_over_on, Item.extension_approved, Item.answer_class.isnot(None))
        .where(
            user.visible_township_filter(Item.township_id),
            Item.state.in_(UNFINISHED_STATES),
            or_(
                exact,
                Item.handed_over_on.isnot(None)
                & Item.answer_class.is_(None)
                & (Item.handed_over_on < day - SHORTEST_ANSWER_PERIOD),
            ),
        )
        .order_by(Item.township_id, Item.deadline.is_(None), Item.deadline, Item.code)
    ).all()
    return [
        item_id
        for item_id, certain, handed_over_on, extended, answered in rows
        if certain or _answer_overdue(handed_over_on, extended, answered, day)
    ]


class CandidatePage(Pagination):
    """One page of candidates (page number from the request): only its items are loaded."""

    def _query_items(self) -> list[Candidate]:
        ids = self._query_args["ids"][self._query_offset : self._query_offset + self.per_page]
        return load_candidates(ids, self._query_args["day"], self._query_args["progress"])

    def _query_count(self) -> int:
        return len(self._query_args["ids"])


def candidates(user, day: date, per_page: int = PER_PAGE) -> CandidatePage:
    """The open items this user sees that have at least one reason, oldest deadline first, a page
    at a time (``.items``; ``.total`` for all of them)."""
    from ..progress.models import MonthlyReport
    from ..progress.queries import progress_flags

    progress = progress_flags(
        user.visible_township_filter(Item.township_id) & Item.state.in_(UNFINISHED_STATES),
        day,
        report_condition=user.visible_township_filter(MonthlyReport.township_id),
    )
    ids = candidate_ids(user, day, progress)
    return CandidatePage(
        ids=ids, day=day, progress=progress, per_page=per_page, max_per_page=per_page, error_out=False
    )


def load_candidates(ids: list[int], day: date, progress: tuple[set[int], set[int]]) -> list[Candidate]:
    """These items with their reasons, in the order given, with their open consultations."""
    if not ids:
        return []
    query = (
        select(Item)
        .where(in_ids(Item.id, ids))
        .options(
            joinedload(Item.supervision_list),
            joinedload(Item.township),
            joinedload(Item.lead_office),
            selectinload(Item.assignments).joinedload(SupervisorAssignment.deputy),
        )
    )
    items = {item.id: item for item in db.session.execute(query).unique().scalars()}
    found = [Candidate(items[i], reasons_for(items[i], day, progress)) for i in ids if i in items]
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


def flagged_ids(township_id: int) -> set[int]:
    """The township's open items the presidium has flagged (not to be offered for flagging again)."""
    return set(
        db.session.execute(
            select(Item.id).where(
                Item.township_id == township_id,
                Item.state.in_(UNFINISHED_STATES),
                Item.escalation_note != "",
            )
        ).scalars()
    )
