"""Serving uploaded files, only to users allowed to see the record they belong to."""

from __future__ import annotations

import io
from datetime import UTC

from flask import Blueprint, abort, send_file
from flask_login import current_user, login_required

from ..core.downloads import ascii_fallback, name_download
from ..core.storage import storage
from ..extensions import db
from .models import Attachment
from .storage import file_key

bp = Blueprint("uploads", __name__)


def _visible_or_404(attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or not attachment.is_visible_to(current_user):
        abort(404)
    return attachment


def _send(attachment: Attachment, preview: bool):
    try:
        data = storage().get(file_key(attachment.storage_key, preview=preview))
    except FileNotFoundError:
        abort(404)
    inline = preview or attachment.is_image  # photos open in the browser; documents download
    response = send_file(
        io.BytesIO(data),
        mimetype="image/jpeg" if preview else attachment.mimetype,
        as_attachment=not inline,
        download_name=ascii_fallback(attachment.original_name, attachment.download_stem),
        conditional=True,
        etag=attachment.sha256 + ("p" if preview else ""),
        last_modified=attachment.uploaded_at.replace(tzinfo=UTC),
        max_age=3600,
    )
    # The Chinese name for browsers; for the rest a readable ASCII one (werkzeug's would be ".jpg").
    name = attachment.original_name
    ascii_name = ascii_fallback(name, attachment.download_stem)
    name_download(response, name, ascii_name, as_attachment=not inline)
    response.cache_control.private = True
    response.cache_control.public = False
    # A file is never a page: nothing in it may run, even if a browser were tricked into rendering it.
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@bp.get("/files/<int:attachment_id>")
@login_required
def download(attachment_id: int):
    return _send(_visible_or_404(attachment_id), preview=False)


@bp.get("/files/<int:attachment_id>/preview")
@login_required
def preview(attachment_id: int):
    attachment = _visible_or_404(attachment_id)
    if not attachment.has_preview:
        abort(404)
    return _send(attachment, preview=True)
