"""Uploads: type by content, size limit, safe names, random storage outside the web root, previews,
and serving only to users who may see the record (RFC 5987 names for Chinese file names)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from supervise.core.storage import storage
from supervise.extensions import db
from supervise.uploads.models import Attachment
from supervise.uploads.storage import (
    UploadRefused,
    attach,
    file_key,
    pending_uploads,
    prune,
    safe_name,
    store_upload,
    store_uploads,
)
from tests.helpers import damaged_zip, lying_zip

from .samples import jpeg_bytes, office_bytes, pdf_bytes, png_bytes, upload


@pytest.fixture
def deputy(factory):
    user = factory.user("deputy")
    db.session.commit()
    return user


def store(user, name, data):
    return store_upload(upload(name, data), user=user, township_id=user.township_id)


@pytest.mark.parametrize(
    "name,data,kind",
    [
        ("现场.jpg", jpeg_bytes((64, 48)), "jpeg"),
        ("a.png", png_bytes(), "png"),
        ("答复.pdf", pdf_bytes(), "pdf"),
        ("纪要.docx", office_bytes("docx"), "docx"),
        ("台账.xlsx", office_bytes("xlsx"), "xlsx"),
    ],
)
def test_accepted_kinds_are_known_by_their_content(app, deputy, name, data, kind):
    attachment = store(deputy, name, data)
    assert attachment.kind == kind and attachment.original_name == name and attachment.size == len(data)
    key = file_key(attachment.storage_key)
    assert storage().get(key) == data
    # A random name in the storage's uploads, never the user's name, never under the static folder.
    assert key == f"uploads/{attachment.storage_key[:2]}/{attachment.storage_key}" and name not in key
    root = Path(app.config["STORAGE_DIR"])
    assert (root / key).read_bytes() == data and not root.is_relative_to(Path(app.static_folder))
    assert attachment.owner_kind is None  # pending until its form is saved


@pytest.mark.parametrize(
    "name,data,reason",
    [
        ("空.jpg", b"", "文件是空的"),
        ("假照片.jpg", b"<html><script>alert(1)</script></html>", "文件内容与扩展名不符"),
        ("假文件.pdf", b"MZ\x90\x00 not a pdf", "文件内容与扩展名不符"),
        ("图.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "只接受"),
        ("page.html", b"<!doctype html><p>hi</p>", "只接受"),
        ("x.exe", b"MZ\x90\x00\x03", "只接受"),
        ("坏.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "图片已损坏"),
        ("zip.docx", b"PK\x03\x04 broken", "文件内容与扩展名不符"),
    ],
)
def test_refused_files_say_why_and_store_nothing(app, deputy, name, data, reason):
    with pytest.raises(UploadRefused) as refused:
        store(deputy, name, data)
    assert name in str(refused.value) and reason in str(refused.value)
    assert db.session.execute(db.select(Attachment)).first() is None


def test_the_size_limit_is_configurable_and_named_in_the_message(app, deputy):
    app.config["UPLOAD_MAX_BYTES"] = 1024 * 1024
    big = png_bytes() + b"\x00" * (1024 * 1024)
    with pytest.raises(UploadRefused) as refused:
        store(deputy, "大.png", big)
    assert "文件太大（1.1 MB），每个文件不能超过 1 MB" in str(refused.value)  # its size, not the limit
    with pytest.raises(UploadRefused) as refused:
        store(deputy, "很大.png", big * 6)
    assert "文件太大（6 MB），每个文件不能超过 1 MB" in str(refused.value)
    assert store(deputy, "小.png", png_bytes()).kind == "png"


def test_the_form_names_a_refused_files_own_size(app, client, login_as, deputy):
    app.config["UPLOAD_MAX_BYTES"] = 1024 * 1024
    login_as(deputy)
    data = {"method": "tour", "place": "东河村", "action": "draft"}
    data["findings-0-files"] = (io.BytesIO(png_bytes() + b"\x00" * (5 * 1024 * 1024)), "大照片.png")
    response = client.post("/inspections/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    page = " ".join(response.get_data(as_text=True).split())
    assert "“大照片.png”未能上传：文件太大（5 MB），每个文件不能超过 1 MB" in page
    assert db.session.execute(db.select(Attachment)).first() is None


def test_a_zip_bomb_dressed_as_docx_is_refused(app, deputy):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "0" * (120 * 1024 * 1024))
    with pytest.raises(UploadRefused, match="解压后过大"):
        store(deputy, "bomb.docx", out.getvalue())


def test_a_zip_bomb_whose_headers_lie_about_its_sizes_is_refused(app, deputy):
    bomb = lying_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"0" * (120 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(UploadRefused, match="解压后过大"):
        store(deputy, "bomb.docx", bomb)
    assert db.session.execute(db.select(Attachment)).first() is None


def test_an_office_file_whose_headers_lie_is_refused_even_when_small(app, deputy):
    honest = {"[Content_Types].xml": b"<Types/>" * 50, "xl/workbook.xml": b"<workbook/>" * 50}
    with pytest.raises(UploadRefused, match="文件内容与扩展名不符"):
        store(deputy, "台账.xlsx", lying_zip(honest))


def test_an_office_file_whose_packed_data_is_damaged_is_refused_not_a_500(app, deputy):
    damaged = damaged_zip({"[Content_Types].xml": b"<Types/>" * 50, "word/document.xml": b"<w/>" * 50})
    with pytest.raises(UploadRefused):
        store(deputy, "报告.docx", damaged)
    assert db.session.execute(db.select(Attachment)).first() is None


@pytest.mark.parametrize(
    "given,kept",
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("..\\..\\windows\\win.ini.png", "win.ini.png"),
        ("/abs/path/现场照片.png", "现场照片.png"),
        ("..", "file"),
        ("\x00\x1f照片.png", "照片.png"),
        ("", "file"),
    ],
)
def test_file_names_lose_folders_and_control_characters(given, kept):
    assert safe_name(given) == kept


def test_a_path_traversal_name_is_stored_safely(app, deputy):
    attachment = store(deputy, "../../../../tmp/evil.png", png_bytes())
    assert attachment.original_name == "evil.png"
    assert storage().exists(file_key(attachment.storage_key))
    assert not (Path(app.config["STORAGE_DIR"]).parent / "evil.png").exists()
    assert "evil" not in " ".join(storage().keys("uploads/"))


def test_a_png_under_a_jpg_name_is_a_png_and_downloads_as_one(app, deputy):
    attachment = store(deputy, "照片.jpg", png_bytes())
    assert attachment.kind == "png" and attachment.original_name == "照片.jpg.png"


def test_photos_get_an_upright_preview_at_most_1024_px(app, deputy):
    # EXIF orientation 6: the camera was turned; the preview is turned back (landscape → portrait).
    attachment = store(deputy, "横拍.jpg", jpeg_bytes((1600, 1200), exif_orientation=6))
    assert attachment.has_preview
    with Image.open(io.BytesIO(storage().get(file_key(attachment.storage_key, preview=True)))) as preview:
        assert preview.size == (768, 1024)
    # The original is kept as it came.
    assert storage().get(file_key(attachment.storage_key))[:3] == b"\xff\xd8\xff"
    assert not store(deputy, "答复.pdf", pdf_bytes()).has_preview


def test_store_uploads_keeps_the_good_files_and_reports_the_bad(app, deputy):
    stored, refused = store_uploads(
        [upload("好.png", png_bytes()), upload("坏.svg", b"<svg/>"), upload("", b"")],
        user=deputy,
        township_id=deputy.township_id,
    )
    assert [a.original_name for a in stored] == ["好.png"]
    assert len(refused) == 1 and "坏.svg" in refused[0]


def test_pending_uploads_are_the_uploaders_own(app, deputy, factory):
    mine = store(deputy, "a.png", png_bytes())
    other = factory.user("deputy")
    theirs = store(other, "b.png", png_bytes())
    attached = store(deputy, "c.png", png_bytes())
    attach([attached], "finding", 1)
    found = pending_uploads(deputy, [mine.id, theirs.id, attached.id, "x", "99999999999999"])
    assert found == [mine]


def test_prune_forgets_abandoned_pending_uploads(app, deputy):
    from datetime import timedelta

    from supervise.core.clock import utcnow

    old = store(deputy, "old.png", png_bytes())
    old.uploaded_at = utcnow() - timedelta(days=8)
    fresh = store(deputy, "fresh.png", png_bytes())
    db.session.flush()
    rows, _files = prune()
    assert rows == 1
    assert db.session.get(Attachment, fresh.id) is not None and db.session.get(Attachment, old.id) is None


# ---- serving -------------------------------------------------------------------------------------


def test_serving_a_chinese_named_document_uses_rfc_5987(app, client, login_as, deputy):
    attachment = store(deputy, "整改报告（第二版）.pdf", pdf_bytes())
    db.session.commit()
    login_as(deputy)
    response = client.get(f"/files/{attachment.id}")
    assert response.status_code == 200 and response.data == pdf_bytes()
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E6%95%B4%E6%94%B9%E6%8A%A5%E5%91%8A" in disposition
    assert response.headers["Content-Type"] == "application/pdf"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_photos_open_inline_and_have_a_preview(app, client, login_as, deputy):
    attachment = store(deputy, "现场.jpg", jpeg_bytes((300, 200)))
    db.session.commit()
    login_as(deputy)
    original = client.get(f"/files/{attachment.id}")
    assert original.status_code == 200 and original.headers["Content-Disposition"].startswith("inline")
    preview = client.get(f"/files/{attachment.id}/preview")
    assert preview.status_code == 200 and preview.headers["Content-Type"] == "image/jpeg"
    pdf = store(deputy, "a.pdf", pdf_bytes())
    db.session.commit()
    assert client.get(f"/files/{pdf.id}/preview").status_code == 404


def test_a_pending_upload_is_served_to_its_uploader_only(app, client, login_as, deputy, factory):
    attachment = store(deputy, "a.png", png_bytes())
    db.session.commit()
    login_as("deputy")  # another deputy of the same township
    assert client.get(f"/files/{attachment.id}").status_code == 404
    assert client.get("/files/999999").status_code == 404


def test_an_unregistered_owner_kind_is_never_served(app, client, login_as, deputy):
    attachment = store(deputy, "a.png", png_bytes())
    attach([attachment], "no-such-kind", 1)
    db.session.commit()
    login_as(deputy)
    assert client.get(f"/files/{attachment.id}").status_code == 404


def test_a_user_cannot_pile_up_unsaved_uploads(app, deputy, monkeypatch):
    from supervise.uploads import storage

    monkeypatch.setattr(storage, "MAX_PENDING_FILES", 3)
    with app.test_request_context():
        stored, refused = store_uploads(
            [upload(f"{n}.png", png_bytes()) for n in range(5)], user=deputy, township_id=deputy.township_id
        )
    assert len(stored) == 3 and "还没保存的文件" in refused[0]
    # Saved uploads no longer count against the allowance.
    attach(stored, "finding", 1)
    with app.test_request_context():
        more, refused = store_uploads(
            [upload("x.png", png_bytes())], user=deputy, township_id=deputy.township_id
        )
    assert len(more) == 1 and not refused


def test_the_per_request_limit_counts_every_field(app, deputy, monkeypatch):
    from supervise.uploads import storage

    monkeypatch.setattr(storage, "MAX_FILES_PER_REQUEST", 4)
    with app.test_request_context():
        first, _ = store_uploads(
            [upload(f"a{n}.png", png_bytes()) for n in range(3)], user=deputy, township_id=1
        )
        second, refused = store_uploads(
            [upload(f"b{n}.png", png_bytes()) for n in range(3)], user=deputy, township_id=1
        )
    assert len(first) == 3 and len(second) == 1 and "一次最多上传 4 个文件" in refused[-1]


@pytest.mark.parametrize(
    "language, expected",
    [
        ("zh_Hans_CN", ("没有保存", "不能超过 4 KB", "每个文件不能超过 10 MB", "返回上一页", "少选几个文件")),
        ("en", ("Nothing", "was saved", "4 KB", "10 MB", "go back", "fewer")),
    ],
)
def test_a_request_over_the_limit_says_nothing_was_saved_the_limit_and_what_to_do(
    app, client, login_as, deputy, language, expected
):
    from supervise.inspections.models import Inspection

    app.config["MAX_CONTENT_LENGTH"] = 4096
    login_as(deputy)
    client.post("/language", data={"locale": language})
    response = client.post(
        "/inspections/new",
        data={"place": "东河村", "findings-0-files": (io.BytesIO(jpeg_bytes()), "大照片.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    page = " ".join(response.get_data(as_text=True).split())
    for text in expected:
        assert text in page, text
    assert db.session.execute(db.select(Inspection)).first() is None
    assert db.session.execute(db.select(Attachment)).first() is None


def test_an_unexpected_error_is_still_the_500_page(fresh_app):
    """The error handlers next to the 413 page: an unhandled exception is a 500 without a trace."""

    @fresh_app.get("/boom-for-test")
    def boom():
        raise RuntimeError("secret detail")

    response = fresh_app.test_client().get("/boom-for-test")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "我们已记录此错误" in body and "secret detail" not in body
