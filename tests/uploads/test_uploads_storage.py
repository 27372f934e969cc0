"""Uploads go through storage(): the same photo is stored, previewed, served (with its cache headers)
and pruned on a local folder and on S3 (a local S3 server), so a file uploaded through one app
server is served by another."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image

from supervise.core.clock import utcnow
from supervise.extensions import db
from supervise.uploads.models import Attachment
from supervise.uploads.storage import file_key, prune, store_upload

from .samples import jpeg_bytes, pdf_bytes, upload


def test_an_upload_and_its_preview_are_keys_of_the_storage(app, app_storage, factory):
    deputy = factory.user("deputy")
    photo = jpeg_bytes((1600, 1200))
    attachment = store_upload(upload("现场照片.jpg", photo), user=deputy, township_id=deputy.township_id)
    key = attachment.storage_key
    assert sorted(app_storage.keys()) == [f"uploads/{key[:2]}/{key}", f"uploads/{key[:2]}/{key}.preview.jpg"]
    assert app_storage.get(file_key(key)) == photo
    with Image.open(io.BytesIO(app_storage.get(file_key(key, preview=True)))) as preview:
        assert max(preview.size) == 1024


def test_an_upload_is_served_from_the_storage_with_its_headers(app, app_storage, client, login_as):
    deputy = login_as("deputy")
    photo = jpeg_bytes((800, 600))
    attachment = store_upload(upload("现场照片.jpg", photo), user=deputy, township_id=deputy.township_id)
    document = store_upload(upload("整改报告.pdf", pdf_bytes()), user=deputy, township_id=deputy.township_id)
    db.session.commit()

    served = client.get(f"/files/{attachment.id}")
    assert served.status_code == 200 and served.data == photo and served.mimetype == "image/jpeg"
    assert served.headers["Content-Disposition"].startswith("inline;")
    assert served.headers["ETag"] == f'"{attachment.sha256}"' and "Last-Modified" in served.headers
    assert "private" in served.headers["Cache-Control"] and "max-age=3600" in served.headers["Cache-Control"]
    again = client.get(f"/files/{attachment.id}", headers={"If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    part = client.get(f"/files/{attachment.id}", headers={"Range": "bytes=0-9"})
    assert part.status_code == 206 and part.data == photo[:10]

    preview = client.get(f"/files/{attachment.id}/preview")
    assert preview.status_code == 200 and preview.data[:3] == b"\xff\xd8\xff"
    assert preview.data == app_storage.get(file_key(attachment.storage_key, preview=True))
    pdf = client.get(f"/files/{document.id}")
    assert pdf.data == pdf_bytes() and pdf.headers["Content-Disposition"].startswith("attachment;")

    app_storage.delete(file_key(attachment.storage_key))  # a file lost from storage: not found, not 500
    assert client.get(f"/files/{attachment.id}").status_code == 404


def test_prune_removes_only_old_files_no_row_names(app, app_storage, factory, monkeypatch):
    deputy = factory.user("deputy")
    kept = store_upload(upload("a.jpg", jpeg_bytes((64, 64))), user=deputy, township_id=deputy.township_id)
    app_storage.put("uploads/ff/ffffffffffffffffffffffffffffffff", b"orphan")
    app_storage.put("documents/sheet/1/x.pdf", b"%PDF")  # not an upload: never pruned here
    kept.owner_kind, kept.owner_id = "finding", 1
    db.session.flush()
    assert prune() == (0, 0)  # the orphan is new: its row may be on its way
    later = utcnow() + timedelta(hours=169)
    monkeypatch.setattr("supervise.core.clock.utcnow", lambda: later)
    assert prune() == (0, 1)
    assert not app_storage.exists("uploads/ff/ffffffffffffffffffffffffffffffff")
    assert app_storage.exists(file_key(kept.storage_key)) and app_storage.exists("documents/sheet/1/x.pdf")
    assert db.session.get(Attachment, kept.id) is not None
