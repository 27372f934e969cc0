"""What each role has to do now with the lists' items: the home pages read these."""

from __future__ import annotations

from sqlalchemy import exists, not_, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..core.clock import today
from ..extensions import db
from .models import (
    ON_LIST_STATES,
    UNDER_WAY_STATES,
    UNFINISHED_STATES,
    AnswerOpinion,
    Item,
    ItemState,
    ListKind,
    SupervisionList,
    SupervisorAssignment,
    item_proposer,
)
from .queries import led_by_office_condition, overdue_condition


def _items(query) -> list[Item]:
    query = query.options(
        joinedload(Item.supervision_list),
        joinedload(Item.lead_office),
        selectinload(Item.assignments).joinedload(SupervisorAssignment.deputy),
    )
    return list(db.session.execute(query.order_by(Item.code)).unique().scalars())


def deputy_todo(deputy_id: int | None, township_id: int) -> dict[str, list[Item]]:
    """The items a deputy supervises, and those waiting for their confirmation (of their township:
    the items of a state are found by township first, never in every township)."""
    if deputy_id is None:
        return {"supervised": [], "to_confirm": [], "to_judge": []}
    in_township = Item.township_id == township_id
    mine = exists().where(
        SupervisorAssignment.item_id == Item.id,
        SupervisorAssignment.deputy_id == deputy_id,
        SupervisorAssignment.ended_at.is_(None),
    )
    unconfirmed = exists().where(
        SupervisorAssignment.item_id == Item.id,
        SupervisorAssignment.deputy_id == deputy_id,
        SupervisorAssignment.ended_at.is_(None),
        SupervisorAssignment.confirmed_at.is_(None),
    )
    return {
        "supervised": _items(select(Item).where(in_township, mine, Item.state.in_(ON_LIST_STATES))),
        "to_confirm": _items(select(Item).where(in_township, unconfirmed, Item.state == ItemState.completed)),
        "to_judge": answers_to_judge(deputy_id),
    }


def answers_to_judge(deputy_id: int) -> list[Item]:
    """The deputy's own suggestions whose latest answer they have not judged yet (满意/不满意)."""
    proposed = exists().where(item_proposer.c.item_id == Item.id, item_proposer.c.deputy_id == deputy_id)
    judged = exists().where(
        AnswerOpinion.item_id == Item.id,
        AnswerOpinion.deputy_id == deputy_id,
        or_(Item.answered_at.is_(None), AnswerOpinion.at >= Item.answered_at),
    )
    return _items(
        select(Item).where(
            proposed,
            Item.answer_class.is_not(None),
            Item.reanswer_due.is_(None),
            Item.state.in_(UNDER_WAY_STATES | {ItemState.completed}),
            not_(judged),
        )
    )


def government_todo(township_id: int, office_id: int | None) -> dict[str, list[Item]]:
    """An office's open items, and its suggestions that still need an answer.

    A clerk of the township government with no office sees every open item, and has none to answer:
    a suggestion is answered by its lead office's clerks (User.is_clerk_of).
    """
    query = select(Item).where(Item.township_id == township_id, Item.state.in_(UNFINISHED_STATES))
    if office_id is not None:
        query = query.where(led_by_office_condition(office_id))
    items = _items(query)
    answerable = office_id is not None
    return {
        "office_items": items,
        "to_answer": [
            i
            for i in items
            if answerable
            and i.kind is ListKind.suggestion
            # Not answered yet, or sent back for fresh handling (重新办理) by a proposer's 不满意.
            and (i.answer_class is None or i.reanswer_due is not None)
        ],
        "overdue": [i for i in items if i.is_overdue(today())],
    }


def presidium_todo(township_id: int) -> dict[str, list]:
    """What waits for the presidium's decision."""
    in_township = Item.township_id == township_id
    has_supervisor = exists().where(
        SupervisorAssignment.item_id == Item.id, SupervisorAssignment.ended_at.is_(None)
    )
    all_confirmed = not_(
        exists().where(
            SupervisorAssignment.item_id == Item.id,
            SupervisorAssignment.ended_at.is_(None),
            SupervisorAssignment.confirmed_at.is_(None),
        )
    )
    unconfirmed_lists = (
        db.session.execute(
            select(SupervisionList)
            .where(SupervisionList.township_id == township_id, SupervisionList.confirmed_at.is_(None))
            .order_by(SupervisionList.year.desc())
        )
        .scalars()
        .all()
    )
    return {
        "lists_to_confirm": list(unconfirmed_lists),
        "to_assign": _items(
            select(Item).where(in_township, Item.state == ItemState.listed, not_(has_supervisor))
        ),
        "to_verify": _items(
            select(Item).where(in_township, Item.state == ItemState.completed, all_confirmed)
        ),
        "to_close": _items(select(Item).where(in_township, Item.state == ItemState.verified)),
        "overdue": _items(select(Item).where(in_township, overdue_condition(today()))),
        # Suggestions a proposer found 不满意, handled afresh: the presidium may move the deadline.
        "fresh_handling": _items(
            select(Item).where(in_township, Item.reanswer_due.is_not(None), Item.state.in_(UNDER_WAY_STATES))
        ),
    }
