"""Downloads carry their Chinese name for browsers (RFC 5987) and a readable ASCII fallback."""

from __future__ import annotations

from urllib.parse import quote

from supervise.core.clock import today
from supervise.core.downloads import send_document


def test_a_document_has_both_names(app):
    with app.test_request_context():
        response = send_document(
            b"%PDF-1.7", "application/pdf", "江口人大督〔2026〕5号.pdf", "follow-up-sheet-2026-5.pdf"
        )
        inline = send_document(b"x", "application/pdf", "公示.pdf", "notice.pdf", as_attachment=False)
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=follow-up-sheet-2026-5.pdf; filename*=UTF-8''"
        + quote("江口人大督〔2026〕5号.pdf")
    )
    assert inline.headers["Content-Disposition"].startswith("inline; filename=notice.pdf;")
    assert response.mimetype == "application/pdf"


def test_the_item_export_and_the_deputies_template_are_named_in_both_ways(client, login_as):
    login_as("presidium")
    export = client.get("/items/export.xlsx")
    day = today().isoformat()
    assert export.headers["Content-Disposition"] == (
        f"attachment; filename=items-{day}.xlsx; filename*=UTF-8''" + quote(f"清单事项-{day}.xlsx")
    )
    template = client.get("/manage/deputies/import/template.xlsx")
    assert template.headers["Content-Disposition"].startswith("attachment; filename=deputies-template.xlsx;")
