"""Reading items: the filtered item list (shared by the page and the Excel export) and counts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..core.clock import today
from ..extensions import db
from .models import Item, ItemState, ListKind, SupervisionList, SupervisorAssignment

SORTS = {
    "code": (Item.code,),
    "deadline": (Item.deadline.is_(None), Item.deadline, Item.code),
    "state": (Item.state, Item.code),
    "title": (Item.title, Item.code),
}
OPEN_STATES = (ItemState.listed, ItemState.supervising, ItemState.consulting)


@dataclass
class ItemFilters:
    township_id: int | None = None
    list_id: int | None = None
    year: int | None = None
    kind: str = ""
    state: str = ""
    office_id: int | None = None
    supervisor_id: int | None = None
    overdue: bool = False
    flag: str = ""
    q: str = ""
    sort: str = "code"

    @classmethod
    def from_args(cls, args) -> ItemFilters:
        return cls(
            township_id=args.get("township", type=int),
            list_id=args.get("list", type=int),
            year=args.get("year", type=int),
            kind=args.get("kind", "") if args.get("kind", "") in ListKind.__members__ else "",
            state=args.get("state", "") if args.get("state", "") in ItemState.__members__ else "",
            office_id=args.get("office", type=int),
            supervisor_id=args.get("supervisor", type=int),
            overdue=args.get("overdue") == "1",
            flag=args.get("flag", "") if args.get("flag", "") in FLAGS else "",
            q=args.get("q", "").strip()[:100],
            sort=args.get("sort", "code") if args.get("sort", "code") in SORTS else "code",
        )


FLAGS = {
    "wide_impact": Item.wide_impact,
    "public_attention": Item.public_attention,
    "high_difficulty": Item.high_difficulty,
}


def overdue_condition(day):
    """Open items whose deadline has passed."""
    return and_(Item.state.in_(OPEN_STATES), Item.deadline.isnot(None), Item.deadline < day)


def item_query(user, filters: ItemFilters):
    """The items this user may see, filtered and sorted, with what list pages show preloaded."""
    query = select(Item).join(Item.supervision_list).where(user.visible_township_filter(Item.township_id))
    if filters.township_id:
        query = query.where(Item.township_id == filters.township_id)
    if filters.list_id:
        query = query.where(Item.list_id == filters.list_id)
    if filters.year:
        query = query.where(SupervisionList.year == filters.year)
    if filters.kind:
        query = query.where(SupervisionList.kind == ListKind[filters.kind])
    if filters.state:
        query = query.where(Item.state == ItemState[filters.state])
    if filters.office_id:
        query = query.where(Item.lead_office_id == filters.office_id)
    if filters.supervisor_id:
        query = query.where(
            exists().where(
                SupervisorAssignment.item_id == Item.id,
                SupervisorAssignment.deputy_id == filters.supervisor_id,
                SupervisorAssignment.ended_at.is_(None),
            )
        )
    if filters.overdue:
        query = query.where(overdue_condition(today()))
    if filters.flag:
        query = query.where(FLAGS[filters.flag].is_(True))
    if filters.q:
        pattern = f"%{filters.q}%"
        query = query.where(or_(Item.title.like(pattern), Item.code.like(pattern)))
    return query.order_by(*SORTS[filters.sort]).options(
        joinedload(Item.supervision_list),
        joinedload(Item.lead_office),
        selectinload(Item.assignments).joinedload(SupervisorAssignment.deputy),
    )


def state_counts(list_ids: list[int]) -> dict[int, dict[ItemState, int]]:
    """Items per state for each list, in one query."""
    counts: dict[int, dict[ItemState, int]] = {list_id: {} for list_id in list_ids}
    rows = db.session.execute(
        select(Item.list_id, Item.state, func.count())
        .where(Item.list_id.in_(list_ids))
        .group_by(Item.list_id, Item.state)
    )
    for list_id, state, count in rows:
        counts[list_id][state] = count
    return counts
