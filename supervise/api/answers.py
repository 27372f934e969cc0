"""Whole API answers, kept as the bytes that were sent, for GET operations that opt in with
``@kept_answer(made_of)``: a second request for the same answer then costs one light statement
instead of its queries and its JSON, as a signed-in page does (``core/response_cache.py``) and a
public page does under its ETag (``public/views.py``).

An answer is stored under a key holding everything it is made of:

- the caller, for a request with a token: the token (id, scope) and the account as it is now, with
  the data version of every township it sees (``reader_state``), all read before any of the answer's
  data (core/cache.py bumps the versions in the same transaction as any change);
- the address (path and query string) and the language asked for (``Accept-Language``);
- what the operation adds: ``made_of(caller, connection, **view_args)``, read on the same connection
  (a public notice's version, the month the reports are counted from), or None for "make it afresh"
  (an address that shows nothing: the operation itself answers 404).

A revoked token or an inactive account goes the full way, which says 401; so does a use that
``ApiToken.record_use`` must record (at most once a minute), whose answer is then kept. The
statements run on a connection of their own, so that a kept answer never opens the ORM session
(nothing to commit, no user loaded); an answer is kept only when it was a 200.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache as built_once
from functools import wraps
from typing import Any

from flask import Response, current_app, g, request
from sqlalchemy import Connection, Select, bindparam

from ..accounts.tokens import ApiToken, TokenScope, hash_of_secret, use_is_recorded
from ..core import cache
from ..core.response_cache import READER_COLUMNS, reader_select, reader_state_of
from ..extensions import db

MadeOf = Callable[..., object | None]


@dataclass(frozen=True)
class Caller:
    """The token's caller as the light statements read it (never an ORM object)."""

    token_id: int  # whose user, and the user's rights, are in ``state``
    scope: TokenScope
    state: tuple  # as reader_state(): the account, its townships and their data versions


def kept_answer(made_of: MadeOf) -> Callable[[Callable], Callable]:
    """Keep this GET operation's 200 answers whole (see above). Put it right under ``@bp.get``."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def keeping(*args: Any, **kwargs: Any) -> Any:
            response = view(*args, **kwargs)
            key = g.pop("api_answer_key", None)
            if (
                key is not None
                and isinstance(response, Response)
                and response.status_code == 200
                and not response.direct_passthrough
            ):
                cache.page_cache().store.set_bytes(key, response.get_data())
            return response

        keeping.answer_made_of = made_of  # type: ignore[attr-defined]  # read by kept_response()
        return keeping

    return decorate


@built_once
def _caller_statement() -> Select:
    # The reader statement of the whole-page cache with the token's columns: one statement.
    statement, user = reader_select()
    token = ApiToken.__table__
    return (
        statement.add_columns(token.c.id, token.c.scope, token.c.revoked_at, token.c.last_used_at)
        .join(token, token.c.user_id == user.c.id)
        .where(token.c.token_hash == bindparam("token_hash"))
    )


def _caller(secret: str, connection: Connection) -> tuple[Caller, bool] | None:
    """The token's caller, and whether a use now needs no write (else the full way records it);
    None for a token that the full way refuses (unknown, revoked, of an inactive account)."""
    token_hash = hash_of_secret(secret)
    rows = connection.execute(_caller_statement(), {"token_hash": token_hash}).all() if token_hash else []
    if not rows:
        return None
    token_id, scope, revoked_at, last_used_at = rows[0][READER_COLUMNS:]
    state = reader_state_of(rows)
    if revoked_at is not None or not state[0]:  # state[0]: the account is active
        return None
    return Caller(token_id, scope, state), use_is_recorded(last_used_at)


def kept_response(secret: str | None) -> Response | None:
    """The kept answer of this request, if its operation keeps answers and holds this one; else None,
    having noted the key under which the operation's answer will be kept."""
    view = current_app.view_functions.get(request.endpoint or "")
    made_of: MadeOf | None = getattr(view, "answer_made_of", None)
    store = cache.page_cache().store
    if made_of is None or request.method != "GET" or isinstance(store, cache.NullStore):
        return None
    caller, servable = None, True
    with db.engine.connect() as connection:
        if secret:
            found = _caller(secret, connection)
            if found is None:
                return None
            caller, servable = found
        extra = made_of(caller, connection, **(request.view_args or {}))
    if extra is None:
        return None
    key = cache.fragment_key(
        "api answer",
        request.host,
        request.script_root,
        request.path,
        request.query_string,
        request.accept_languages.best_match(["zh", "en"]),
        caller,
        extra,
    )
    body = store.get_bytes(key) if servable else None
    if body is None:
        g.api_answer_key = key
        return None
    response = current_app.response_class(body, mimetype="application/json")
    if caller is not None:  # as for every answer to a signed-in caller (core/security.py)
        response.headers["Cache-Control"] = "no-store"
    return response
