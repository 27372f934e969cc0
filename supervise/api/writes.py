"""The head every write operation of the API shares, in one decorator (``write_operation``): its
documentation (bearer token, Idempotency-Key header, error answers), a write-scoped token and the
run-once-per-key rule; and ``as_read``, the version check a write makes before it changes a record."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from flask import abort as flask_abort
from flask_babel import gettext as _
from flask_smorest import Blueprint

from ..accounts.tokens import TokenScope
from ..core.permissions import Role
from .auth import token_required
from .blueprint import BEARER, errors
from .idempotency import idempotent
from .problems import problem

KEY_HEADER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": True,
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_.:-]{8,64}$"},
    "description": "the same key twice returns the first answer and writes nothing",
}
# What every write may answer besides its own codes: a malformed request or key, no or a revoked
# token, a role or scope that may not, a conflict (a changed version, the same key still running).
WRITE_ERRORS = (400, 401, 403, 409)


def write_operation(blueprint: Blueprint, *codes: int, roles: Collection[Role] | None = None) -> Callable:
    """Above a write view's ``@blueprint.arguments``: documented with its token and key, its error
    answers (``WRITE_ERRORS`` and ``codes``), for write-scoped tokens of ``roles`` (None: any), and
    run once per (user, Idempotency-Key)."""

    def decorator(view: Callable) -> Callable:
        view = token_required(TokenScope.write, roles=roles)(idempotent(view))
        view = errors(blueprint, *sorted({*WRITE_ERRORS, *codes}))(view)
        return blueprint.doc(security=BEARER, parameters=[KEY_HEADER])(view)

    return decorator


def as_read(record: Any, seen: int, data: Callable[[Any], dict[str, Any]]) -> Any:
    """The record, if it is still the version the caller read; else a 409 problem carrying the
    record as it is now, for the caller to apply their change to."""
    if record.version != seen:
        message = _(
            "这条记录在您读取之后已被修改（版本 %(seen)s → %(now)s），请按最新内容重新提交。",
            seen=seen,
            now=record.version,
        )
        flask_abort(problem(409, message, current=data(record)))
    return record
