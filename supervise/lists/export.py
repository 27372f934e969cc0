"""Items to Excel (.xlsx): the export of any filtered item list, safe against formula injection."""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl import Workbook

from ..core.xlsx import neutralise, workbook_bytes
from .importing import FIELD_HEADERS, FLAG_COLUMNS
from .models import Item

EXPORT_HEADERS = ["编号", "清单", *FIELD_HEADERS, "义务监督员", "状态", *FLAG_COLUMNS, "来源"]


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
        float(item.planned_funds) if item.planned_funds is not None else None,
        "、".join(d.name for d in item.supervisors),
        item.state.label,
        yes if item.wide_impact else "",
        yes if item.public_attention else "",
        yes if item.high_difficulty else "",
        item.source,
    ]


def export_items(items: Iterable[Item]) -> bytes:
    """A write-only workbook, so that thousands of rows stay cheap in memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("清单事项")
    sheet.append(EXPORT_HEADERS)
    for item in items:
        sheet.append([neutralise(v) for v in _row(item)])
    return workbook_bytes(workbook)
