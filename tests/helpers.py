"""What many tests share: reading a response, expecting a refusal, counting rows, opening PDFs and
spreadsheets. One home, so that a change to a page's markup is followed in one place."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable
from datetime import date, datetime, time
from html import unescape
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from supervise.core import clock
from supervise.core.errors import DomainError
from supervise.extensions import db

# ---- forms (also used by bench/harness.py, which drives real servers over HTTP) -------------------


class _FormReader(HTMLParser):
    """Reads the values a browser would send for each POST form of a page."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._values: list[tuple[str, str]] | None = None
        self._textarea = False
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._values = []
            self.forms.append(self._values)
        if self._values is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._values.append((name, attrs.get("value") or "y"))
            elif kind not in ("submit", "button"):
                self._values.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = True
            self._values.append((name, ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self._values.append((self._select, attrs.get("value") or ""))

    def handle_data(self, data):
        if self._textarea:
            name, text = self._values[-1]
            self._values[-1] = (name, text + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = False
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._values = None


def form_values(html: str, field: str) -> list[tuple[str, str]]:
    """What the page's POST form that has ``field`` would submit, as a browser sends it."""
    reader = _FormReader()
    reader.feed(html)
    [values] = [form for form in reader.forms if any(name == field for name, _value in form)]
    # Browsers drop the newline that follows <textarea>.
    return [
        (name, value.removeprefix("\r\n") if value.startswith("\r\n") else value.removeprefix("\n"))
        for name, value in values
    ]


def replaced(values: list[tuple[str, str]], **changes) -> list[tuple[str, str]]:
    """The same form values with some fields typed anew."""
    return [(name, changes.pop(name) if name in changes else value) for name, value in values] + list(
        changes.items()
    )


# ---- responses -------------------------------------------------------------------------------------


def html_of(response) -> str:
    """The response's HTML as sent (tags and all), after checking that it is no traceback."""
    html = response.get_data(as_text=True)
    assert "Traceback" not in html
    return html


def text_of(response) -> str:
    """The page's visible text: scripts, styles and tags removed, entities decoded, whitespace collapsed."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def hidden_value(html: str, name: str) -> str:
    """The value of the page's one hidden input with this name."""
    tags = re.findall(rf'<input\b[^>]*\bname="{re.escape(name)}"[^>]*>', html)
    assert len(tags) == 1, tags
    assert 'type="hidden"' in tags[0], tags[0]
    found = re.search(r'\bvalue="([^"]*)"', tags[0])
    return found.group(1) if found else ""


def statements_of_a_second_visit(client, count_queries, url: str) -> int:
    """The SQL statements a GET of ``url`` runs once the first visit has warmed what requests share."""
    client.get(url)
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter.count


# ---- refusals --------------------------------------------------------------------------------------


def refused(call: Callable[[], object], *fragments: str) -> str:
    """``call()`` raises a DomainError whose message holds every fragment; the session is rolled back.

    Returns the message."""
    with pytest.raises(DomainError) as caught:
        call()
    db.session.rollback()
    for fragment in fragments:
        assert fragment in caught.value.message, caught.value.message
    return caught.value.message


def refusal_page(response, *fragments: str, status: int = 409) -> str:
    """A refusal page with this status whose visible text holds every fragment; returns the text."""
    assert response.status_code == status, response.status_code
    text = text_of(response)
    for fragment in fragments:
        assert fragment in text, text[:500]
    return text


# ---- the database ----------------------------------------------------------------------------------


def count(model, **where) -> int:
    """How many rows of ``model`` there are (with these column values)."""
    return db.session.execute(select(func.count()).select_from(model).filter_by(**where)).scalar_one()


def at_the_same_moment(app, work: Callable[[int], object], n: int = 2) -> list[str]:
    """Run ``work(0)`` … ``work(n - 1)`` in n threads released together, each in its own app context
    (its own session and connection) and committing at the end, as n requests would.

    Returns the sorted outcomes: "done", "refused" (a DomainError) or the repr of any other error."""
    start = threading.Barrier(n)
    outcomes: list[str] = []

    def run(index: int) -> None:
        with app.app_context():
            try:
                start.wait()
                work(index)
                db.session.commit()
                outcomes.append("done")
            except DomainError:
                db.session.rollback()
                outcomes.append("refused")
            except BaseException as error:  # reported in the outcomes, the thread must not swallow it
                db.session.rollback()
                outcomes.append(repr(error))

    threads = [threading.Thread(target=run, args=(index,)) for index in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


# ---- imports ---------------------------------------------------------------------------------------


def import_problems(response, nothing_imported: str) -> list[tuple[str, str, str]]:
    """An import refused whole: the page says ``nothing_imported`` and lists its problems as
    (row, column, reason), as the clerk reads them."""
    assert response.status_code == 200
    html = html_of(response)
    assert nothing_imported in html
    table = html.split('class="table table-sm mb-0 import-errors"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", table)


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """Under 1 MB, dressed as an .xlsx, with a sheet that unpacks to 60 MB."""
    bomb = zip_of(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"\0" * (60 * 1024 * 1024),
        }
    )
    assert len(bomb) < 1024 * 1024
    return bomb


def lying_zip(entries: dict[str, bytes]) -> bytes:
    """A zip of ``entries`` whose headers lie as a zip bomb's do: each member declares that it
    unpacks to no more than it takes packed (ratio 1), whatever it really holds."""
    data = bytearray(zip_of(entries))
    infos = zipfile.ZipFile(io.BytesIO(bytes(data))).infolist()
    for info in infos:  # local headers: the uncompressed size at offset 22
        struct.pack_into("<I", data, info.header_offset + 22, info.compress_size)
    end = data.rindex(b"PK\x05\x06")
    offset = struct.unpack_from("<I", data, end + 16)[0]
    for info in infos:  # central directory entries: the uncompressed size at offset 24
        assert data[offset : offset + 4] == b"PK\x01\x02"
        struct.pack_into("<I", data, offset + 24, info.compress_size)
        name, extra, comment = struct.unpack_from("<HHH", data, offset + 28)
        offset += 46 + name + extra + comment
    lied = zipfile.ZipFile(io.BytesIO(bytes(data))).infolist()
    assert all(info.file_size == info.compress_size for info in lied)
    return bytes(data)


def damaged_zip(entries: dict[str, bytes]) -> bytes:
    """A zip of ``entries`` whose directory is intact but whose members' deflate data is not: each
    member's first byte names a block type that does not exist ("invalid block type")."""
    data = bytearray(zip_of(entries))
    for info in zipfile.ZipFile(io.BytesIO(bytes(data))).infolist():
        name, extra = struct.unpack_from("<HH", data, info.header_offset + 26)
        data[info.header_offset + 30 + name + extra] = 0xFF
    return bytes(data)


def cut_short(xlsx: bytes) -> bytes:
    """The .xlsx with its sheet broken off in the third row: openpyxl opens it, then fails mid-sheet."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    entries = {name: source.read(name) for name in source.namelist()}
    sheet = entries["xl/worksheets/sheet1.xml"]
    entries["xl/worksheets/sheet1.xml"] = sheet[: sheet.index(b'<row r="3"') + 20]
    return zip_of(entries)


# ---- PDFs (poppler-utils and zbar-tools; the pdf_tools fixture requires them) ----------------------

POPPLER = ("pdftotext", "pdffonts", "pdfinfo", "pdftoppm")


def missing_pdf_tools() -> str | None:
    """What is missing to read PDFs in tests, or None."""
    if not all(shutil.which(command) for command in POPPLER):
        return "poppler-utils is not installed (apt-get install poppler-utils)"
    if not shutil.which("zbarimg"):
        return "zbarimg is not installed (apt-get install zbar-tools)"
    return None


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _saved(data: bytes, tmp_path, name: str):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def counted_renders(monkeypatch) -> list[str]:
    """The HTML of every PDF rendered from now on (each is still rendered): how a test sees that a
    stored copy was served instead."""
    from supervise.core import pdf as engine

    renders: list[str] = []
    real = engine.html_to_pdf

    def counting(html: str) -> bytes:
        renders.append(html)
        return real(html)

    monkeypatch.setattr("supervise.core.pdf.html_to_pdf", counting)
    return renders


def pdf_text(data: bytes, tmp_path) -> str:
    """The PDF's text as pdftotext reads it (pages end with a form feed)."""
    return _run("pdftotext", str(_saved(data, tmp_path, "text.pdf")), "-")


def pdf_fonts(data: bytes, tmp_path) -> list[list[str]]:
    """pdffonts' table, one list of columns per font."""
    out = _run("pdffonts", str(_saved(data, tmp_path, "fonts.pdf")))
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def pdf_info(data: bytes, tmp_path) -> dict[str, str]:
    """pdfinfo's fields (Pages, Page size, Title …)."""
    out = _run("pdfinfo", str(_saved(data, tmp_path, "info.pdf")))
    fields = (line.partition(":") for line in out.splitlines())
    return {key.strip(): value.strip() for key, _, value in fields}


def qr_codes(data: bytes, tmp_path, page: int = 1) -> list[str]:
    """Every QR code on one page of the PDF, decoded (pdftoppm → PNG → zbarimg)."""
    path = _saved(data, tmp_path, "codes.pdf")
    prefix = tmp_path / f"page{page}"
    _run("pdftoppm", "-r", "150", "-png", "-f", str(page), "-l", str(page), str(path), str(prefix))
    png = next(tmp_path.glob(f"page{page}*.png"))
    out = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True)
    return out.stdout.split()


def run_queued() -> int:
    """Run what waits in the queue (the ``queued`` fixture), as a worker does; returns how many ran."""
    from supervise.core.queue import huey

    ran = 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        ran += 1
    return ran


# ---- the clock -----------------------------------------------------------------------------------


def clock_at(monkeypatch, day: date) -> None:
    """Every module's today() is ``day`` and utcnow() 10:00 that day in China (02:00 UTC).

    Call it once the app exists (ask for the ``app`` fixture first): create_app() registers the
    clock's today() as a template global, which must be the real one."""
    real_today, real_utcnow = clock.today, clock.utcnow
    now = datetime.combine(day, time(2, 0))
    for name, module in list(sys.modules.items()):
        if name == "supervise" or name.startswith("supervise."):
            if getattr(module, "today", None) is real_today:
                monkeypatch.setattr(module, "today", lambda: day)
            if getattr(module, "utcnow", None) is real_utcnow:
                monkeypatch.setattr(module, "utcnow", lambda: now)
