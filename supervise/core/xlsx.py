"""What every .xlsx file shares: refusing non-.xlsx uploads and zip bombs, cell text, the problem row,
formula neutralising for exports, and a workbook's bytes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A real sheet of a few thousand rows unpacks to well under this; a zip bomb disguised as .xlsx does not.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
# Text starting with one of these is run as a formula by a spreadsheet (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
            unpacked = sum(info.file_size for info in infos)
            packed = sum(info.compress_size for info in infos) or 1
            if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
                return _("文件解压后过大，疑似异常文件，已拒绝。")
    except Exception:  # zipfile raises several kinds for damaged or unsupported archives
        return _("文件已损坏或不是 .xlsx 格式。")
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


def iter_sheet_rows(data: bytes) -> Iterator[tuple[int, tuple]]:
    """The first sheet's rows with their row numbers, streamed (read-only, values only).

    Raises UnreadableSheet for a malformed file; errors in the caller's own loop body pass through.
    """
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl, zipfile and the XML parser raise many kinds
        raise UnreadableSheet from error
    try:
        try:
            sheet = workbook.worksheets[0]
            # Some programs write a wrong <dimension>; trusting it would silently drop rows.
            sheet.reset_dimensions()
            rows = sheet.iter_rows(values_only=True)
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
        workbook.close()
