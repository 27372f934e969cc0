"""Reading items: the filtered item list (shared by the page and the Excel export) and counts."""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..core import cache
from ..core.clock import today
from ..core.database import in_ids
from ..core.fields import as_id
from ..extensions import db
from ..org.models import Deputy, Office, Township
from .models import (
    LIVE_STATES,
    UNDER_WAY_STATES,
    Item,
    ItemState,
    ListKind,
    SupervisionList,
    SupervisorAssignment,
    item_joint_lead_office,
)

SORTS = {
    "code": (Item.code,),
    "deadline": (Item.deadline.is_(None), Item.deadline, Item.code),
    "state": (Item.state, Item.code),
    "title": (Item.title, Item.code),
}


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
            township_id=as_id(args.get("township")),
            list_id=as_id(args.get("list")),
            year=as_id(args.get("year")),
            kind=args.get("kind", "") if args.get("kind", "") in ListKind.__members__ else "",
            state=args.get("state", "") if args.get("state", "") in STATE_CHOICES else "",
            office_id=as_id(args.get("office")),
            supervisor_id=as_id(args.get("supervisor")),
            overdue=args.get("overdue") == "1",
            flag=args.get("flag", "") if args.get("flag", "") in FLAGS else "",
            q=args.get("q", "").strip()[:100],
            sort=args.get("sort", "code") if args.get("sort", "code") in SORTS else "code",
        )


# Every state but 草稿: the items on the lists (a draft is not listed yet), as the statistics count them.
NOT_DRAFT = "not_draft"
STATE_CHOICES = {*ItemState.__members__, NOT_DRAFT}

FLAGS = {
    "wide_impact": Item.wide_impact,
    "public_attention": Item.public_attention,
    "high_difficulty": Item.high_difficulty,
}


def overdue_condition(day):
    """Open items whose deadline has passed."""
    return and_(Item.state.in_(UNDER_WAY_STATES), Item.deadline.isnot(None), Item.deadline < day)


def led_by_office_condition(office_id: int):
    """A condition on Item: this office leads it, as its lead office or as a joint lead (联合牵头).

    The SQL of ``Item.is_led_by``: every "this office's items" query (to-do, reports owed, the office
    filter) goes through it, so that joint leads see, report and are reminded like the lead office."""
    link = item_joint_lead_office.c
    return or_(
        Item.lead_office_id == office_id,
        # Item.id IS NOT NULL: probed per item, never hashed over the whole link table.
        exists().where(link.item_id == Item.id, link.office_id == office_id, Item.id.isnot(None)),
    )


def supervised_by_condition(deputy_id: int):
    """A condition on Item: the deputy is currently one of its volunteer supervisors (the SQL of
    ``User.supervises``, with the township checked by the caller's visibility filter)."""
    return exists().where(
        SupervisorAssignment.item_id == Item.id,
        SupervisorAssignment.deputy_id == deputy_id,
        SupervisorAssignment.ended_at.is_(None),
    )


def township_list(township_id: int, year: int, kind: ListKind) -> SupervisionList | None:
    """The township's list of ``kind`` for ``year``, or None (a township has one of each a year)."""
    return db.session.execute(
        select(SupervisionList).where(
            SupervisionList.township_id == township_id,
            SupervisionList.year == year,
            SupervisionList.kind == kind,
        )
    ).scalar_one_or_none()


def in_year_condition(year: int):
    """A condition on Item joined to its SupervisionList: the item is on ``year``'s list of its kind,
    as an item of that year's list or as a multi-year item (跨年度) of an earlier list that runs into
    ``year``: not copied, the one item shows in each year it spans. Once carried over, its copy (in
    the next year's list, ``carried_from``) stands for it instead."""
    return or_(
        SupervisionList.year == year,
        and_(
            SupervisionList.year < year,
            Item.end_year.isnot(None),
            Item.end_year >= year,
            Item.state != ItemState.carried_over,
        ),
    )


def item_query(user, filters: ItemFilters):
    """The items this user may see, filtered and sorted, with what list pages show preloaded."""
    return _filtered(select(Item), user, filters).options(
        joinedload(Item.supervision_list),
        joinedload(Item.lead_office),
        selectinload(Item.joint_lead_offices),
        selectinload(Item.assignments).joinedload(SupervisorAssignment.deputy),
    )


def item_ids(user, filters: ItemFilters) -> list[int]:
    """The ids of the items this user may see, filtered and sorted as the list shows them: the
    long export reads its rows by these, a page at a time."""
    return list(db.session.execute(_filtered(select(Item.id), user, filters)).scalars())


def item_count(user, filters: ItemFilters) -> int:
    """How many items the filters give this user (one COUNT, nothing loaded)."""
    filtered = _filtered(select(Item.id), user, filters).order_by(None).subquery()
    return db.session.execute(select(func.count()).select_from(filtered)).scalar_one()


def items_by_ids(ids: list[int]) -> list[Item]:
    """These items, in this order, with what the export shows preloaded."""
    query = (
        select(Item)
        .where(Item.id.in_(ids))
        .options(
            joinedload(Item.supervision_list),
            joinedload(Item.lead_office),
            selectinload(Item.assisting_offices),
            selectinload(Item.joint_lead_offices),
            selectinload(Item.assignments).joinedload(SupervisorAssignment.deputy),
        )
    )
    found = {item.id: item for item in db.session.execute(query).unique().scalars()}
    return [found[i] for i in ids if i in found]


def _filtered(query, user, filters: ItemFilters):
    query = query.join(Item.supervision_list).where(user.visible_township_filter(Item.township_id))
    if filters.township_id:
        query = query.where(Item.township_id == filters.township_id)
    if filters.list_id:
        query = query.where(Item.list_id == filters.list_id)
    if filters.year:
        query = query.where(in_year_condition(filters.year))
    if filters.kind:
        query = query.where(SupervisionList.kind == ListKind[filters.kind])
    if filters.state == NOT_DRAFT:
        query = query.where(Item.state != ItemState.draft)
    elif filters.state:
        query = query.where(Item.state == ItemState[filters.state])
    if filters.office_id:
        query = query.where(led_by_office_condition(filters.office_id))
    if filters.supervisor_id:
        query = query.where(supervised_by_condition(filters.supervisor_id))
    if filters.overdue:
        query = query.where(overdue_condition(today()))
    if filters.flag:
        query = query.where(FLAGS[filters.flag].is_(True))
    if filters.q:
        pattern = f"%{filters.q}%"
        query = query.where(or_(Item.title.like(pattern), Item.code.like(pattern)))
    return query.order_by(*SORTS[filters.sort])


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


def supervised_item_counts(township_id: int, year: int) -> dict[int, int]:
    """How many live items of this year's lists each deputy of the township supervises now, in one
    query: deputy id → count (a deputy supervising none is absent)."""
    rows = db.session.execute(
        select(SupervisorAssignment.deputy_id, func.count(func.distinct(Item.id)))
        .join(Item, Item.id == SupervisorAssignment.item_id)
        .join(SupervisionList, SupervisionList.id == Item.list_id)
        .where(
            Item.township_id == township_id,
            SupervisionList.year == year,
            Item.state.in_(LIVE_STATES),
            SupervisorAssignment.ended_at.is_(None),
        )
        .group_by(SupervisorAssignment.deputy_id)
    )
    return {deputy_id: count for deputy_id, count in rows}


# --- the item list page: plain rows instead of ORM objects, and what its cache key is made of ----

DeputyRef = namedtuple("DeputyRef", "name")
ShownState = namedtuple("ShownState", "value label badge")  # what state_badge() reads, translated once


class ItemRow:
    """An item as an items table shows it. The item list builds it from plain columns (building
    ORM objects cost more than rendering the page); table_rows() builds it from Item objects and
    adds what depends on the day and the language. Flags and overdue use Item's own code."""

    __slots__ = (
        "id",
        "code",
        "title",
        "deadline",
        "state",
        "wide_impact",
        "public_attention",
        "high_difficulty",
        "handed_over_on",
        "extension_approved",
        "answer_class",
        "category",
        "end_year",
        "list_year",
        "list_kind",
        "lead_office_name",
        "joint_lead_names",
        "supervisors",
        # Filled in by table_rows():
        "list_title",
        "flag_labels",
        "shown_state",
        "overdue",
    )
    flags = Item.flags
    answer_due = Item.answer_due
    is_overdue = Item.is_overdue

    def __init__(self, **values):
        for name, value in values.items():
            setattr(self, name, value)

    @classmethod
    def from_item(cls, item: Item) -> ItemRow:
        return cls(
            **{name: getattr(item, name) for name in ITEM_FIELDS},
            list_year=item.supervision_list.year,
            list_kind=item.supervision_list.kind,
            lead_office_name=item.lead_office.name if item.lead_office else None,
            joint_lead_names=[office.name for office in item.joint_lead_offices],
            supervisors=item.supervisors,
        )


ITEM_FIELDS = ItemRow.__slots__[: ItemRow.__slots__.index("list_year")]


def table_rows(items, day) -> list[ItemRow]:
    """Items (Item objects or ItemRows) ready for the items table on this day; each state, kind and
    set of flags is translated once per table rather than once per row."""
    states: dict = {}
    kinds: dict = {}
    flags: dict = {}
    rows = []
    for item in items:
        row = item if isinstance(item, ItemRow) else ItemRow.from_item(item)
        if row.state not in states:
            states[row.state] = ShownState(row.state.value, row.state.label, row.state.badge)
        if row.list_kind not in kinds:
            kinds[row.list_kind] = row.list_kind.label
        marks = (row.wide_impact, row.public_attention, row.high_difficulty)
        if marks not in flags:
            flags[marks] = row.flags
        row.shown_state = states[row.state]
        row.list_title = f"{row.list_year} {kinds[row.list_kind]}"  # as SupervisionList.title
        row.flag_labels = flags[marks]
        row.overdue = row.is_overdue(day)
        rows.append(row)
    return rows


ROW_COLUMNS = (
    *(getattr(Item, name) for name in ITEM_FIELDS),
    SupervisionList.year.label("list_year"),
    SupervisionList.kind.label("list_kind"),
    Office.name.label("lead_office_name"),
)


def joint_lead_names(item_ids: list[int]) -> dict[int, list[str]]:
    """Each item's joint lead units (联合牵头) by name, in one query."""
    joint: dict[int, list[str]] = {item_id: [] for item_id in item_ids}
    if joint:
        link = item_joint_lead_office.c
        leading = db.session.execute(
            select(link.item_id, Office.name)
            .join(Office, Office.id == link.office_id)
            .where(in_ids(link.item_id, joint))
            .order_by(Office.name)
        )
        for item_id, name in leading:
            joint[item_id].append(name)
    return joint


def supervisor_names(item_ids: list[int]) -> dict[int, list[DeputyRef]]:
    """Each item's current supervisors' names, in the order they were assigned (one query): what
    a table of items shows of them, without loading deputies."""
    names: dict[int, list[DeputyRef]] = {item_id: [] for item_id in item_ids}
    if names:
        serving = db.session.execute(
            select(SupervisorAssignment.item_id, Deputy.name)
            .join(Deputy, Deputy.id == SupervisorAssignment.deputy_id)
            .where(in_ids(SupervisorAssignment.item_id, names), SupervisorAssignment.ended_at.is_(None))
            .order_by(SupervisorAssignment.id)
        )
        for item_id, name in serving:
            names[item_id].append(DeputyRef(name))
    return names


class ItemRowPagination(Pagination):
    """Flask-SQLAlchemy's pagination over ItemRows: the page's items, their supervisors, the total.
    (A count(*) OVER () column would save the count query but costs more: SQLite then sorts whole
    rows instead of keeping the first 50.)"""

    def _query_items(self) -> list[ItemRow]:
        query = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        rows = db.session.execute(query).all()
        ids = [row.id for row in rows]
        names = supervisor_names(ids)
        joint = joint_lead_names(ids)
        return [
            ItemRow(**row._asdict(), supervisors=names[row.id], joint_lead_names=joint[row.id])
            for row in rows
        ]

    def _query_count(self) -> int:
        return db.session.execute(self._query_args["count_select"]).scalar_one()


def category_order(categories: list[str]):
    """An ORDER BY term putting items in the order of these categories, others after, uncategorised
    last: the order ``by_category`` groups in, so that a page of one list shows whole groups."""
    positions = {name: number for number, name in enumerate(categories)}
    return case(
        (Item.category == "", len(positions) + 1),
        *((Item.category == name, number) for name, number in positions.items()),
        else_=len(positions),
    )


def item_rows_page(
    user, filters: ItemFilters, per_page: int, categories: list[str] | None = None
) -> ItemRowPagination:
    """One page of the items this user may see, as ItemRows (page number from the request); with
    ``categories`` (the items of one list), by category first."""
    query = _filtered(select(*ROW_COLUMNS), user, filters).outerjoin(Office, Office.id == Item.lead_office_id)
    if categories is not None:
        query = query.order_by(None).order_by(category_order(categories), Item.category, *SORTS[filters.sort])
    count = _filtered(select(func.count(Item.id)), user, filters).order_by(None)
    return ItemRowPagination(
        select=query, count_select=count, per_page=per_page, max_per_page=None, error_out=False
    )


# What the item list shows, and so which changes bump a township's data version.
cache.watch(Item)
cache.watch(SupervisionList)
cache.watch(Township, township_attr="id")
cache.watch_child(SupervisorAssignment, SupervisorAssignment.item_id, Item)
cache.watch(
    Office, related=lambda ids: select(Item.township_id).where(Item.lead_office_id.in_(ids)).distinct()
)
cache.watch(
    Deputy,
    related=lambda ids: (
        select(Item.township_id)
        .join(SupervisorAssignment, SupervisorAssignment.item_id == Item.id)
        .where(SupervisorAssignment.deputy_id.in_(ids))
        .distinct()
    ),
)
