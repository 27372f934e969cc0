"""Items from Excel (.xlsx) or Word (.docx): a list's import template, and the all-or-nothing import
of a list as real lists are written (core.importing finds the table and collects the problems,
item_rows checks each row, import_writing writes them once the user has confirmed the preview)."""

from __future__ import annotations

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select

from ..core.importing import read_tables
from ..core.spellings import Suggestion, suggest_unit
from ..core.xlsx import bold_header, neutralise, workbook_bytes
from ..extensions import db
from ..org.models import Office
from .import_writing import write_import
from .item_rows import (
    CATEGORY,
    CODE_HEADER,
    COLUMNS,
    FLAG_COLUMNS,
    FUNDS_SOURCE,
    FUNDS_THIS_YEAR,
    HANDED_OVER,
    LEVEL,
    PROPOSERS,
    TEXT_COLUMNS,
    TITLE,
    ItemChecker,
    ItemImport,
    ItemRow,
)
from .models import ListKind, SupervisionList

__all__ = [
    "CODE_HEADER",
    "ItemImport",
    "ItemRow",
    "REQUIRED_HEADERS",
    "SUGGESTION_HEADERS",
    "TEMPLATE_HEADERS",
]

# ---- the import template ----------------------------------------------------------------------

# An item's own columns, in the order of the item form; the export writes them under the same headers
# (a file exported from this system can be imported again).
FIELD_HEADERS = [
    "事项名称",
    "事项内容",
    "实施区域",
    "主办单位",
    "协办单位",
    "分管领导",
    "目标/标准",
    "完成时限",
    "结束年度",
    "计划资金（万元）",
]
# Columns of the fields real lists carry (issue 13), which the export does not write (yet).
REAL_LIST_HEADERS = [FUNDS_THIS_YEAR, FUNDS_SOURCE, CATEGORY, LEVEL]
TEMPLATE_HEADERS = [*FIELD_HEADERS, *REAL_LIST_HEADERS, *FLAG_COLUMNS, "来源"]
# Optional: the end year of an item spanning years (跨年度) came after the first templates.
END_YEAR_HEADER = "结束年度"
# Only these must be there; every other column may be missing or headed another way (item_rows.COLUMNS).
REQUIRED_HEADERS = [column.name for column in COLUMNS if column.required]
SUGGESTION_HEADERS = [PROPOSERS, HANDED_OVER]


def template_headers(kind: ListKind) -> list[str]:
    return TEMPLATE_HEADERS + (SUGGESTION_HEADERS if kind is ListKind.suggestion else [])


def template_workbook(supervision_list: SupervisionList, offices: list[Office]) -> bytes:
    """The list's import template: Chinese headers, drop-downs for offices and flags, and notes."""
    headers = template_headers(supervision_list.kind)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "清单事项"
    bold_header(sheet, headers)
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 28 if header in TEXT_COLUMNS else 16
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet("填写说明")
    for line in _notes(supervision_list):
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    notes.append([])
    notes.append(["本镇站所（主办单位、协办单位须与下列名称一致）："])
    first_office_row = notes.max_row + 1
    for office in offices:
        notes.append([neutralise(office.name)])

    def column_of(header: str) -> str:
        letter = get_column_letter(headers.index(header) + 1)
        return f"{letter}2:{letter}10001"

    yes_no = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    for header in FLAG_COLUMNS:
        yes_no.add(column_of(header))
    sheet.add_data_validation(yes_no)
    if offices:
        office_list = DataValidation(
            type="list",
            formula1=f"'填写说明'!$A${first_office_row}:$A${first_office_row + len(offices) - 1}",
            allow_blank=True,
        )
        office_list.add(column_of("主办单位"))
        sheet.add_data_validation(office_list)
    return workbook_bytes(workbook)


def _notes(supervision_list: SupervisionList) -> list[str]:
    notes = [
        _(
            "导入到：%(township)s %(title)s",
            township=supervision_list.township.name,
            title=supervision_list.title,
        ),
        _("每行一个事项，第一行是表头，请勿修改表头。“事项名称”必填，同一清单中不能重名。"),
        _(
            "主办单位填牵头单位；几个单位联合牵头时用“、”隔开，第一个为主办单位，其余为联合牵头单位。"
            "本镇还没有的单位，导入前可选择新建，或对应到已有站所。"
        ),
        _("协办单位可填多个站所，用“、”或“,”隔开。"),
        _(
            "完成时限可填 Excel 日期，或 %(day)s、6月底、年底、第三季度 这样的文字；"
            "计划资金以万元为单位，可写 230、约230万元、1.2亿元。分类可不填；级别填镇级、县级或市级。",
            day=f"{supervision_list.year}-12-31",  # an example in the list's own year
        ),
        _(
            "跨年度事项在“结束年度”填写完成的年度（须晚于清单年度 %(year)d 年），完成时限可至该年年底；"
            "不跨年度的事项不填。",
            year=supervision_list.year,
        ),
        _("影响面广、群众关注度高、推进难度大：填“是”或“否”，不填视为“否”。"),
        _("编号由系统生成。文件中如有“编号”列（例如从系统导出的文件），已存在的编号会被报告为重复。"),
        _("导入时先检查每一行：只要有一行有误，就一行也不导入，并列出所有错误。"),
    ]
    if supervision_list.kind is ListKind.suggestion:
        notes.append(_("提出建议的代表填本镇代表的姓名，多名用“、”隔开；交办日期的格式同完成时限。"))
    return notes


# ---- the import: check every row first, show the preview, write all or nothing once confirmed -----


def parse_items(data: bytes, supervision_list: SupervisionList, max_rows: int) -> ItemImport:
    """Check every row of the file, streaming it; return the rows to import or every problem found.
    Nothing is written: the preview shows this, the confirmation writes it (import_items)."""
    result = ItemImport()
    checker = ItemChecker(supervision_list, result)
    no_rows = _("文件中没有事项数据。")
    for row in read_tables(data, result, columns=COLUMNS, title=TITLE, max_rows=max_rows, no_rows=no_rows):
        checker.check(row)
    checker.check_codes()
    result.problems.sort(key=lambda p: p.row)  # the codes are looked up in batches, after their rows
    return result


def unit_suggestions(supervision_list: SupervisionList, names) -> dict[str, Suggestion | None]:
    """For each new unit name, the township's active office it most likely means, if any."""
    township = supervision_list.township
    offices = db.session.execute(
        select(Office.name).where(Office.township_id == township.id, Office.is_active).order_by(Office.name)
    ).scalars()
    existing = list(offices)
    prefixes = [township.name, township.short_name]
    return {name: suggest_unit(name, existing, prefixes) for name in names}


def import_items(
    user,
    data: bytes,
    supervision_list: SupervisionList,
    max_rows: int,
    choices: dict[str, int | None] | None = None,
) -> ItemImport:
    """Check the file and, only if every row is good and every new unit name has its choice (None:
    create it as an office; an id: the same as that office), add all its items (flushed, not
    committed). ``choices`` None: every new name becomes an office (scripts and the demo)."""
    result = parse_items(data, supervision_list, max_rows)
    if result.ok:
        if choices is None:
            choices = dict.fromkeys(result.new_names)
        result.codes = write_import(user, supervision_list, result, choices)
        result.imported = len(result.codes)
    return result
