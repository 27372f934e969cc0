"""Role gates for routes, township scoping, and the 404-for-foreign-records rule, in one place."""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import wraps
from typing import Any, Protocol, TypeVar

from flask import abort, request
from flask_login import current_user, login_required
from sqlalchemy import Select, select

from ..extensions import db
from .enums import N_, LabeledEnum
from .fields import as_id


class Role(LabeledEnum):
    """What an account does here; each account has exactly one role."""

    deputy = ("deputy", N_("代表"), "info")
    government = ("government", N_("镇政府"), "primary")
    presidium = ("presidium", N_("主席团"), "danger")
    county = ("county", N_("县人大常委会"), "warning")
    admin = ("admin", N_("系统管理员"), "dark")


# Roles bound to one township; the others see many townships.
TOWNSHIP_ROLES = frozenset({Role.deputy, Role.government, Role.presidium})
# Who manages the organisation of a township (deputies, offices, stations, groups, accounts).
ORG_MANAGERS = (Role.presidium, Role.county, Role.admin)

F = TypeVar("F", bound=Callable)


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Route decorator: signed in, and one of these roles; else 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


class TownshipScoped(Protocol):
    """A record that belongs to one township."""

    @property
    def township_id(self) -> int | None: ...


T = TypeVar("T", bound=TownshipScoped)


def visible_records(model: type[Any]) -> Select:
    """Every record of this township-scoped model the current user may see, as a query to refine."""
    return select(model).where(current_user.visible_township_filter(model.township_id))


def chosen_township_id(name: str = "township") -> int | None:
    """A list page's ?township= filter: None when not given; a township the user does not see is not
    found (404), as its records are, rather than an empty list."""
    township_id = as_id(request.args.get(name))
    if township_id is not None and not current_user.can_see_township(township_id):
        abort(404)
    return township_id


def get_visible_or_404(model: type[T], record_id: int, *, roles: Collection[Role] | None = None) -> T:
    """Load a township-scoped record; another township's record is a 404, never a 403.

    A record with its own `is_visible_to(user)` (a draft that is its author's alone, a sheet addressed to
    another office) is a 404 too when that says no. With ``roles``, a user of another role gets a 403,
    but only after that: another township's record is not found, whoever asks.
    """
    record = db.session.get(model, record_id)
    if record is None or not current_user.can_see_township(record.township_id):
        abort(404)
    is_visible_to = getattr(record, "is_visible_to", None)
    if is_visible_to is not None and not is_visible_to(current_user):
        abort(404)
    if roles is not None and current_user.role not in roles:
        abort(403)
    return record
