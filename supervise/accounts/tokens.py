"""Personal access tokens (个人访问令牌) for the JSON API: named, scoped, stored as hashes, revocable.

A token is shown once, when it is made; the database keeps its SHA-256 (the secret is 32 random
bytes, so a plain hash is as good as a slow one) and its first characters, for the owner to tell
tokens apart. Tokens open the API only (``supervise/api``), never the pages; sign-in sessions never
open the API.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from ..core.clock import utcnow
from ..core.enums import N_, LabeledEnum, enum_column_type
from ..extensions import db
from .models import User

PREFIX = "sv_"
# last_used_at is written at most this often, so that reading the API is not a write per request.
USE_RECORDED_EVERY = timedelta(minutes=1)


class TokenScope(LabeledEnum):
    """What a token may do: read, or read and write."""

    read = ("read", N_("只读"), "secondary")
    write = ("write", N_("读写"), "primary")


class ApiToken(db.Model):  # type: ignore[name-defined]  # db.Model is a variable to mypy
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    shown_prefix: Mapped[str] = mapped_column(String(12))
    scope: Mapped[TokenScope] = mapped_column(enum_column_type(TokenScope, "token_scope"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def allows(self, scope: TokenScope) -> bool:
        """A write token also reads."""
        return scope is TokenScope.read or self.scope is TokenScope.write

    def record_use(self) -> None:
        if not use_is_recorded(self.last_used_at):
            self.last_used_at = utcnow()


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def hash_of_secret(secret: str) -> str | None:
    """The hash that a token with this secret is stored under; None for what cannot be a token."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    return hash_secret(secret)


def active_token(secret: str) -> ApiToken | None:
    """The unrevoked token of an active account that this secret is, else None."""
    token_hash = hash_of_secret(secret)
    if token_hash is None:
        return None
    # With its user and township in the one statement every API request pays (as the pages' loader).
    token = db.session.execute(
        select(ApiToken)
        .where(ApiToken.token_hash == token_hash)
        .options(joinedload(ApiToken.user).joinedload(User.township))
    ).scalar_one_or_none()
    if token is None or token.is_revoked or not token.user.is_active:
        return None
    return token


def use_is_recorded(last_used_at: datetime | None) -> bool:
    """Whether a use now needs no write (``record_use`` would leave ``last_used_at`` as it is)."""
    return last_used_at is not None and utcnow() - last_used_at < USE_RECORDED_EVERY


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.execute(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        ).scalars()
    )
