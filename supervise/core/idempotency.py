"""A creating form is carried out once per render: a retry after a lost response creates nothing.

Each creating form (new sheet, new inspection, new item, monthly report) carries a random key in
a hidden ``SubmissionKeyField``, new with every render of the empty form and kept while the form is
shown again with errors. The view asks, in this order::

    first = idempotency.repeated()                              # at the top of the view
    if first:
        return idempotency.back_to(first)                       # the repeat leads to the record
    ...validate...
    first = idempotency.claim(form.submission_key.data)         # right before the operation
    if first:
        return idempotency.back_to(first)
    record = operations.create_…(…)
    idempotency.remember(form.submission_key.data, url)         # in the same transaction

``claim`` inserts the (user, key) row in a savepoint; the unique constraint makes two simultaneous
posts of one form one creation: on PostgreSQL the second insert waits for the first request's
commit, then fails, and the second request reads the first one's URL. Everything commits or rolls
back with the request, so a refused creation leaves no key behind. A form without a key (an old
page, a script) creates as before. Keys are kept for ``KEEP``; older ones are deleted when the same
user claims a new key.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from flask import flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from werkzeug.wrappers import Response
from wtforms import HiddenField

from ..extensions import db
from .clock import utcnow
from .errors import DomainError

FIELD = "submission_key"
KEEP = timedelta(days=2)  # long enough for any retry; a form kept open longer gets a new record
_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


class ClaimedKey:
    """The columns of a table of keys that ``claim_key`` claims: one row per (user, key), the
    constraint that makes a second claim fail, and when it was claimed (older rows are dropped).
    The table adds what the claim led to."""

    if TYPE_CHECKING:
        __tablename__: str

    # sort_order: the tables keep the column order their migrations created (a mixin's columns
    # would otherwise come after the table's own).
    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-1)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), sort_order=-1)
    key: Mapped[str] = mapped_column(String(64), sort_order=-1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True, sort_order=1)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[UniqueConstraint]:
        return (UniqueConstraint("user_id", "key", name=f"uq_{cls.__tablename__}_user_key"),)


class SubmissionKey(ClaimedKey, db.Model):  # type: ignore[name-defined]  # db.Model is a variable to mypy
    """One rendered creating form that was submitted, and the URL of the record it created."""

    __tablename__ = "submission_key"

    url: Mapped[str] = mapped_column(String(500), default="")


def new_key() -> str:
    return secrets.token_urlsafe(18)


class SubmissionKeyField(HiddenField):
    """The form's key (name it ``submission_key``): new for each empty form, kept as sent; anything
    that is not a key is None."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", new_key)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = _valid(str(valuelist[0])) if valuelist else None


def _row(key: str) -> SubmissionKey | None:
    return db.session.execute(
        select(SubmissionKey).where(
            SubmissionKey.user_id == current_user.id,
            SubmissionKey.key == key,
            SubmissionKey.created_at > utcnow() - KEEP,
        )
    ).scalar_one_or_none()


def _valid(key: str | None) -> str | None:
    return key if key and _KEY.fullmatch(key) else None


def repeated() -> str | None:
    """For a POST of a form that was submitted before: the URL of what it created; else None."""
    key = _valid(request.form.get(FIELD)) if request.method == "POST" else None
    row = _row(key) if key else None
    return row.url if row is not None and row.url else None


def claim(key: str | None) -> str | None:
    """Claim the key for the creation this request is about to make: None when this request is the
    first (go on and create), or the URL of what an earlier or simultaneous submission created."""
    key = _valid(key)
    if not key:
        return None
    claimed, row = claim_key(SubmissionKey(user_id=current_user.id, key=key), KEEP)
    if claimed:
        return None
    if row is None or not row.url:  # claimed, and not (yet) carried out: nothing to lead to
        raise DomainError(_("这份表单已经提交过，正在处理。请稍后刷新页面查看。"))
    return row.url


K = TypeVar("K", bound=ClaimedKey)


def claim_key(row: K, keep: timedelta) -> tuple[bool, K | None]:
    """Claim a user's key (``row``: a new row of a ``ClaimedKey`` table) for what this request is
    about to do, after dropping that user's keys older than ``keep``.

    (True, row): this request is the first. (False, the earlier row): another request claimed it;
    None when that one has since rolled back. The insert runs in a savepoint, so on PostgreSQL a
    simultaneous claim waits for the first request's transaction and then fails. Form submissions
    (``claim``) and the API's writes (api/idempotency.py) both claim through here."""
    model = type(row)
    db.session.execute(delete(model).where(model.user_id == row.user_id, model.created_at <= utcnow() - keep))
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        earlier = db.session.execute(
            select(model).where(model.user_id == row.user_id, model.key == row.key)
        ).scalar_one_or_none()
        return False, earlier
    return True, row


def remember(key: str | None, url: str) -> None:
    """What the claimed key created: where a repeat of the form leads."""
    if _valid(key):
        db.session.execute(
            SubmissionKey.__table__.update()
            .where(SubmissionKey.user_id == current_user.id, SubmissionKey.key == key)
            .values(url=url)
        )


def back_to(url: str) -> Response:
    """A repeated submission: nothing new, back to what the first one created."""
    flash(_("这份表单已经提交过，没有重复创建。以下是第一次提交时创建的记录。"), "info")
    return redirect(url)


# How long a visitor's identical submission counts as the same one sent again.
RESENT_WITHIN = timedelta(hours=1)


def resent(model: type, sent_at: Any, **same: Any) -> Any | None:
    """The record a visitor without an account sent a moment ago with exactly these values, or None.

    Back, then submit again, sends the same form twice; a visitor has no account to key it on, so
    the same text sent again within RESENT_WITHIN is the same submission (forms of signed-in users
    carry a submission key instead)."""
    return db.session.execute(
        select(model)
        .where(
            sent_at >= utcnow() - RESENT_WITHIN,
            *(getattr(model, name) == value for name, value in same.items()),
        )
        .order_by(model.id)  # type: ignore[attr-defined]
        .limit(1)
    ).scalar_one_or_none()
