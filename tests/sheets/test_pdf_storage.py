"""A stored PDF lives in storage() (local folder or S3), never in the database: the row keeps the
content hash and the key, a replaced copy goes once the change is committed (never on rollback),
and a lost file is printed again. Rendering is faked: what is checked is where the bytes go."""

from __future__ import annotations

import hashlib

import pytest
from flask import Response

from supervise.core.documents import document_response
from supervise.extensions import db
from supervise.sheets import operations as ops
from supervise.sheets.documents import KIND, sheet_pdf
from supervise.sheets.models import FollowUpSheet, SheetDocument
from tests.helpers import run_queued


@pytest.fixture
def renders(monkeypatch):
    """Each render's HTML; the 'PDF' is a digest of it, so other HTML gives other bytes."""
    made: list[str] = []

    def fake(html: str) -> bytes:
        made.append(html)
        return b"%PDF-" + hashlib.sha256(html.encode()).hexdigest().encode()

    monkeypatch.setattr("supervise.core.pdf.html_to_pdf", fake)
    return made


def documents(store) -> list[str]:
    return sorted(store.keys("documents/"))


def test_the_pdf_lives_in_storage_and_the_row_names_it(app, app_storage, town, renders):
    assert "pdf" not in SheetDocument.__table__.c  # no bytes in the database
    sheet = town.sheet("issued")
    with app.test_request_context():
        data, fresh = sheet_pdf(sheet)
        db.session.commit()
        row = db.session.get(SheetDocument, sheet.id)
        assert fresh and row.pdf_key == f"documents/sheet/{sheet.id}/{row.content_hash}.pdf"
        assert documents(app_storage) == [row.pdf_key] and app_storage.get(row.pdf_key) == data
        assert sheet_pdf(sheet) == (data, False) and len(renders) == 1


def test_a_changed_sheet_replaces_its_copy_once_the_change_is_committed(app, app_storage, town, renders):
    sheet = town.sheet("issued")
    with app.test_request_context():
        first, _fresh = sheet_pdf(sheet)
        db.session.commit()
        old_key = db.session.get(SheetDocument, sheet.id).pdf_key
        ops.acknowledge_sheet(town.clerk, sheet)
        changed, fresh = sheet_pdf(sheet)
        new_key = db.session.get(SheetDocument, sheet.id).pdf_key
        assert fresh and changed != first and new_key != old_key
        assert documents(app_storage) == sorted([old_key, new_key])  # others may still read the old one
        db.session.commit()
        assert documents(app_storage) == [new_key] and app_storage.get(new_key) == changed


def test_a_rolled_back_change_keeps_the_copy_the_row_names(app, app_storage, town, renders):
    sheet = town.sheet("issued")
    with app.test_request_context():
        first, _fresh = sheet_pdf(sheet)
        db.session.commit()
        old_key = db.session.get(SheetDocument, sheet.id).pdf_key
        ops.acknowledge_sheet(town.clerk, sheet)
        sheet_pdf(sheet)
        db.session.rollback()
        assert app_storage.get(old_key) == first
        assert db.session.get(SheetDocument, sheet.id).pdf_key == old_key
        assert sheet_pdf(sheet) == (first, False)


def test_a_lost_file_is_printed_again(app, app_storage, town, renders):
    sheet = town.sheet("issued")
    with app.test_request_context():
        first, _fresh = sheet_pdf(sheet)
        db.session.commit()
        key = db.session.get(SheetDocument, sheet.id).pdf_key
        app_storage.delete(key)
        assert sheet_pdf(sheet) == (first, True) and app_storage.get(key) == first


def test_a_download_serves_only_a_current_pdf_and_never_renders_in_the_request(
    app, app_storage, town, renders, queued
):
    """document_response (core/documents.py) serves the stored copy while it is current; a changed
    sheet gets the progress page, and the render waits for a worker."""
    sheet = town.sheet("issued")
    db.session.commit()

    def download() -> tuple[int, bytes]:
        with app.test_request_context(f"/sheets/{sheet.id}/pdf"):
            response = document_response(KIND, db.session.get(FollowUpSheet, sheet.id), send)
            return response.status_code, response.get_data()

    assert download()[0] == 202 and renders == []
    assert run_queued() == 1
    status, data = download()
    row = db.session.get(SheetDocument, sheet.id)
    assert status == 200 and data == app_storage.get(row.pdf_key) and len(renders) == 1
    with app.test_request_context():
        ops.acknowledge_sheet(town.clerk, db.session.get(FollowUpSheet, sheet.id))
        db.session.commit()
    assert download()[0] == 202 and len(renders) == 1
    assert run_queued() == 1
    status, changed = download()
    assert status == 200 and changed != data and len(renders) == 2


def send(pdf: bytes) -> Response:
    return Response(pdf, mimetype="application/pdf")


def test_a_deleted_draft_takes_its_pdf_out_of_storage(app, app_storage, town, renders):
    sheet = town.sheet("draft")
    with app.test_request_context():
        sheet_pdf(sheet)
        db.session.commit()
        assert documents(app_storage)
        ops.delete_draft_sheet(town.chair, sheet)
        db.session.commit()
    assert documents(app_storage) == []


def test_prune_documents_removes_old_pdfs_no_row_names_and_nothing_else(
    app, app_storage, town, renders, monkeypatch
):
    from datetime import timedelta

    from supervise.core.clock import utcnow
    from supervise.core.storage_cli import prune_documents

    sheet = town.sheet("issued")
    with app.test_request_context():
        sheet_pdf(sheet)
        db.session.commit()
    named = db.session.get(SheetDocument, sheet.id).pdf_key
    app_storage.put(f"documents/sheet/{sheet.id}/{'0' * 64}.pdf", b"%PDF-left behind")
    app_storage.put("documents/batch/7.xlsx", b"another part's file")
    assert prune_documents() == 0  # new: its row may not be committed yet
    later = utcnow() + timedelta(hours=25)
    monkeypatch.setattr("supervise.core.storage_cli.utcnow", lambda: later)
    result = app.test_cli_runner().invoke(args=["storage", "prune-documents"])
    assert "removed 1 stored documents" in result.output
    assert sorted(app_storage.keys()) == ["documents/batch/7.xlsx", named]
