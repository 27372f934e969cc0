"""User accounts: one role each, bound to a township (or a county, for county staff)."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.enums import enum_column_type
from ..core.permissions import ORG_MANAGERS, Role
from ..extensions import db
from ..org.models import County, Deputy, Office, Township


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):
    __table_args__ = (
        # Township roles need a township; county staff a county; government alone may name an office.
        CheckConstraint(
            "role IN ('county', 'admin') OR township_id IS NOT NULL", name="township_role_has_township"
        ),
        CheckConstraint("role <> 'county' OR county_id IS NOT NULL", name="county_role_has_county"),
        CheckConstraint("role = 'government' OR office_id IS NULL", name="office_only_government"),
        CheckConstraint("role = 'deputy' OR deputy_id IS NULL", name="deputy_only_deputy"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column_type(Role, "role"))
    township_id: Mapped[int | None] = mapped_column(ForeignKey("township.id"), index=True)
    county_id: Mapped[int | None] = mapped_column(ForeignKey("county.id"), index=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"), index=True)
    deputy_id: Mapped[int | None] = mapped_column(ForeignKey("deputy.id"), unique=True)
    # Rotated on sign-out, password change and deactivation: every older session stops working.
    session_token: Mapped[str] = mapped_column(String(40), default=new_session_token)
    locale: Mapped[str | None] = mapped_column(String(16))
    # Where `flask remind` emails reminders (empty: in-app notifications only).
    email: Mapped[str] = mapped_column(String(120), default="", server_default="")
    is_active_account: Mapped[bool] = mapped_column("is_active", default=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    last_login_at: Mapped[datetime | None]

    township: Mapped[Township | None] = relationship()
    county: Mapped[County | None] = relationship()
    office: Mapped[Office | None] = relationship()
    deputy: Mapped[Deputy | None] = relationship()

    # Flask-Login
    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.is_active_account

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    # Scoping
    def can_see_township(self, township_id: int | None) -> bool:
        if township_id is None:
            return False
        if self.role is Role.admin:
            return True
        if self.role is Role.county:
            township = db.session.get(Township, township_id)
            return township is not None and township.county_id == self.county_id
        return township_id == self.township_id

    def visible_township_filter(self, column):
        """A SQL condition restricting ``column`` (a township id) to what this user may see."""
        if self.role is Role.admin:
            return column.isnot(None)
        if self.role is Role.county:
            ids = db.select(Township.id).where(Township.county_id == self.county_id)
            return column.in_(ids.scalar_subquery())
        return column == self.township_id

    # Who may act: the three predicates every domain's permission checks use.
    def is_presidium_of(self, township_id: int | None) -> bool:
        """A member of this township's presidium (主席团): the chair, vice chair, congress staff."""
        return self.role is Role.presidium and township_id is not None and self.township_id == township_id

    def is_clerk_of(self, township_id: int | None, office_id: int | None) -> bool:
        """A government clerk of this office (站所) of this township.

        A clerk with no office of their own acts for none: a record addressed to an office is that
        office's to sign for, report on and answer.
        """
        return (
            self.role is Role.government
            and township_id is not None
            and self.township_id == township_id
            and self.office_id is not None
            and self.office_id == office_id
        )

    def supervises(self, item: Any) -> bool:
        """A deputy of the item's township currently assigned as its volunteer supervisor (义务监督员)."""
        return (
            self.role is Role.deputy
            and self.deputy_id is not None
            and self.township_id == item.township_id
            and any(a.deputy_id == self.deputy_id and a.ended_at is None for a in item.assignments)
        )

    @property
    def manages_org(self) -> bool:
        return self.role in ORG_MANAGERS

    def assignable_roles(self) -> list[Role]:
        """Roles this user may give to accounts they create."""
        if self.role is Role.admin:
            return list(Role)
        if self.role is Role.county:
            return [Role.deputy, Role.government, Role.presidium, Role.county]
        if self.role is Role.presidium:
            return [Role.deputy, Role.government, Role.presidium]
        return []

    def can_manage_account(self, other: User) -> bool:
        if other.role not in self.assignable_roles():
            return False
        if other.role is Role.county:
            return self.role is Role.admin or other.county_id == self.county_id
        if other.role is Role.admin:
            return self.role is Role.admin
        return self.can_see_township(other.township_id)

    def __str__(self) -> str:
        return self.display_name


class SignInFailure(db.Model):
    """Repeated failed sign-ins of one pair (account, address), for the administrator to see.

    A pair is written once its failures reach the throttle's free ones (accounts/throttle.py), then
    counted up with each further failure; ``account`` is the username as typed (lower case), which
    need not be an account at all."""

    __table_args__ = (UniqueConstraint("account", "address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int]
    first_at: Mapped[datetime]
    last_at: Mapped[datetime] = mapped_column(index=True)


class Anonymous(AnonymousUserMixin):
    """A visitor without an account: the same predicates as a User, all saying no."""

    role = None
    township_id = None

    def can_see_township(self, township_id: int | None) -> bool:
        return False

    def is_presidium_of(self, township_id: int | None) -> bool:
        return False

    def is_clerk_of(self, township_id: int | None, office_id: int | None) -> bool:
        return False

    def supervises(self, item: Any) -> bool:
        return False
