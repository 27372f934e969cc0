"""Import deputies from an .xlsx sheet: every row is checked first; one bad row imports nothing."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from openpyxl import Workbook
from sqlalchemy import select

from ..core.importing import ImportResult, SheetRow, read_rows
from ..core.xlsx import bold_header, workbook_bytes
from ..extensions import db
from .models import Deputy, DeputyGroup, DeputyLevel, LiaisonStation, Township

HEADERS = ["姓名", "代表级别", "联络站", "代表小组", "电话"]
REQUIRED_HEADERS = ["姓名", "代表级别"]
PHONE_RE = re.compile(r"^[0-9+\- ]{5,20}$")


def template_workbook() -> bytes:
    """The downloadable template: the headers, one example row, and the allowed levels."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "代表名单"
    bold_header(sheet, HEADERS)
    sheet.append(["张三", DeputyLevel.township.label, "江口镇人大代表联络站", "第一代表小组", "13800000000"])
    for column, width in zip("ABCDE", (14, 18, 26, 18, 16)):
        sheet.column_dimensions[column].width = width
    notes = workbook.create_sheet("填写说明")
    notes.append(["代表级别可填：" + "、".join(level.label for level in DeputyLevel)])
    notes.append(["联络站、代表小组须与系统中本镇的名称一致，可留空；电话不会公开。"])
    notes.append(["请删除示例行后再导入。"])
    return workbook_bytes(workbook)


class DeputyChecker:
    """Checks rows against the township's stations, groups and deputies, and against earlier rows."""

    def __init__(self, township: Township, result: ImportResult[Deputy]):
        self.township = township
        self.result = result
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

    def check(self, row: SheetRow) -> None:
        """Check one row; keep its deputy while the file has no problem so far."""
        name, level, station, group, phone = (row.text(header) for header in HEADERS)
        if not name:
            row.problem("姓名", _("姓名不能为空。"))
        elif len(name) > 40:
            row.problem("姓名", _("姓名不能超过 40 个字。"))
        elif name in self.seen:
            row.problem("姓名", _("与第 %(row)d 行重名。", row=self.seen[name]))
        elif name in self.existing:
            row.problem("姓名", _("本镇已有同名代表“%(name)s”。", name=name))
        if level not in self.levels:
            row.problem("代表级别", _("“%(value)s”不是有效的代表级别。", value=level))
        if station and station not in self.stations:
            row.problem("联络站", _("本镇没有联络站“%(value)s”。", value=station))
        if group and group not in self.groups:
            row.problem("代表小组", _("本镇没有代表小组“%(value)s”。", value=group))
        if phone and not PHONE_RE.match(phone):
            row.problem("电话", _("电话号码格式不正确。"))
        if name:
            self.seen.setdefault(name, row.number)
        if self.result.ok:  # this row and every row before it are good
            deputy = Deputy(
                township_id=self.township.id,
                name=name,
                level=self.levels[level],
                station_id=self.stations.get(station),
                group_id=self.groups.get(group),
                phone=phone,
            )
            self.result.rows.append(deputy)


def parse_deputies(data: bytes, township: Township, max_rows: int) -> ImportResult[Deputy]:
    """Check every row of the sheet; return the deputies to add, or every problem found."""
    result: ImportResult[Deputy] = ImportResult(max_reported=None)
    no_rows = _("文件中没有代表数据。")
    # Read to the end first: a file refused whole (too many rows) lists that problem alone.
    rows = list(read_rows(data, result, required=REQUIRED_HEADERS, max_rows=max_rows, no_rows=no_rows))
    if result.ok:
        checker = DeputyChecker(township, result)
        for row in rows:
            checker.check(row)
    return result


def import_deputies(data: bytes, township: Township, max_rows: int) -> ImportResult[Deputy]:
    """Parse and, only if every row is good, add all deputies (flushed, not committed)."""
    result = parse_deputies(data, township, max_rows)
    if result.ok:
        deputies = result.take_rows()
        db.session.add_all(deputies)
        db.session.flush()
        result.imported = len(deputies)
    return result
