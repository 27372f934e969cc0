"""Whole signed-in pages, kept as the bytes that were sent, for pages that opt in with
``@cache_whole_page``. A second visit then costs one SQL statement instead of a render.

A page is stored under a key that holds everything it is made of:

- the reader's account as it is now: id, session token, active flag, role, township, county, office
  and deputy bindings, chosen language, display name and their township's name (the navbar);
- the session it was made for: its CSRF secret (the forms' tokens are valid for that session only),
  its language choice; a session with flashed messages is never served, and a page is kept only if
  its request changed nothing in the session and showed no flashed message;
- the data version of every township the reader sees (core/cache.py bumps them in the same
  transaction as any change), so no change of data ever finds an old page;
- the bell: the count of unread notifications and the newest notification id;
- the full URL (script root, path, query string) and what the view adds (the day).

All of it but the URL and the session comes from one statement per request, which also does the
user loader's check (active account, current session token): a signed-out session, a password
change or a deactivated account gets no page, since the request then goes to the view as usual.
A page is kept only if the statement gives the same answer after rendering as before, so the page
shows what its key says.
"""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from flask import current_app, get_flashed_messages, make_response, request, session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import Row, Select, Table, and_, bindparam, func, or_, select

from ..extensions import db
from . import cache
from .permissions import Role

READER_COLUMNS = 15  # what reader_state() reads of each row; a caller's own columns come after


def reader_select() -> tuple[Select, Table]:
    """The reader's account, bell and the data versions of the townships they see, for every user
    (no WHERE yet), and the user table: for a caller that finds its user its own way (the API, by
    token) and adds its own columns after the first READER_COLUMNS. Build it once and keep it."""
    tables = db.metadata.tables
    user, notification = tables["user"], tables["notification"]
    version = tables["data_version"].alias("version")
    every = tables["data_version"].alias("every")
    own = tables["township"].alias("own")
    seen = tables["township"].alias("seen")
    # User.visible_township_filter, for any role, in SQL (tests/lists/test_whole_page_cache.py
    # checks that both give the same townships for every role).
    visible = or_(
        user.c.role == Role.admin,
        and_(user.c.role == Role.county, seen.c.county_id == user.c.county_id),
        # not NOT IN (…): its list would be expanded anew on every request
        and_(user.c.role != Role.admin, user.c.role != Role.county, seen.c.id == user.c.township_id),
    )
    mine = notification.c.user_id == user.c.id
    statement = (
        select(
            user.c.is_active,
            user.c.session_token,
            user.c.role,
            user.c.township_id,
            user.c.county_id,
            user.c.office_id,
            user.c.deputy_id,
            user.c.locale,
            user.c.display_name,
            own.c.name,
            select(func.count(notification.c.id))
            .where(mine, notification.c.read_at.is_(None))
            .scalar_subquery(),
            select(func.max(notification.c.id)).where(mine).scalar_subquery(),
            select(every.c.version).where(every.c.township_id == cache.EVERY_TOWNSHIP).scalar_subquery(),
            seen.c.id,
            version.c.version,
        )
        .select_from(
            user.outerjoin(own, own.c.id == user.c.township_id)
            .outerjoin(seen, visible)
            .outerjoin(version, version.c.township_id == seen.c.id)
        )
        .order_by(seen.c.id)
    )
    return statement, user


@functools.cache
def _reader_statement() -> Select:
    statement, user = reader_select()  # built once: constructing it costs more than running it
    return statement.where(user.c.id == bindparam("user_id"))


def reader_state(user_id: int) -> tuple:
    """Everything of the database a signed-in page of this user is made of, as one tuple."""
    # Its own pooled connection rather than the ORM session's: a page served from the cache then
    # never opens a session transaction, which costs more than the statement itself.
    with db.engine.connect() as connection:
        return reader_state_of(connection.execute(_reader_statement(), {"user_id": user_id}).all())


def reader_state_of(rows: Sequence[Row]) -> tuple:
    """``reader_state`` from the rows of a statement made with ``reader_select()`` (none: no user)."""
    if not rows:
        return ()
    account = tuple(rows[0][:13])
    return account + tuple((row[13], row[14] or 0) for row in rows)


def _session_user() -> tuple[int, str] | None:
    """(user id, session token) of a session that may be served a cached page, else None."""
    if request.method != "GET" or "_flashes" in session or "_remember" in session:
        return None
    user_id, _sep, token = (session.get("_user_id") or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    login = current_app.login_manager  # type: ignore[attr-defined]  # set by LoginManager.init_app
    if login.session_protection and session.get("_id") != login._session_identifier_generator():
        return None  # another address or browser: Flask-Login decides what becomes of the session
    return int(user_id), token


def _csrf_secret() -> str:
    """The session's CSRF secret, which every token on the page is made from (made now if new)."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if field not in session:
        generate_csrf()  # as the page's first form would
    return session[field]


def cache_whole_page(
    extra_key: Callable[[], object] = lambda: None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Serve this GET view's 200 responses from the page cache, per reader and session (see above).

    ``extra_key()`` returns whatever else the page is made of (the day, when it shows deadlines)."""

    def decorate(view):
        @wraps(view)
        def cached_view(*args, **kwargs):
            store = cache.page_cache().store
            reader = None if isinstance(store, cache.NullStore) else _session_user()
            if reader is None:
                return view(*args, **kwargs)
            user_id, token = reader
            state = reader_state(user_id)
            if not state or not state[0] or not hmac.compare_digest(state[1], token):
                return view(*args, **kwargs)  # signed out or deactivated: the view's login check says so
            key = cache.fragment_key(
                "whole page",
                request.host,
                request.script_root,
                request.path,
                request.query_string,
                user_id,
                _csrf_secret(),
                session.get("locale"),
                state,
                extra_key(),
            )
            body = store.get_bytes(key)
            if body is not None:
                return current_app.response_class(body, mimetype="text/html")
            before = dict(session)
            response = make_response(view(*args, **kwargs))
            if (
                response.status_code == 200
                and response.mimetype == "text/html"
                and not response.direct_passthrough
                and dict(session) == before
                and not get_flashed_messages()  # none were shown (the session had none before)
                and reader_state(user_id) == state
            ):
                store.set_bytes(key, response.get_data())
            return response

        return cached_view

    return decorate
