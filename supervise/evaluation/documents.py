"""The meeting's printed documents: the blank assessment sheets (测评表) and the result summary
(测评结果汇总表). Rendered by the one PDF engine, stored, and served again while unchanged.

Sheets carry a serial number and a QR code holding it (for quick entry), never a name: the serial
exists for counting. The summary prints only what tally.results recomputes from the ballots.
"""

from __future__ import annotations

import logging

import segno
from flask_babel import force_locale
from sqlalchemy import select

from ..ballots.tally import turnout
from ..core.dates import chinese_date
from ..core.documents import DocumentKind, Progress, register
from ..core.pdf import overlay_pages, render_document, render_pdf_html, stored_pdf
from ..extensions import db
from .models import EvaluationDocument, EvaluationMeeting, PaperSerial
from .overall import overall_of
from .rules import percent
from .tally import results

log = logging.getLogger(__name__)

SHEETS = "sheets"
SUMMARY = "summary"
TEMPLATES = {SHEETS: "pdf/evaluation_sheets.html", SUMMARY: "pdf/evaluation_summary.html"}


def serial_label(serial: int) -> str:
    """How a serial is printed and what its QR code carries: 007 (paper entry reads it back)."""
    return f"{serial:03d}"


def serial_qr(serial: int) -> str:
    """A QR code (never a Micro QR, which phone scanners and zbar cannot read) carrying the serial,
    as an SVG data: URI that scales to its box."""
    return segno.make_qr(serial_label(serial), error="m").svg_data_uri(border=4, omitsize=True)


def sheet_serials(meeting: EvaluationMeeting) -> list[int]:
    return list(
        db.session.execute(
            select(PaperSerial.serial)
            .where(PaperSerial.meeting_id == meeting.id)
            .order_by(PaperSerial.serial)
        ).scalars()
    )


def split_lines(meeting: EvaluationMeeting) -> tuple[list, list]:
    """The rated lines as printed: items first, then offices (站所)."""
    return (
        [line for line in meeting.lines if line.office_id is None],
        [line for line in meeting.lines if line.office_id is not None],
    )


def sheets_html(meeting: EvaluationMeeting, serials: list[int] | None = None, blank: bool = False) -> str:
    """One numbered sheet per serial (as many as the roster has deputies), in Chinese. ``blank``: the
    sheets without their serial, QR code and foot (their room kept), to lay the stamps over."""
    serials = sheet_serials(meeting) if serials is None else serials
    items, offices = split_lines(meeting)
    with force_locale("zh_Hans_CN"):
        return render_pdf_html(
            TEMPLATES[SHEETS],
            meeting=meeting,
            items=items,
            offices=offices,
            sheets=[(serial_label(n), None if blank else serial_qr(n)) for n in serials],
            held_on=chinese_date(meeting.held_on),
            comments=meeting.comments_layout.value,
            blank=blank,
        )


def summary_html(meeting: EvaluationMeeting) -> str:
    """The result summary: meeting facts, roster / present / quorum, results, signature boxes."""
    numbers = turnout(meeting)
    rows = results(meeting, numbers)
    with force_locale("zh_Hans_CN"):
        return render_pdf_html(
            TEMPLATES[SUMMARY],
            meeting=meeting,
            numbers=numbers,
            quorum_needed=meeting.quorum.needed(numbers.roster),
            item_results=[r for r in rows if r.line.office_id is None],
            office_results=[r for r in rows if r.line.office_id is not None],
            percent=percent,
            overall=overall_of(meeting, rows) if meeting.closed_at is not None else None,
            rule_text=meeting.rule.text(),
            bases_note=meeting.rule.bases_note(numbers.roster, numbers.present),
            held_on=chinese_date(meeting.held_on),
            # Signed on the meeting's day (the closing may be recorded later, e.g. typed in afterwards).
            closed_on=chinese_date(meeting.held_on) if meeting.closed_at else "",
            # A paper for signatures: the results go in only once voting is closed, even when the
            # meeting shows them live on the screens.
            closed=meeting.closed_at is not None,
        )


def _stored_pdf(meeting: EvaluationMeeting, kind: str, html: str) -> tuple[bytes, bool]:
    return stored_pdf(EvaluationDocument, {"meeting_id": meeting.id, "kind": kind}, html)


def sheets_pdf(meeting: EvaluationMeeting) -> tuple[bytes, bool]:
    """The blank sheets' PDF and whether it was freshly rendered."""
    key = {"meeting_id": meeting.id, "kind": SHEETS}
    made = lambda html: sheets_in_chunks(meeting, html, lambda _percent: None)  # noqa: E731
    return stored_pdf(EvaluationDocument, key, sheets_html(meeting), render=made)


def summary_pdf(meeting: EvaluationMeeting) -> tuple[bytes, bool]:
    """The result summary's PDF (only once voting is closed) and whether it was freshly rendered."""
    return _stored_pdf(meeting, SUMMARY, summary_html(meeting))


def file_name(meeting: EvaluationMeeting, kind: str) -> str:
    what = {SHEETS: "民主评议测评表", SUMMARY: "测评结果汇总表"}[kind]
    return f"{meeting.township.name}{meeting.year}年度{what}（{meeting.held_on.isoformat()}）.pdf"


def ascii_file_name(meeting: EvaluationMeeting, kind: str) -> str:
    """The name for clients that cannot read the Chinese one: stripping the Chinese would leave
    "2026(2026-10-16).pdf"."""
    what = {SHEETS: "evaluation-sheets", SUMMARY: "evaluation-summary"}[kind]
    return f"{what}-{meeting.held_on.isoformat()}.pdf"


# ---- made by workers (core/documents.py) -----------------------------------------------------------

SHEETS_KIND, SUMMARY_KIND = "evaluation-sheets", "evaluation-summary"
KIND_OF = {SHEETS: SHEETS_KIND, SUMMARY: SUMMARY_KIND}
# Sheets rendered at a time: the progress page moves after each chunk (60 sheets: 6 steps).
SHEETS_PER_CHUNK = 10
# Serials stamped at a time (a stamp is a few lines: cheaper than a sheet).
STAMPS_PER_CHUNK = 15
STAMPS_TEMPLATE = "pdf/evaluation_sheet_stamps.html"


def stamped_sheets(meeting: EvaluationMeeting, serials: list[int], progress: Progress) -> bytes | None:
    """The sheets of ``serials`` as one PDF, the sheet laid out once: WeasyPrint lays the sheet out
    without its serial (``blank``), then only what differs per serial (QR code, number, foot) on as
    many pages, at the places the sheet keeps for them; each serial's pages are laid over copies of
    the sheet's (core.pdf.overlay_pages). 60 sheets: one layout of a sheet and 60 of a few lines,
    not 60 of a sheet.

    None when a stamp would not land exactly where the sheet keeps room for it (checked on every
    page): the caller then renders every sheet in full."""
    blank = render_document(sheets_html(meeting, [max(serials)], blank=True))
    progress(5)
    pages = len(blank.pages)
    # Where the sheet keeps room for each stamp: (page, top-left corner in CSS px); the sheet itself
    # (its section) starts on the first page, at the page area's corner.
    where: dict[str, tuple[int, tuple[float, float]]] = {}
    for name in ("sheet", "sheet-qr", "sheet-serial", "sheet-foot"):
        found = [(n, page.anchors[name][:2]) for n, page in enumerate(blank.pages) if name in page.anchors]
        if not found or (name != "sheet" and len(found) > 1):
            return None
        where[name] = found[0]
    (left, top), (foot_page, (foot_x, foot_y)) = where.pop("sheet")[1], where["sheet-foot"]
    if where["sheet-qr"][0] or where["sheet-serial"][0]:
        return None
    foot = (foot_page, round(foot_x - left, 4), round(foot_y - top, 4))
    chunks = [serials[i : i + STAMPS_PER_CHUNK] for i in range(0, len(serials), STAMPS_PER_CHUNK)]
    rendered = []
    for done, chunk in enumerate(chunks, start=1):
        with force_locale("zh_Hans_CN"):
            html = render_pdf_html(
                STAMPS_TEMPLATE,
                meeting=meeting,
                sheets=[(serial_label(n), serial_qr(n)) for n in chunk],
                pages=pages,
                foot=foot,
            )
        rendered.append(render_document(html))
        progress(5 + done * 80 // len(chunks))
    stamps = [page for document in rendered for page in document.pages]
    if len(stamps) != pages * len(serials):
        return None
    for index, serial in enumerate(serials):
        label = serial_label(serial)
        for name, (number, expected) in where.items():
            found = stamps[index * pages + number].anchors.get(f"{name}-{label}")
            if found is None or max(abs(a - b) for a, b in zip(found[:2], expected, strict=True)) > 0.01:
                return None
    over = rendered[0].copy(stamps).write_pdf()
    progress(90)
    # The outline a render of every sheet has: the sheet's (its title) once per serial.
    outline = blank.make_bookmark_tree(scale=0.75, transform_pages=True)
    bookmarks = [
        (label, index * pages + target[0], target[1], target[2])
        for index in range(len(serials))
        for label, target, _children, _state in outline
    ]
    pdf = overlay_pages(blank.write_pdf(), over, bookmarks)
    progress(95)
    return pdf


def sheets_in_chunks(meeting: EvaluationMeeting, _html: str, progress: Progress) -> bytes:
    """The blank sheets as one PDF, saying how far it is as it goes: stamped on one layout of the sheet
    (stamped_sheets) or, should a stamp not fit, rendered ten at a time.

    The pages of the chunks are put together into one document (WeasyPrint's Document.copy), so
    the PDF is the one a single render of every sheet would be."""
    serials = sheet_serials(meeting)
    if serials:
        stamped = stamped_sheets(meeting, serials, progress)
        if stamped is not None:
            return stamped
        log.warning("assessment sheets of meeting %s: stamps off their places, rendered in full", meeting.id)
    chunks = [serials[i : i + SHEETS_PER_CHUNK] for i in range(0, len(serials), SHEETS_PER_CHUNK)] or [[]]
    documents = []
    for done, chunk in enumerate(chunks, start=1):
        documents.append(render_document(sheets_html(meeting, chunk)))
        progress(done * 95 // len(chunks))
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()


def _load(ident: str) -> EvaluationMeeting | None:
    return db.session.get(EvaluationMeeting, int(ident))


register(
    DocumentKind(
        SHEETS_KIND,
        load=_load,
        html=sheets_html,
        model=EvaluationDocument,
        identity=lambda meeting: {"meeting_id": meeting.id, "kind": SHEETS},
        render=sheets_in_chunks,
    )
)
register(
    DocumentKind(
        SUMMARY_KIND,
        load=_load,
        html=summary_html,
        model=EvaluationDocument,
        identity=lambda meeting: {"meeting_id": meeting.id, "kind": SUMMARY},
    )
)
