"""Import deputies from an .xlsx sheet: every row is checked first; one bad row imports nothing."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from sqlalchemy import select

from ..extensions import db
from .models import Deputy, DeputyGroup, DeputyLevel, LiaisonStation, Township

HEADERS = ["姓名", "代表级别", "联络站", "代表小组", "电话"]
REQUIRED_HEADERS = ["姓名", "代表级别"]
PHONE_RE = re.compile(r"^[0-9+\- ]{5,20}$")
# A real deputies sheet unpacks to well under this; a zip bomb disguised as .xlsx does not.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


@dataclass
class RowProblem:
    row: int  # the spreadsheet's own row number, as the clerk sees it in Excel
    column: str
    reason: str


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


def _check_archive(data: bytes) -> str | None:
    """Refuse what is not an .xlsx, and zip bombs, before openpyxl unpacks anything."""
    if not data.startswith(b"PK"):
        return _("文件不是 .xlsx 格式（请在 Excel 中“另存为 .xlsx”）。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                return _("文件不是 .xlsx 格式（请在 Excel 中“另存为 .xlsx”）。")
            unpacked = sum(info.file_size for info in infos)
            packed = sum(info.compress_size for info in infos) or 1
            if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
                return _("文件解压后过大，疑似异常文件，已拒绝。")
    except zipfile.BadZipFile:
        return _("文件已损坏或不是 .xlsx 格式。")
    return None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_deputies(data: bytes, township: Township, max_rows: int) -> ImportResult:
    """Check every row of the sheet; return the deputies to add, or every problem found."""
    result = ImportResult()
    refusal = _check_archive(data)
    if refusal:
        result.problems.append(RowProblem(0, "", refusal))
        return result
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for malformed files
        result.problems.append(RowProblem(0, "", _("无法读取这个 .xlsx 文件，请用 Excel 重新保存后再试。")))
        return result
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_text(v) for v in next(rows, ())]
    missing = [h for h in REQUIRED_HEADERS if h not in header]
    if missing:
        result.problems.append(
            RowProblem(1, "", _("缺少列：%(cols)s。请使用页面提供的模板。", cols="、".join(missing)))
        )
        workbook.close()
        return result
    position = {name: header.index(name) for name in HEADERS if name in header}

    stations = {
        s.name: s.id
        for s in db.session.execute(
            select(LiaisonStation).where(LiaisonStation.township_id == township.id, LiaisonStation.is_active)
        ).scalars()
    }
    groups = {
        g.name: g.id
        for g in db.session.execute(
            select(DeputyGroup).where(DeputyGroup.township_id == township.id, DeputyGroup.is_active)
        ).scalars()
    }
    existing = set(db.session.execute(select(Deputy.name).where(Deputy.township_id == township.id)).scalars())
    levels = {level.label: level for level in DeputyLevel} | {level.value: level for level in DeputyLevel}
    seen: dict[str, int] = {}

    for number, values in enumerate(rows, start=2):
        if number - 1 > max_rows:
            result.problems.append(
                RowProblem(number, "", _("行数超过上限 %(n)d 行，请分批导入。", n=max_rows))
            )
            break

        def cell(name: str) -> str:
            index = position.get(name)
            return _text(values[index]) if index is not None and index < len(values) else ""

        if not any(_text(v) for v in values):
            continue
        name, level_text = cell("姓名"), cell("代表级别")
        station_name, group_name, phone = cell("联络站"), cell("代表小组"), cell("电话")
        problems_before = len(result.problems)

        def problem(column: str, reason: str) -> None:
            result.problems.append(RowProblem(number, column, reason))

        if not name:
            problem("姓名", _("姓名不能为空。"))
        elif len(name) > 40:
            problem("姓名", _("姓名不能超过 40 个字。"))
        elif name in seen:
            problem("姓名", _("与第 %(row)d 行重名。", row=seen[name]))
        elif name in existing:
            problem("姓名", _("本镇已有同名代表“%(name)s”。", name=name))
        if level_text not in levels:
            problem("代表级别", _("“%(value)s”不是有效的代表级别。", value=level_text))
        if station_name and station_name not in stations:
            problem("联络站", _("本镇没有联络站“%(value)s”。", value=station_name))
        if group_name and group_name not in groups:
            problem("代表小组", _("本镇没有代表小组“%(value)s”。", value=group_name))
        if phone and not PHONE_RE.match(phone):
            problem("电话", _("电话号码格式不正确。"))
        if name:
            seen.setdefault(name, number)
        if len(result.problems) == problems_before:
            result.deputies.append(
                Deputy(
                    township_id=township.id,
                    name=name,
                    level=levels[level_text],
                    station_id=stations.get(station_name),
                    group_id=groups.get(group_name),
                    phone=phone,
                )
            )
    workbook.close()
    if not result.problems and not result.deputies:
        result.problems.append(RowProblem(0, "", _("文件中没有代表数据。")))
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
