"""Import deputies from an .xlsx sheet: every row is checked first; one bad row imports nothing."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from sqlalchemy import select

from ..core.xlsx import RowProblem, cell_text, check_archive
from ..extensions import db
from .models import Deputy, DeputyGroup, DeputyLevel, LiaisonStation, Township

HEADERS = ["姓名", "代表级别", "联络站", "代表小组", "电话"]
REQUIRED_HEADERS = ["姓名", "代表级别"]
PHONE_RE = re.compile(r"^[0-9+\- ]{5,20}$")


@dataclass
class ImportResult:
    deputies: list[Deputy] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def template_workbook() -> bytes:
    """The downloadable template: the headers, one example row, and the allowed levels."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "代表名单"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(["张三", DeputyLevel.township.label, "江口镇人大代表联络站", "第一代表小组", "13800000000"])
    for column, width in zip("ABCDE", (14, 18, 26, 18, 16)):
        sheet.column_dimensions[column].width = width
    notes = workbook.create_sheet("填写说明")
    notes.append(["代表级别可填：" + "、".join(level.label for level in DeputyLevel)])
    notes.append(["联络站、代表小组须与系统中本镇的名称一致，可留空；电话不会公开。"])
    notes.append(["请删除示例行后再导入。"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _read_sheet(data: bytes, max_rows: int) -> tuple[list[str], list[tuple[int, tuple]]] | None:
    """The first sheet's header and its non-blank rows with their row numbers (at most one past
    the limit), or None when openpyxl cannot read the file. Blank rows (Excel keeps styled empty
    rows below the data) are neither data nor errors."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            rows = workbook.worksheets[0].iter_rows(values_only=True)
            header = [cell_text(v) for v in next(rows, ())]
            filled = []
            for number, values in enumerate(rows, start=2):
                if any(cell_text(v) for v in values):
                    filled.append((number, values))
                    if len(filled) > max_rows:
                        break
        finally:
            workbook.close()
    except Exception:  # openpyxl, zipfile and the XML parser raise many kinds for malformed files
        return None
    return header, filled


class _RowChecker:
    """Checks rows against the township's stations, groups and deputies, and against earlier rows."""

    def __init__(self, township: Township):
        self.township = township
        self.stations = self._names(LiaisonStation)
        self.groups = self._names(DeputyGroup)
        self.existing = set(
            db.session.execute(select(Deputy.name).where(Deputy.township_id == township.id)).scalars()
        )
        self.levels = {key: level for level in DeputyLevel for key in (level.value, level.label)}
        self.seen: dict[str, int] = {}

    def _names(self, model) -> dict[str, int]:
        query = select(model).where(model.township_id == self.township.id, model.is_active)
        return {record.name: record.id for record in db.session.execute(query).scalars()}

    def check(self, number: int, cells: dict[str, str]) -> tuple[Deputy | None, list[RowProblem]]:
        """The row's deputy if the row is good, and its problems."""
        name, level, station, group, phone = (cells.get(header, "") for header in HEADERS)
        problems = []

        def problem(column: str, reason: str) -> None:
            problems.append(RowProblem(number, column, reason))

        if not name:
            problem("姓名", _("姓名不能为空。"))
        elif len(name) > 40:
            problem("姓名", _("姓名不能超过 40 个字。"))
        elif name in self.seen:
            problem("姓名", _("与第 %(row)d 行重名。", row=self.seen[name]))
        elif name in self.existing:
            problem("姓名", _("本镇已有同名代表“%(name)s”。", name=name))
        if level not in self.levels:
            problem("代表级别", _("“%(value)s”不是有效的代表级别。", value=level))
        if station and station not in self.stations:
            problem("联络站", _("本镇没有联络站“%(value)s”。", value=station))
        if group and group not in self.groups:
            problem("代表小组", _("本镇没有代表小组“%(value)s”。", value=group))
        if phone and not PHONE_RE.match(phone):
            problem("电话", _("电话号码格式不正确。"))
        if name:
            self.seen.setdefault(name, number)
        if problems:
            return None, problems
        deputy = Deputy(
            township_id=self.township.id,
            name=name,
            level=self.levels[level],
            station_id=self.stations.get(station),
            group_id=self.groups.get(group),
            phone=phone,
        )
        return deputy, problems


def parse_deputies(data: bytes, township: Township, max_rows: int) -> ImportResult:
    """Check every row of the sheet; return the deputies to add, or every problem found."""
    result = ImportResult()
    refusal = check_archive(data)
    sheet = None if refusal else _read_sheet(data, max_rows)
    if sheet is None:
        reason = refusal or _("无法读取这个 .xlsx 文件，请用 Excel 重新保存后再试。")
        result.problems.append(RowProblem(0, "", reason))
        return result
    header, rows = sheet
    missing = [h for h in REQUIRED_HEADERS if h not in header]
    if missing:
        reason = _("缺少列：%(cols)s。请使用页面提供的模板。", cols="、".join(missing))
        result.problems.append(RowProblem(1, "", reason))
        return result
    if len(rows) > max_rows:
        reason = _("行数超过上限 %(n)d 行，请分批导入。", n=max_rows)
        result.problems.append(RowProblem(rows[-1][0], "", reason))
        return result
    if not rows:
        result.problems.append(RowProblem(0, "", _("文件中没有代表数据。")))
        return result

    position = {name: header.index(name) for name in HEADERS if name in header}
    checker = _RowChecker(township)
    for number, values in rows:
        cells = {name: cell_text(values[index]) for name, index in position.items() if index < len(values)}
        deputy, problems = checker.check(number, cells)
        result.problems.extend(problems)
        if deputy is not None:
            result.deputies.append(deputy)
    return result


def import_deputies(data: bytes, township: Township, max_rows: int) -> ImportResult:
    """Parse and, only if every row is good, add all deputies (flushed, not committed)."""
    result = parse_deputies(data, township, max_rows)
    if result.ok:
        db.session.add_all(result.deputies)
        db.session.flush()
    else:
        result.deputies = []
    return result
