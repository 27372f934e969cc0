"""What every all-or-nothing .xlsx import shares: reading the filled-in rows of the first sheet,
collecting each row's problems by row number and column name, and the result the import page shows.

An import checks every row first and writes only when no row has a problem; a file that cannot be
used at all (not an .xlsx, unreadable, columns missing, too many rows, no rows) is one problem on
row 0 or the header row.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, TypeVar

from flask_babel import gettext as _

from .headers import HEADER_SCAN, Column, Header, add_subheader, is_total_row, match_header, section_title
from .word import UnreadableDocument, check_docx, docx_tables, is_docx
from .xlsx import RowProblem, UnreadableSheet, cell_text, check_archive, iter_sheet_rows

MAX_REPORTED = 200  # problems kept for the page; the rest are only counted

RowT = TypeVar("RowT")


@dataclass
class ImportResult(Generic[RowT]):
    """The checked rows while no row has a problem; after the first problem, only the problems."""

    rows: list[RowT] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)  # at most max_reported, by row
    problem_count: int = 0
    imported: int = 0  # records written
    max_reported: int | None = MAX_REPORTED  # None: every problem is listed
    refused: bool = False  # the whole file, for one reason: the rows' problems no longer count

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def unreported(self) -> int:
        return self.problem_count - len(self.problems)

    def report(self, row: int, column: str, reason: str) -> None:
        """A problem in this row (0: the whole file) and column ("": the whole row)."""
        if self.refused:
            return
        self.problem_count += 1
        if self.max_reported is None or len(self.problems) < self.max_reported:
            self.problems.append(RowProblem(row, column, reason))
        self.rows = []  # nothing will be imported: stop holding the good rows

    def refuse(self, reason: str) -> None:
        """Refuse the whole file for this reason alone, whatever its rows showed so far."""
        self.problems, self.problem_count = [], 0
        self.report(0, "", reason)
        self.refused = True

    def keep(self, row: RowT) -> None:
        """Keep a checked row for writing, while the file has no problem so far."""
        if self.ok:
            self.rows.append(row)

    def take_rows(self) -> list[RowT]:
        """The rows to write, no longer held by the result (which the page keeps)."""
        rows, self.rows = self.rows, []
        return rows


@dataclass(slots=True)
class SheetRow:
    """One filled-in row: its number as the clerk sees it in Excel, its cells by header, and
    ``problem()``, which reports against this row."""

    number: int
    values: tuple
    position: dict[str, int]
    result: ImportResult
    shown: dict[str, str] | None = None  # column → the file's own header text, for its problems
    category: str = ""  # the section ("一、教育类") the row stands in
    units: dict[str, Decimal] | None = None  # a money column's unit in 万元, from its header

    def value(self, header: str) -> Any:
        """The cell under this header as openpyxl read it (None when the column is absent)."""
        index = self.position.get(header)
        return self.values[index] if index is not None and index < len(self.values) else None

    def text(self, header: str) -> str:
        return cell_text(self.value(header))

    def problem(self, column: str, reason: str) -> None:
        self.result.report(self.number, (self.shown or {}).get(column, column), reason)


def read_rows(
    data: bytes, result: ImportResult, *, required: list[str], max_rows: int, no_rows: str
) -> Iterator[SheetRow]:
    """The first sheet's filled-in rows, streamed; what makes the whole file unusable is reported
    to ``result`` (``no_rows`` is the reason given for a sheet with only its header).

    Blank rows (Excel keeps styled empty rows below the data) are neither data nor errors and do not
    count towards ``max_rows``.
    """
    refusal = check_archive(data)
    if refusal:
        result.report(0, "", refusal)
        return
    try:
        yield from _filled_rows(iter_sheet_rows(data), result, required, max_rows, no_rows)
    except UnreadableSheet:
        result.refuse(_("无法读取这个 .xlsx 文件，请用 Excel 重新保存后再试。"))


def _filled_rows(
    rows: Iterator[tuple[int, tuple]], result: ImportResult, required: list[str], max_rows: int, no_rows: str
) -> Iterator[SheetRow]:
    _number, header_values = next(rows, (1, ()))
    header = [cell_text(v) for v in header_values]
    missing = [h for h in required if h not in header]
    doubled = sorted({h for h in header if h and header.count(h) > 1})
    if missing:
        result.report(1, "", _("缺少列：%(cols)s。请使用页面提供的模板。", cols="、".join(missing)))
    if doubled:
        result.report(1, "", _("表头中有重复的列：%(cols)s。", cols="、".join(doubled)))
    if missing or doubled:
        return
    position = {name: index for index, name in enumerate(header) if name}
    count = 0
    for number, values in rows:
        if not any(cell_text(v) for v in values):
            continue
        count += 1
        if count > max_rows:
            result.report(number, "", _("行数超过上限 %(n)d 行，请分批导入。", n=max_rows))
            return
        yield SheetRow(number, values, position, result)
    if count == 0:
        result.report(0, "", no_rows)


# ---- tables whose header is found by meaning: .xlsx sheets and Word tables ----------------------

OLD_OFFICE = b"\xd0\xcf\x11\xe0"  # .xls and .doc of Office 97-2003


def read_tables(
    data: bytes, result: ImportResult, *, columns: list[Column], title: str, max_rows: int, no_rows: str
) -> Iterator[SheetRow]:
    """The item rows of an .xlsx file's first sheet or of a Word file's tables, streamed: each table's
    header row is found by meaning (``title`` is the column that names an item); section rows give
    the rows below them their category; 合计 rows are left out. What makes the whole file unusable is
    reported to ``result``."""
    if data.startswith(OLD_OFFICE):
        result.report(
            0,
            "",
            _(
                "这是旧版 Office 文件（.xls 或 .doc），"
                "请在 Excel 或 Word 中“另存为 .xlsx”或“另存为 .docx”后再导入。"
            ),
        )
        return
    word = is_docx(data)
    refusal = check_docx(data) if word else check_archive(data)
    if refusal:
        if not word and not data.startswith(b"PK"):
            refusal = _(
                "文件不是 .xlsx 或 .docx 格式：请上传 Excel 表格（.xlsx）或含表格的 Word 文档（.docx）。"
            )
        result.report(0, "", refusal)
        return
    try:
        tables = docx_tables(data) if word else [iter_sheet_rows(data)]
        yield from _table_rows(tables, result, columns, title, max_rows, no_rows, word)
    except UnreadableDocument:
        result.refuse(_("无法读取这个 .docx 文件，请用 Word 重新保存后再试。"))
    except UnreadableSheet:
        result.refuse(_("无法读取这个 .xlsx 文件，请用 Excel 重新保存后再试。"))


def _find_header(rows: Iterator[tuple[int, tuple]], columns: list[Column]) -> tuple[Header | None, Header]:
    """The first of the table's first rows that holds every required column, or None and the row
    that came closest (for the message naming what is missing)."""
    best: Header | None = None
    looked = 0
    for number, values in rows:
        if not any(cell_text(v) for v in values):
            continue
        header = match_header(number, values, columns)
        if not header.missing(columns):
            return header, header
        if best is None or len(header.position) > len(best.position):
            best = header
        looked += 1
        if looked >= HEADER_SCAN:
            break
    return None, best or Header(1)


def _table_rows(
    tables: list[Iterator[tuple[int, tuple]]],
    result: ImportResult,
    columns: list[Column],
    title: str,
    max_rows: int,
    no_rows: str,
    word: bool,
) -> Iterator[SheetRow]:
    found: Header | None = None
    closest: Header | None = None
    count = 0
    for rows in tables:
        header, near = _find_header(rows, columns)
        if header is None:
            if closest is None or len(near.position) > len(closest.position):
                closest = near
            continue
        if header.doubled:
            result.report(header.row, "", _("表头中有重复的列：%(cols)s。", cols="、".join(header.doubled)))
            return
        found, category, below_header = header, "", True
        for number, values in rows:
            texts = [cell_text(v) for v in values]
            if not any(texts):
                continue
            if below_header:
                below_header = False
                if add_subheader(header, values, columns):
                    continue
            if tuple(texts) == header.cells[: len(texts)] and len(texts) == len(header.cells):
                continue  # the header again (a list pasted together from pages)
            section = section_title(texts, header, title)
            if section is not None:
                category = section
                continue
            if is_total_row(texts, header, title):
                continue
            count += 1
            if count > max_rows:
                result.report(number, "", _("行数超过上限 %(n)d 行，请分批导入。", n=max_rows))
                return
            yield SheetRow(number, values, header.position, result, header.shown, category, header.units)
        if not word:
            break
    if found is None and closest is None:
        result.report(0, "", _("文件中没有表格：请把清单做成 Word 表格，或使用 Excel 模板。"))
    elif found is None and closest is not None:
        missing = closest.missing(columns)
        hints = "；".join(
            _("“%(name)s”可写作：%(spellings)s", name=c.name, spellings=c.hint()) for c in missing
        )
        result.report(
            closest.row,
            "",
            _(
                "缺少列：%(cols)s。请使用页面提供的模板，或改正表头（%(hints)s）。",
                cols="、".join(c.name for c in missing),
                hints=hints,
            ),
        )
    elif count == 0:
        result.report(0, "", no_rows)
