"""Checking and storing uploads: type by content, size limit, random names outside the web root, previews.

The type comes from the file's bytes, never from its name or the browser's Content-Type: a web page
renamed to .jpg is refused, an SVG (which can carry script) is refused, a PNG named .jpg is a PNG.
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
import secrets
import unicodedata
import warnings
import zipfile
from pathlib import Path, PurePosixPath
from typing import IO

from flask import current_app, g
from flask_babel import gettext as _
from PIL import Image, ImageOps
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from ..core.archives import unpacked_size
from ..core.fields import as_ids
from ..core.storage import storage
from ..extensions import db
from .models import IMAGE_KINDS, Attachment

log = logging.getLogger(__name__)

# A phone photo is 12-50 megapixels; more than this is a decompression bomb, not a photo.
MAX_IMAGE_PIXELS = 100_000_000
PREVIEW_SIZE = (1024, 1024)
# An Office file unpacks to well under this; a zip bomb disguised as .docx does not.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
EXTENSION_KINDS = {
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".png": "png",
    ".pdf": "pdf",
    ".docx": "docx",
    ".xlsx": "xlsx",
}
KIND_EXTENSIONS = {"jpeg": ".jpg", "png": ".png", "pdf": ".pdf", "docx": ".docx", "xlsx": ".xlsx"}
MAX_FILES_PER_REQUEST = 20
# Uploads of forms not yet saved, per user: enough for any real form, not a free file store.
MAX_PENDING_FILES = 60
MAX_PENDING_BYTES = 300 * 1024 * 1024


class UploadRefused(Exception):
    """A file that is not stored, with the reason the user reads."""


UPLOADS = "uploads/"
PREVIEW_SUFFIX = ".preview.jpg"


def file_key(storage_key: str, preview: bool = False) -> str:
    """Where an upload (or its preview) lives in storage(): ``uploads/<ab>/<key>[.preview.jpg]``.

    The key is ours (hex), never the user's name: nothing the user chooses names a stored file.
    """
    return f"{UPLOADS}{storage_key[:2]}/{storage_key}{PREVIEW_SUFFIX if preview else ''}"


def safe_name(name: str | None) -> str:
    """The name to show and to offer on download: no folders, no control characters, not too long."""
    name = (name or "").replace("\\", "/")
    name = PurePosixPath(name).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 150 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:150]
    return name or "file"


def _office_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except Exception:  # zipfile raises several kinds for damaged archives
        return None
    unpacked = unpacked_size(data, MAX_UNPACKED_BYTES)  # inflated, not the sizes the headers declare
    if unpacked is None:  # damaged, or its headers lie about what it holds
        return None
    if unpacked > MAX_UNPACKED_BYTES or unpacked / len(data) > MAX_COMPRESSION_RATIO:
        raise UploadRefused(_("解压后过大，疑似异常文件"))
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def sniff(data: bytes) -> str | None:
    """The kind of file these bytes are, or None when it is none of the accepted kinds."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    return None


def _preview(data: bytes) -> bytes:
    """A JPEG at most 1024 px wide or high, turned upright by its EXIF orientation."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise UploadRefused(_("图片像素过多"))
                image.load()
                image = ImageOps.exif_transpose(image)
                image.thumbnail(PREVIEW_SIZE)
                if image.mode not in ("RGB", "L"):
                    background = Image.new("RGB", image.size, "white")
                    rgba = image.convert("RGBA")
                    background.paste(rgba, mask=rgba.getchannel("A"))
                    image = background
                out = io.BytesIO()
                image.save(out, "JPEG", quality=82, optimize=True)
                return out.getvalue()
        except UploadRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise UploadRefused(_("图片像素过多")) from None
        except Exception:  # Pillow raises many kinds for truncated or damaged images
            raise UploadRefused(_("图片已损坏，无法打开")) from None


def check(name: str, data: bytes, size: int | None = None) -> str:
    """The accepted kind of this file, or UploadRefused with the reason (without the file's name).
    ``size``: the whole file's, when ``data`` is only its beginning (a file over the limit is not
    read whole)."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    size = max(size or 0, len(data))
    if not data:
        raise UploadRefused(_("文件是空的"))
    if size > limit:
        said = {"size": _mb_over(size, limit), "limit": _mb(limit)}
        raise UploadRefused(_("文件太大（%(size)s MB），每个文件不能超过 %(limit)s MB", **said))
    kind = sniff(data)
    if kind is None:
        claimed = EXTENSION_KINDS.get(Path(name).suffix.lower())
        if claimed:
            raise UploadRefused(
                _("文件内容与扩展名不符，不是真正的 %(ext)s 文件", ext=Path(name).suffix.lower())
            )
        raise UploadRefused(_("只接受 JPEG、PNG 照片和 PDF、Word（.docx）、Excel（.xlsx）文件"))
    return kind


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip(".")


def _mb_over(size: int, limit: int) -> str:
    """A size over ``limit`` in MB to 0.1, rounded up only where rounding would say the limit
    itself (10 MB and a few bytes is 10.1 MB, not "10 MB"; 59.97 MB is 60 MB)."""
    rounded = round(size * 10 / 1024 / 1024)
    if rounded * 1024 * 1024 <= limit * 10:
        rounded = math.ceil(size * 10 / 1024 / 1024)
    return _mb(rounded * 1024 * 1024 // 10)


def _whole_size(stream: IO[bytes], read: int) -> int:
    """The size of the file ``stream`` is, ``read`` bytes of which were read from its start: the
    rest is measured (a spooled upload seeks to its end) or counted, never kept."""
    try:
        return max(stream.seek(0, io.SEEK_END), read)
    except (AttributeError, OSError, ValueError):
        total = read
        while chunk := stream.read(1024 * 1024):
            total += len(chunk)
        return total


def store_upload(file: FileStorage, *, user, township_id: int) -> Attachment:
    """Check one file and store it as a pending upload of `user` (no owner yet); flushes."""
    name = safe_name(file.filename)
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = file.stream.read(limit + 1)
    size = _whole_size(file.stream, len(data)) if len(data) > limit else len(data)
    try:
        kind = check(name, data, size)
        preview = _preview(data) if kind in IMAGE_KINDS else None
    except UploadRefused as refused:
        raise UploadRefused(_("“%(name)s”未能上传：%(reason)s。", name=name, reason=str(refused))) from None
    if Path(name).suffix.lower() not in EXTENSION_KINDS or EXTENSION_KINDS[Path(name).suffix.lower()] != kind:
        name = safe_name(name + KIND_EXTENSIONS[kind])  # a PNG called 照片 or 照片.jpg downloads as .png
    key = secrets.token_hex(16)
    storage().put(file_key(key), data)
    if preview is not None:
        storage().put(file_key(key, preview=True), preview)
    attachment = Attachment(
        township_id=township_id,
        original_name=name,
        kind=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=key,
        has_preview=preview is not None,
        uploaded_by_id=user.id,
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def _pending_totals(user) -> tuple[int, int]:
    count, size = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Attachment.size), 0)).where(
            Attachment.uploaded_by_id == user.id, Attachment.owner_kind.is_(None)
        )
    ).one()
    return count, size


def store_uploads(files, *, user, township_id: int) -> tuple[list[Attachment], list[str]]:
    """Store every acceptable file; return the stored ones and a message for each refused one.

    At most MAX_FILES_PER_REQUEST files a request (however many fields carry them), and at most
    MAX_PENDING_FILES / MAX_PENDING_BYTES of a user's uploads waiting for their form to be saved.
    """
    stored, refused = [], []
    chosen = [f for f in files if f is not None and f.filename]
    if not chosen:
        return stored, refused
    taken = g.get("uploads_in_request", 0)
    room = max(MAX_FILES_PER_REQUEST - taken, 0)
    pending_count, pending_bytes = _pending_totals(user)
    for file in chosen[:room]:
        if pending_count >= MAX_PENDING_FILES or pending_bytes >= MAX_PENDING_BYTES:
            refused.append(_("您有太多上传了但还没保存的文件，请先保存表单，再上传其余的文件。"))
            break
        try:
            attachment = store_upload(file, user=user, township_id=township_id)
        except UploadRefused as error:
            refused.append(str(error))
            continue
        stored.append(attachment)
        pending_count, pending_bytes = pending_count + 1, pending_bytes + attachment.size
    g.uploads_in_request = taken + min(len(chosen), room)
    if len(chosen) > room:
        refused.append(_("一次最多上传 %(n)s 个文件，其余的没有上传。", n=MAX_FILES_PER_REQUEST))
    return stored, refused


def pending_uploads(user, ids) -> list[Attachment]:
    """The user's own uploads not yet attached to anything, among `ids` (from a hidden form field)."""
    wanted = set(as_ids(ids))
    if not wanted:
        return []
    return list(
        db.session.execute(
            select(Attachment)
            .where(
                Attachment.id.in_(wanted),
                Attachment.uploaded_by_id == user.id,
                Attachment.owner_kind.is_(None),
            )
            .order_by(Attachment.id)
        ).scalars()
    )


def attach(attachments, owner_kind: str, owner_id: int) -> None:
    """Give pending uploads their owner; flushes."""
    for attachment in attachments:
        attachment.owner_kind = owner_kind
        attachment.owner_id = owner_id
    db.session.flush()


def attachments_for(owner_kind: str, owner_ids) -> dict[int, list[Attachment]]:
    """The files of many records of one kind, in one query: owner id → files in upload order."""
    found: dict[int, list[Attachment]] = {owner_id: [] for owner_id in owner_ids}
    if not found:
        return found
    rows = db.session.execute(
        select(Attachment)
        .where(Attachment.owner_kind == owner_kind, Attachment.owner_id.in_(list(found)))
        .order_by(Attachment.id)
    ).scalars()
    for attachment in rows:
        found[attachment.owner_id].append(attachment)
    return found


def discard(attachments) -> None:
    """Forget attachments of a draft; their files go with `flask uploads prune` (after the commit)."""
    for attachment in attachments:
        db.session.delete(attachment)
    db.session.flush()


def prune(older_than_hours: int = 168) -> tuple[int, int]:
    """Delete pending uploads nobody saved and files no row names; returns (rows, files) removed."""
    from datetime import timedelta

    from ..core.clock import utcnow

    cutoff = utcnow() - timedelta(hours=older_than_hours)
    stale = db.session.execute(
        select(Attachment).where(Attachment.owner_kind.is_(None), Attachment.uploaded_at < cutoff)
    ).scalars()
    rows = 0
    for attachment in stale:
        db.session.delete(attachment)
        rows += 1
    db.session.flush()
    keys = set(db.session.execute(select(Attachment.storage_key)).scalars())
    files = 0
    store = storage()
    for entry in list(store.entries(UPLOADS)):
        key = entry.key.rsplit("/", 1)[-1].removesuffix(PREVIEW_SUFFIX)
        if key not in keys and entry.modified < cutoff:
            store.delete(entry.key)
            files += 1
    return rows, files
