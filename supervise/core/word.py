"""Tables of an uploaded Word (.docx) file, read as rows of cell texts, as the .xlsx import reads a
sheet: many lists are published as a table in a Word document.

Merged cells read as Word shows them: a cell spanning columns gives its text to each column it
spans, a cell merged downwards gives its text to each row it covers (a lead office merged over three
projects leads all three).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from flask_babel import gettext as _

from .archives import unpacked_size
from .xlsx import MAX_COMPRESSION_RATIO, MAX_UNPACKED_BYTES

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = qn("w:t")
BREAKS = {qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:tab"): " "}


class UnreadableDocument(Exception):
    """python-docx could not read the file, although it passed check_docx."""


def is_docx(data: bytes) -> bool:
    """A zip archive with a Word document inside (what a .docx is), by its content, not its name."""
    if not data.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(name.startswith("word/") for name in archive.namelist())
    except Exception:  # zipfile raises several kinds for damaged archives
        return False


def check_docx(data: bytes) -> str | None:
    """Refuse a damaged .docx and zip bombs before python-docx unpacks anything."""
    unpacked = unpacked_size(data, MAX_UNPACKED_BYTES)
    if unpacked is None:
        return _("文件已损坏，无法读取这个 .docx 文件。")
    if unpacked > MAX_UNPACKED_BYTES or unpacked / len(data) > MAX_COMPRESSION_RATIO:
        return _("文件解压后过大，疑似异常文件，已拒绝。")
    return None


def docx_tables(data: bytes) -> list[Iterator[tuple[int, tuple]]]:
    """The document's tables (those in its body, in order), each as its rows of cell texts with the
    row's number; rows are numbered on across tables, as the import reports them.

    Raises UnreadableDocument for a file python-docx cannot open.
    """
    try:
        body = Document(io.BytesIO(data)).element.body
        tables = list(body.iterchildren(qn("w:tbl")))
    except Exception as error:  # python-docx, zipfile and lxml raise many kinds
        raise UnreadableDocument from error
    counter = iter(range(1, 10**9))
    return [_rows(table, counter) for table in tables]


# A row wider than this is not a list's table (a crafted span would otherwise build a huge row).
MAX_COLUMNS = 64


def _rows(table: Any, counter: Iterator[int]) -> Iterator[tuple[int, tuple]]:
    """The table's rows as texts per grid column (a cell merged across columns repeats its text, one
    merged downwards takes the text above). A malformed cell (a span that is not a number) makes
    the file unreadable, as python-docx's own errors do."""
    above: dict[int, str] = {}  # the text of each grid column's cell in the row above
    for tr in table.tr_lst:
        try:
            cells: list[str] = [""] * min(tr.grid_before or 0, MAX_COLUMNS)
            for tc in tr.tc_lst:
                column = len(cells)
                text = above.get(column, "") if tc.vMerge == "continue" else _text(tc)
                for offset in range(min(tc.grid_span, MAX_COLUMNS - column)):
                    above[column + offset] = text
                    cells.append(text)
        except Exception as error:  # lxml/python-docx raise ValueError, KeyError, … on bad XML values
            raise UnreadableDocument from error
        yield next(counter), tuple(cells)


def _text(tc: Any) -> str:
    """A cell's text, its paragraphs on lines of their own."""
    lines = []
    for paragraph in tc.iterchildren(qn("w:p")):
        parts = []
        for node in paragraph.iter(TEXT, *BREAKS):
            parts.append(node.text or "" if node.tag == TEXT else BREAKS[node.tag])
        lines.append("".join(parts).strip())
    return "\n".join(line for line in lines if line)


def table_document(title: str, header: list[str], rows: list[list[str] | str], note: str = "") -> bytes:
    """A Word document holding a list as townships publish one: a title, then a table with this
    header; a row given as text alone spans the table (a section row, "一、教育类")."""
    document = Document()
    document.add_paragraph(title)
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        if isinstance(row, str):
            cells[0].merge(cells[-1]).text = row
        else:
            for cell, text in zip(cells, row):
                cell.text = str(text)
    if note:
        document.add_paragraph(note)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
