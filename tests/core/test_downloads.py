"""Downloads carry their Chinese name for browsers (RFC 5987) and a readable ASCII fallback."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from supervise.core.clock import today
from supervise.core.downloads import ascii_fallback, send_document
from supervise.extensions import db
from supervise.uploads.storage import store_upload
from tests.uploads.samples import jpeg_bytes, pdf_bytes, upload


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


@pytest.mark.parametrize(
    "name, fallback",
    [
        ("现场照片.jpg", "finding-photo-7.jpg"),
        ("江口人大督〔2026〕5号.pdf", "finding-photo-7.pdf"),
        ("报告", "finding-photo-7"),
        ("整改报告 v2.docx", "finding-photo-7.docx"),
        ("Café menu.pdf", "Cafe-menu.pdf"),
        ("IMG_2041.JPG", "IMG_2041.JPG"),
        (".jpg", "finding-photo-7.jpg"),
        ("照片.jpg（副本）", "finding-photo-7"),
    ],
)
def test_the_ascii_fallback_is_the_name_or_says_what_the_file_is(name, fallback):
    assert ascii_fallback(name, "finding-photo-7") == fallback


def test_uploaded_files_with_chinese_names_get_a_readable_ascii_name(client, login_as):
    deputy = login_as("deputy")
    photo = store_upload(
        upload("现场照片.jpg", jpeg_bytes((64, 48))), user=deputy, township_id=deputy.township_id
    )
    report = store_upload(upload("整改报告.pdf", pdf_bytes()), user=deputy, township_id=deputy.township_id)
    db.session.commit()
    assert client.get(f"/files/{photo.id}").headers["Content-Disposition"] == (
        f"inline; filename=upload-photo-{photo.id}.jpg; filename*=UTF-8''" + quote("现场照片.jpg")
    )
    assert (
        client.get(f"/files/{photo.id}/preview")
        .headers["Content-Disposition"]
        .startswith(f"inline; filename=upload-photo-{photo.id}.jpg;")
    )
    assert client.get(f"/files/{report.id}").headers["Content-Disposition"] == (
        f"attachment; filename=upload-file-{report.id}.pdf; filename*=UTF-8''" + quote("整改报告.pdf")
    )
