"""What every .xlsx file shares: refusing non-.xlsx uploads and zip bombs, cell text, the problem row,
formula neutralising for exports, and a workbook's bytes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.text import Text
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Font
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from .archives import unpacked_size

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A real sheet of a few thousand rows unpacks to well under this; a zip bomb disguised as .xlsx does not.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
# Text starting with one of these is run as a formula by a spreadsheet (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
STRING_TAG = f"{{{SHEET_MAIN_NS}}}si"  # one shared string


@dataclass(slots=True)
class RowProblem:
    row: int  # the spreadsheet's own row number, as the clerk sees it in Excel (0: the whole file)
    column: str
    reason: str


def check_archive(data: bytes) -> str | None:
    """Refuse what is not an .xlsx, and zip bombs, before openpyxl unpacks anything."""
    if not data.startswith(b"PK"):
        return _("文件不是 .xlsx 格式（请在 Excel 中“另存为 .xlsx”）。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                return _("文件不是 .xlsx 格式（请在 Excel 中“另存为 .xlsx”）。")
    except Exception:  # zipfile raises several kinds for damaged or unsupported archives
        return _("文件已损坏或不是 .xlsx 格式。")
    unpacked = unpacked_size(data, MAX_UNPACKED_BYTES)  # inflated, not the sizes the headers declare
    if unpacked is None:
        return _("文件已损坏或不是 .xlsx 格式。")
    if unpacked > MAX_UNPACKED_BYTES or unpacked / len(data) > MAX_COMPRESSION_RATIO:
        return _("文件解压后过大，疑似异常文件，已拒绝。")
    return None


def cell_text(value: object) -> str:
    """A cell as the clerk reads it: 13800000000.0 is "13800000000", None is ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def neutralise(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe-like quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def plain_text(value: object) -> str:
    """A cell's text; the apostrophe neutralise() put before = + - @ is taken off again."""
    text = cell_text(value)
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def bold_header(sheet: Worksheet, headers: list[str]) -> None:
    """The sheet's first row: the headers, in bold."""
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class UnreadableSheet(Exception):
    """openpyxl could not read the file, although it passed check_archive."""


class _SharedStrings:
    """A workbook's shared strings, read from the archive only as far as the cells read so far
    need (openpyxl reads them all before the first cell): a sheet refused on its header row never
    has the rest read."""

    def __init__(self, archive: zipfile.ZipFile, path: str | None):
        self._strings: list[str] = []
        self._source = archive.open(path) if path else None
        self._nodes: Iterator[tuple[str, Any]] = iterparse(self._source) if self._source else iter(())

    def __getitem__(self, index: int) -> str:
        while index >= len(self._strings):
            node = next((node for _event, node in self._nodes if node.tag == STRING_TAG), None)
            if node is None:
                raise IndexError(index)
            text = Text.from_tree(node)
            self._strings.append((text.content if text else "").replace("x005F_", ""))  # as openpyxl does
            node.clear()
        return self._strings[index]

    def close(self) -> None:
        if self._source:
            self._source.close()


class _StreamedSheet(ReadOnlyWorksheet):
    """openpyxl's read-only sheet without its size: for a sheet without a <dimension> (many
    programs write none) it reads every row to find it, before the first row is given out."""

    def _get_size(self) -> None:
        pass  # no size: rows are read until the sheet ends (a wrong <dimension> would drop rows)


def _first_sheet(data: bytes) -> tuple[zipfile.ZipFile, _SharedStrings, _StreamedSheet]:
    """The workbook's first worksheet, opened as openpyxl's load_workbook(read_only=True,
    data_only=True) opens it, but reading neither its shared strings nor any row in advance."""
    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    try:
        reader.read_manifest()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)  # the number formats that make a cell a date
        part = reader.package.find(SHARED_STRINGS)
        strings = _SharedStrings(reader.archive, part.PartName[1:] if part is not None else None)
        for sheet, rel in reader.parser.find_sheets():
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type:
                return reader.archive, strings, _StreamedSheet(reader.wb, sheet.name, rel.target, strings)
    except Exception:
        reader.archive.close()
        raise
    reader.archive.close()
    raise UnreadableSheet("no worksheet")


def iter_sheet_rows(data: bytes) -> Iterator[tuple[int, tuple]]:
    """The first sheet's rows with their row numbers, streamed (read-only, values only): a caller
    that stops after the header row has read nothing more of the file.

    Raises UnreadableSheet for a malformed file; errors in the caller's own loop body pass through.
    """
    try:
        archive, strings, sheet = _first_sheet(data)
    except Exception as error:  # openpyxl, zipfile and the XML parser raise many kinds
        raise UnreadableSheet from error
    try:
        try:
            rows = sheet.iter_rows(values_only=True)  # type: ignore[misc]  # the stubs type it on Worksheet
        except Exception as error:
            raise UnreadableSheet from error
        number = 0
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception as error:
                raise UnreadableSheet from error
            number += 1
            yield number, values
    finally:
        strings.close()
        archive.close()
