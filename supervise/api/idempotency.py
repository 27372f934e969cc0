"""Every API write takes an ``Idempotency-Key``: the same key twice returns the first answer and
writes nothing.

The offline app sends each stored record with the key it gave it when it was filled in, and sends
it again with the same key when an answer was lost. ``idempotent`` claims the (user, key) row in a
savepoint before the operation runs and keeps the answer in it, in the request's one transaction:

- a successful answer (status < 400) is stored with the request's fingerprint (method, path, query,
  body; for uploads the files' hashes, not the multipart boundary) and replayed for the same key
  with ``Idempotent-Replayed: true``;
- the same key with another request is refused (422); nothing is run twice;
- a refusal (4xx) is not kept: its transaction rolls back with the claim, so the client may correct
  the record and send it again with the same key;
- two requests with one key at once: the unique (user, key) makes the second insert wait for the
  first transaction (PostgreSQL) or the database lock (SQLite), then fail; the second request then
  answers with the first one's stored answer, or 409 while the first is still being carried out.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import Response, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.idempotency import ClaimedKey, claim_key
from ..extensions import db
from .problems import problem

HEADER = "Idempotency-Key"
KEEP = timedelta(days=7)  # a phone may stay offline for days
_KEY = re.compile(r"[A-Za-z0-9_.:-]{8,64}")
KEPT_HEADERS = ("Location", "Content-Type")


class ApiIdempotencyKey(ClaimedKey, db.Model):  # type: ignore[name-defined]  # db.Model is a variable to mypy
    """One write sent through the API under a client's key, and the answer it got."""

    __tablename__ = "api_idempotency_key"

    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str | None] = mapped_column(Text)
    headers: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")


def fingerprint() -> str:
    """What the request asks for, independent of how the client encoded it."""
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    digest.update(json.dumps(sorted(request.args.items(multi=True))).encode())
    if request.files:
        digest.update(json.dumps(sorted(request.form.items(multi=True))).encode())
        for name, upload in sorted(request.files.items(multi=True), key=lambda pair: pair[0]):
            digest.update(f"{name}:{upload.filename}:".encode())
            digest.update(hashlib.sha256(upload.stream.read()).digest())
            upload.stream.seek(0)
    else:
        body = request.get_json(silent=True)
        digest.update(json.dumps(body, sort_keys=True).encode() if body is not None else request.get_data())
    return digest.hexdigest()


def _replay(row: ApiIdempotencyKey, seen: str) -> Response:
    if row.fingerprint != seen:
        return problem(422, _("这个 Idempotency-Key 已用于另一个请求，请为新的请求换一个新键。"))
    if row.status is None:
        return problem(409, _("使用同一个 Idempotency-Key 的请求正在处理，请稍后重试。"))
    response = Response(row.body or "", status=row.status, headers=row.headers or {})
    response.headers["Idempotent-Replayed"] = "true"
    return response


def idempotent(view: Callable) -> Callable:
    """Run a write once per (user, key); answer repeats with the first answer."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER, "")
        if not _KEY.fullmatch(key):
            return problem(400, _("写操作须带 Idempotency-Key 请求头（8 到 64 个字母、数字或 _.:- 字符）。"))
        seen = fingerprint()
        claimed, row = claim_key(ApiIdempotencyKey(user_id=current_user.id, key=key, fingerprint=seen), KEEP)
        if not claimed:
            if row is None:  # claimed by a request that has since rolled back: try again
                return problem(409, _("使用同一个 Idempotency-Key 的请求正在处理，请稍后重试。"))
            return _replay(row, seen)
        response = view(*args, **kwargs)
        if isinstance(response, Response) and response.status_code < 400:
            row.status = response.status_code
            row.body = response.get_data(as_text=True)
            row.headers = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
            db.session.flush()
        return response

    return wrapped
