"""The notice's printable A4 PDF for village notice boards, with a QR code that opens its web page.

Rendered once and stored; served again while the printed HTML (which holds the QR code's address)
is unchanged. A published notice never changes, so in practice only a new public base URL renders
it again.
"""

from __future__ import annotations

import segno
from flask_babel import force_locale

from ..core.dates import chinese_date
from ..core.documents import register_record_pdf
from ..core.pdf import render_pdf_html, stored_pdf
from ..core.public_urls import public_url
from .models import NoticeDocument, PublicNotice
from .queries import OFFICIAL_LOCALE, lines_context, notice_lines

TEMPLATE = "pdf/public_notice.html"


def notice_url(notice: PublicNotice) -> str:
    """The notice's public web page, absolute: what the QR code opens."""
    return public_url("public.notice", slug=notice.township.slug, notice_id=notice.id)


def qr_data_uri(url: str) -> str:
    """An SVG QR code as a data: URI (the PDF engine's fetcher serves data: URIs and nothing external)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def notice_html(notice: PublicNotice) -> str:
    """The notice as HTML for printing; official documents are in Chinese whatever the UI language."""
    url = notice_url(notice)
    lines = notice_lines(notice.id)
    with force_locale(OFFICIAL_LOCALE):
        return render_pdf_html(
            TEMPLATE,
            notice=notice,
            lines=lines,
            **lines_context(lines, notice.status_tolerance),
            url=url,
            qr=qr_data_uri(url),
            published_on=chinese_date(notice.published_at),
        )


def file_name(notice: PublicNotice) -> str:
    return " ".join(notice.title.split()) + ".pdf"


def notice_pdf(notice: PublicNotice) -> tuple[bytes, bool]:
    """The notice's PDF and whether it was freshly rendered (False: the stored copy was current)."""
    return stored_pdf(NoticeDocument, {"notice_id": notice.id}, notice_html(notice))


KIND = "notice"
register_record_pdf(KIND, PublicNotice, notice_html, NoticeDocument, "notice_id")
