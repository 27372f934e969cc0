"""The follow-up sheet's PDF: rendered once, stored, and served again while what it prints is unchanged."""

from __future__ import annotations

from flask_babel import force_locale

from ..core.dates import chinese_date
from ..core.documents import register_record_pdf
from ..core.pdf import render_pdf_html, stored_pdf
from ..uploads.storage import attachments_for
from .models import FollowUpSheet, SheetDocument

TEMPLATE = "pdf/follow_up_sheet.html"


def sheet_html(sheet: FollowUpSheet) -> str:
    """The sheet as HTML for printing; official documents are in Chinese whatever the UI language."""
    with force_locale("zh_Hans_CN"):
        return render_pdf_html(
            TEMPLATE,
            sheet=sheet,
            issued_on=chinese_date(sheet.issued_at),
            acknowledged_on=chinese_date(sheet.acknowledged_at),
            answered_on=chinese_date(sheet.answered_at),
            verified_on=chinese_date(sheet.verified_at),
            returned_on=chinese_date(sheet.latest_return.at) if sheet.latest_return else "",
            evidence_files=_evidence_files(sheet),
        )


def _evidence_files(sheet: FollowUpSheet) -> list[str]:
    answer = sheet.latest_answer
    if answer is None:
        return []
    return [a.original_name for a in attachments_for("sheet_answer", [answer.id])[answer.id]]


def file_name(sheet: FollowUpSheet) -> str:
    """The download's name, e.g. 江口人大督〔2026〕3号 督办单.pdf."""
    label = sheet.document_number or f"草稿{sheet.id}"
    return f"{label} 督办单.pdf"


def sheet_pdf(sheet: FollowUpSheet) -> tuple[bytes, bool]:
    """The sheet's PDF and whether it was freshly rendered (False: the stored copy was current)."""
    return stored_pdf(SheetDocument, {"sheet_id": sheet.id}, sheet_html(sheet))


KIND = "sheet"
register_record_pdf(KIND, FollowUpSheet, sheet_html, SheetDocument, "sheet_id")
