"""Items from Excel (.xlsx): a list's import template, and the all-or-nothing import of a filled-in
template (core.importing reads the rows and collects their problems; this module checks items)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select

from ..core.importing import ImportResult, SheetRow, read_rows
from ..core.xlsx import bold_header, cell_text, neutralise, plain_text, workbook_bytes
from ..extensions import db
from ..org.models import Deputy, Office
from .import_writing import create_items
from .models import Item, ListKind, SupervisionList

# ---- the import template ----------------------------------------------------------------------

# Text columns: header → (item field, longest allowed), as on the item form.
TEXT_COLUMNS = {
    "事项名称": ("title", 200),
    "事项内容": ("description", 5000),
    "实施区域": ("area", 200),
    "分管领导": ("leader_name", 40),
    "目标/标准": ("target", 2000),
    "来源": ("source", 2000),
}
FLAG_COLUMNS = {
    "影响面广": "wide_impact",
    "群众关注度高": "public_attention",
    "推进难度大": "high_difficulty",
}
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
TEMPLATE_HEADERS = [*FIELD_HEADERS, *FLAG_COLUMNS, "来源"]
# Optional: the end year of an item spanning years (跨年度) came after the first templates.
END_YEAR_HEADER = "结束年度"
REQUIRED_HEADERS = [header for header in TEMPLATE_HEADERS if header != END_YEAR_HEADER]
SUGGESTION_HEADERS = ["提出建议的代表", "交办日期"]
# Optional: a file exported from this system carries its codes; an existing code means "imported twice".
CODE_HEADER = "编号"
NAME_SEPARATORS = re.compile(r"[、,，;；]")
DATE_TEXT = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
YEAR_TEXT = re.compile(r"^(\d{1,9})\s*年?$")
MAX_FUNDS = Decimal("9999999999.99")  # Numeric(12, 2)


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
        _("主办单位填一个本镇站所的名称，可暂不填写，但确认清单前须补齐主办单位、完成时限和目标/标准。"),
        _("协办单位可填多个站所，用“、”或“,”隔开。"),
        _("完成时限填 Excel 日期，或按 2026-12-31 的格式填写文字。计划资金以万元为单位，不能为负数。"),
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


# ---- the import: check every row first, then write all or nothing ----------------------------

CODE_CHECK_BATCH = 500


@dataclass(slots=True)
class ItemRow:
    """One checked row: the item's fields, ready for creating."""

    fields: dict
    assisting_ids: list[int]
    proposer_ids: list[int]


@dataclass
class ItemImport(ImportResult[ItemRow]):
    codes: list[str] = field(default_factory=list)  # of the items created


class ItemChecker:
    """Checks rows against the township's offices and deputies, the list's items and earlier rows."""

    def __init__(self, supervision_list: SupervisionList, result: ItemImport):
        self.result = result
        self.is_suggestion = supervision_list.kind is ListKind.suggestion
        self.list_year = supervision_list.year
        township_id = supervision_list.township_id
        self.offices = {
            o.name: o
            for o in db.session.execute(select(Office).where(Office.township_id == township_id)).scalars()
        }
        self.deputies: dict[str, list[Deputy]] = {}
        if self.is_suggestion:
            for deputy in db.session.execute(
                select(Deputy).where(Deputy.township_id == township_id)
            ).scalars():
                self.deputies.setdefault(deputy.name, []).append(deputy)
        self.existing_titles = set(
            db.session.execute(select(Item.title).where(Item.list_id == supervision_list.id)).scalars()
        )
        self.titles: dict[str, int] = {}
        self.codes: dict[str, int] = {}
        self.codes_to_check: dict[str, int] = {}

    def check(self, row: SheetRow) -> None:
        """Check one row; keep its fields while the file has no problem so far."""
        fields: dict = {}
        for header, (name, longest) in TEXT_COLUMNS.items():
            text = plain_text(row.value(header))
            if len(text) > longest:
                row.problem(header, _("不能超过 %(n)d 个字。", n=longest))
            fields[name] = text
        self._check_title(row, fields["title"])

        office_name = plain_text(row.value("主办单位"))
        fields["lead_office_id"] = None
        if office_name:
            office = self._office(row, office_name, "主办单位")
            fields["lead_office_id"] = office.id if office else None
        assisting = [self._office(row, n, "协办单位") for n in _names(row.value("协办单位"))]
        assisting_ids = [o.id for o in assisting if o is not None]
        fields["deadline"] = _date(row, "完成时限")
        fields["end_year"] = _end_year(row, self.list_year)
        fields["planned_funds"] = _funds(row, "计划资金（万元）")
        for header, name in FLAG_COLUMNS.items():
            fields[name] = _flag(row, header)

        proposer_ids: list[int] = []
        if self.is_suggestion:
            proposers = [self._deputy(row, n) for n in _names(row.value("提出建议的代表"))]
            proposer_ids = [d.id for d in proposers if d is not None]
            fields["handed_over_on"] = _date(row, "交办日期")
        else:
            for header in SUGGESTION_HEADERS:
                if row.text(header):
                    row.problem(header, _("只有“代表建议”清单可以填写这一列。"))
        self._check_code(row, plain_text(row.value(CODE_HEADER)))
        self.result.keep(ItemRow(fields, assisting_ids, proposer_ids))

    def _check_title(self, row: SheetRow, title: str) -> None:
        if not title:
            row.problem("事项名称", _("事项名称不能为空。"))
        elif title in self.titles:
            row.problem("事项名称", _("与第 %(row)d 行的事项名称重复。", row=self.titles[title]))
        elif title in self.existing_titles:
            row.problem("事项名称", _("清单中已有同名事项“%(title)s”。", title=title))
        if title:
            self.titles.setdefault(title, row.number)

    def _office(self, row: SheetRow, name: str, column: str) -> Office | None:
        office = self.offices.get(name)
        if office is None:
            row.problem(column, _("本镇没有站所“%(name)s”。", name=name))
        elif not office.is_active:
            row.problem(column, _("站所“%(name)s”已停用。", name=name))
        else:
            return office
        return None

    def _deputy(self, row: SheetRow, name: str) -> Deputy | None:
        found = self.deputies.get(name, [])
        active = [d for d in found if d.is_active]
        candidates = active or found
        column = "提出建议的代表"
        if not candidates:
            row.problem(column, _("本镇没有代表“%(name)s”。", name=name))
        elif len(candidates) > 1:
            row.problem(column, _("本镇有多名代表叫“%(name)s”，请导入后在事项中选择。", name=name))
        else:
            return candidates[0]
        return None

    def _check_code(self, row: SheetRow, code: str) -> None:
        if not code:
            return
        if code in self.codes:
            row.problem(CODE_HEADER, _("与第 %(row)d 行的编号重复。", row=self.codes[code]))
            return
        self.codes[code] = row.number
        self.codes_to_check[code] = row.number
        if len(self.codes_to_check) >= CODE_CHECK_BATCH:
            self.check_codes()

    def check_codes(self) -> None:
        """Codes already in the system, looked up a batch at a time rather than row by row."""
        if not self.codes_to_check:
            return
        taken = db.session.execute(
            select(Item.code).where(Item.code.in_(list(self.codes_to_check)))
        ).scalars()
        for code in taken:
            self.result.report(self.codes_to_check[code], CODE_HEADER, _("编号“%(code)s”已存在。", code=code))
        self.codes_to_check.clear()


def _names(value) -> list[str]:
    """Names separated by 、 or commas, each once, in the order given."""
    return list(dict.fromkeys(n.strip() for n in NAME_SEPARATORS.split(plain_text(value)) if n.strip()))


def _date(row: SheetRow, column: str) -> date | None:
    value = row.value(column)
    day = None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    text = cell_text(value)
    if day is None and not text:
        return None
    match = DATE_TEXT.match(text)
    if day is None and match:
        try:
            day = date(*(int(part) for part in match.groups()))
        except ValueError:
            day = None
    if day is None:
        row.problem(
            column, _("“%(value)s”不是有效日期，请填 Excel 日期或 2026-12-31 这样的文字。", value=text)
        )
        return None
    if not 2000 <= day.year <= 2100:
        # A number typed into a date-formatted cell reads as a day in 1900.
        row.problem(column, _("日期 %(day)s 的年份应在 2000 到 2100 之间。", day=day.isoformat()))
        return None
    return day


def _end_year(row: SheetRow, list_year: int) -> int | None:
    """The end year of an item spanning years: after the list's year, as the list's confirmation wants."""
    text = row.text(END_YEAR_HEADER)
    if not text:
        return None
    match = YEAR_TEXT.match(text)
    year = int(match.group(1)) if match else None
    if year is None:
        row.problem(END_YEAR_HEADER, _("“%(value)s”不是年度，请填 2027 这样的年份。", value=text))
    elif not 2000 <= year <= 2100:
        row.problem(END_YEAR_HEADER, _("年度应在 2000 到 2100 之间。"))
    elif year <= list_year:
        row.problem(END_YEAR_HEADER, _("结束年度须晚于清单年度（%(year)d 年）。", year=list_year))
    else:
        return year
    return None


def _funds(row: SheetRow, column: str) -> Decimal | None:
    value = row.value(column)
    text = cell_text(value)
    if not text:
        return None
    amount = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        amount = Decimal(str(value)) if math.isfinite(value) else None
    elif isinstance(value, str):
        try:
            amount = Decimal(text.replace(",", "").replace("，", ""))
        except InvalidOperation:
            amount = None
    if amount is None or not amount.is_finite():
        row.problem(column, _("“%(value)s”不是数字。", value=text))
        return None
    if amount < 0:
        row.problem(column, _("资金不能为负数。"))
        return None
    amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if amount > MAX_FUNDS:
        row.problem(column, _("资金数额过大。"))
        return None
    return amount


def _flag(row: SheetRow, column: str) -> bool:
    value = row.value(column)
    if isinstance(value, bool):
        return value
    text = cell_text(value)
    if text in ("", "否"):
        return False
    if text == "是":
        return True
    row.problem(column, _("请填“是”或“否”，不填视为“否”。"))
    return False


def parse_items(data: bytes, supervision_list: SupervisionList, max_rows: int) -> ItemImport:
    """Check every row of the file, streaming it; return the rows to import or every problem found."""
    result = ItemImport()
    checker = ItemChecker(supervision_list, result)
    no_rows = _("文件中没有事项数据。")
    for row in read_rows(data, result, required=REQUIRED_HEADERS, max_rows=max_rows, no_rows=no_rows):
        checker.check(row)
    checker.check_codes()
    result.problems.sort(key=lambda p: p.row)  # the codes are looked up in batches, after their rows
    return result


def import_items(user, data: bytes, supervision_list: SupervisionList, max_rows: int) -> ItemImport:
    """Check the file and, only if every row is good, add all its items (flushed, not committed)."""
    result = parse_items(data, supervision_list, max_rows)
    if result.ok:
        result.codes = create_items(user, supervision_list, result.take_rows())
        result.imported = len(result.codes)
    return result
