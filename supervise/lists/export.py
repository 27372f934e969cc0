"""Items to Excel (.xlsx): the export of any filtered item list, safe against formula injection."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import BinaryIO

from openpyxl import Workbook

from ..core.amounts import written_figure
from ..core.exports import register_export
from ..core.xlsx import neutralise
from .importing import FIELD_HEADERS, FLAG_COLUMNS
from .models import Item

# The fields real lists carry (issue 13), after the columns the import template shares: the amount
# as lists write it ("230余万元", core/amounts.py), and the deadline as the list wrote it.
FIELD_COLUMNS_ADDED = [
    "分类",
    "联合牵头单位",
    "实事级别",
    "本年度计划投资（万元）",
    "资金来源",
    "完成时限原文",
]
EXPORT_HEADERS = [
    "编号",
    "清单",
    *FIELD_HEADERS,
    "义务监督员",
    "状态",
    *FLAG_COLUMNS,
    "来源",
    *FIELD_COLUMNS_ADDED,
]


def _row(item: Item) -> list:
    yes = "是"
    return [
        item.code,
        f"{item.supervision_list.year} {item.supervision_list.kind.label}",
        item.title,
        item.description,
        item.area,
        item.lead_office.name if item.lead_office else "",
        "、".join(o.name for o in item.assisting_offices),
        item.leader_name,
        item.target,
        item.deadline,
        item.end_year,
        _funds_cell(item),
        "、".join(d.name for d in item.supervisors),
        item.state.label,
        yes if item.wide_impact else "",
        yes if item.public_attention else "",
        yes if item.high_difficulty else "",
        item.source,
        item.category,
        "、".join(o.name for o in item.joint_lead_offices),
        item.level.label if item.level else "",
        float(item.planned_funds_this_year) if item.planned_funds_this_year is not None else None,
        item.funds_source,
        item.deadline_text,
    ]


def _funds_cell(item: Item) -> float | str | None:
    """The planned amount in 万元: a number, or "230余" / "约230" when approximate, as the list wrote
    it (the import reads it back)."""
    if item.planned_funds is None:
        return None
    if item.planned_funds_approx:
        return written_figure(item.planned_funds, approx=True, about=item.planned_funds_about)
    return float(item.planned_funds)


def write_items(
    pages: Iterable[list[Item]], out: BinaryIO, progress: Callable[[int], None], page_count: int = 1
) -> None:
    """A write-only workbook (its rows go to a temporary file as they come), filled a page at a
    time, so that thousands of rows stay cheap in memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("清单事项")
    sheet.append(EXPORT_HEADERS)
    for n, items in enumerate(pages, 1):
        for item in items:
            sheet.append([neutralise(v) for v in _row(item)])
        progress(n * 100 // max(page_count, 1))
    workbook.save(out)


# ---- short in the request, long by a worker (core/exports.py) ---------------------------------------

EXPORT_KIND = "item-export"
PAGE_ROWS = 500  # items read per query by a long export


def write_item_export(user, args, out: BinaryIO, progress: Callable[[int], None]) -> None:
    """The items this user may see with the filters of ``args``, as .xlsx: their ids first (one
    query, in the list's order), then the rows PAGE_ROWS at a time."""
    from .queries import ItemFilters, item_ids, items_by_ids

    ids = item_ids(user, ItemFilters.from_args(args))
    pages = [ids[start : start + PAGE_ROWS] for start in range(0, len(ids), PAGE_ROWS)]
    write_items((items_by_ids(page) for page in pages), out, progress, len(pages))


def count_item_export(user, args) -> int:
    from .queries import ItemFilters, item_count

    return item_count(user, ItemFilters.from_args(args))


def item_export_fingerprint(user, _args) -> str:
    """Changes with any change to the townships the user sees (their data versions) and with the day
    (an item's lateness depends on it)."""
    from ..core.clock import today
    from .filters import visible_townships_and_versions

    _townships, versions = visible_townships_and_versions(user)
    return f"{today().isoformat()} {versions}"


def load_user(user_id: int):
    from ..accounts.models import User
    from ..extensions import db

    return db.session.get(User, user_id)


register_export(
    EXPORT_KIND,
    write=write_item_export,
    count=count_item_export,
    fingerprint=item_export_fingerprint,
    load_user=load_user,
)
