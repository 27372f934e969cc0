"""Items as a list page groups them: by category (分类), and the multi-year items of earlier lists
that a later year's list page shows too."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from .models import Item, ItemState, SupervisionList, SupervisorAssignment
from .queries import in_year_condition


def by_category(items: list, categories: list[str]) -> list[tuple[str, list]]:
    """Items grouped by category (分类): the list's categories in its order, then any other category
    an item names (an earlier year's list's), then the uncategorised ("") last; empty groups left out."""
    groups: dict[str, list] = {name: [] for name in categories}
    for item in items:
        groups.setdefault(item.category or "", []).append(item)
    others = sorted(name for name in groups if name and name not in categories)
    order = [*categories, *others, ""]
    return [(name, groups[name]) for name in order if groups.get(name)]


def spanning_into(supervision_list: SupervisionList) -> list[Item]:
    """Multi-year items (跨年度) of earlier lists of this township and kind that run into this list's
    year: they are on this year's list too, without being copied (in_year_condition)."""
    query = (
        select(Item)
        .join(Item.supervision_list)
        .where(
            Item.township_id == supervision_list.township_id,
            SupervisionList.kind == supervision_list.kind,
            SupervisionList.year < supervision_list.year,
            in_year_condition(supervision_list.year),
            Item.state != ItemState.draft,
        )
        .options(
            joinedload(Item.supervision_list),
            joinedload(Item.lead_office),
            selectinload(Item.joint_lead_offices),
            selectinload(Item.assignments).joinedload(SupervisorAssignment.deputy),
        )
        .order_by(Item.code)
    )
    return list(db.session.execute(query).unique().scalars())
