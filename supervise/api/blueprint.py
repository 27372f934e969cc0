"""The API's flask-smorest ``Api`` (OpenAPI 3.1 from the code) and the blueprints it documents.

Each part of the API is a ``Blueprint`` made by ``api_blueprint``: under /api/v1, exempt from CSRF
(no cookie signs in here, so there is nothing to forge), its user loaded from the bearer token, its
errors answered as problems. ``init_app`` binds one ``Api`` per app and registers them all.
"""

from __future__ import annotations

import base64
import binascii
import http
from collections.abc import Callable, Collection, Sequence
from datetime import date
from typing import Any, NoReturn

from flask import Flask
from flask_babel import gettext as _
from flask_smorest import Api, Blueprint, abort
from flask_smorest.utils import prepare_response
from sqlalchemy import ColumnElement, Select, and_, or_

from ..accounts.tokens import TokenScope
from ..core.errors import answer_errors_under
from ..core.fields import MAX_ID, BoundedIntConverter
from ..core.permissions import Role
from ..extensions import csrf, db
from . import problems
from .auth import keep_from_caches, load_token_user, token_required
from .schemas import PageArgsSchema, ProblemSchema, page_of

PREFIX = "/api/v1"
BEARER = [{"bearerAuth": []}]
NO_AUTH: list[dict] = []


class SuperviseApi(Api):
    """flask-smorest without its app-wide error handler (the pages keep theirs) and with error
    responses documented as problem+json."""

    DEFAULT_ERROR_RESPONSE_NAME = None  # type: ignore[assignment]  # each operation names its errors

    def _register_error_handlers(self) -> None:
        pass  # problems.register() handles errors on the API blueprints only

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = ProblemSchema
            prepare_response(response, self.spec, problems.PROBLEM)
            self.spec.components.response(status.name, response, lazy=True)


def api_blueprint(name: str, description: str) -> Blueprint:
    blueprint = Blueprint(name, __name__, url_prefix=PREFIX, description=description)
    blueprint.before_request(load_token_user)
    blueprint.after_request(keep_from_caches)
    problems.register(blueprint)
    csrf.exempt(blueprint)
    return blueprint


def errors(blueprint: Blueprint, *codes: int):
    """Document the operation's error answers (problem+json)."""

    def decorator(view):
        for code in codes:
            view = blueprint.alt_response(code, response=http.HTTPStatus(code).name)(view)
        return view

    return decorator


def read_operation(blueprint: Blueprint, *codes: int, roles: Collection[Role] | None = None) -> Callable:
    """Above a read view's ``@blueprint.arguments``/``response``: documented with its bearer token
    and its error answers (401; 403 when only ``roles`` may; and ``codes``), for any token of
    ``roles`` (None: any role). Writes have ``writes.write_operation``."""
    codes = (401, *((403,) if roles is not None else ()), *codes)

    def decorator(view: Callable) -> Callable:
        view = token_required(TokenScope.read, roles=roles)(view)
        view = errors(blueprint, *sorted(set(codes)))(view)
        return blueprint.doc(security=BEARER)(view)

    return decorator


def public_operation(blueprint: Blueprint, *codes: int) -> Callable:
    """Above a view anyone may call: documented as taking no token, with its error answers."""

    def decorator(view: Callable) -> Callable:
        return blueprint.doc(security=NO_AUTH)(errors(blueprint, *codes)(view))

    return decorator


def paged(blueprint: Blueprint, schema: type, name: str) -> Callable:
    """A list view: it takes ``?cursor=&limit=`` (``PageArgsSchema``, its first argument) and answers
    a page of ``schema`` rows named ``name`` in the document, made by ``page`` or
    ``page_newest_first``."""

    def decorator(view: Callable) -> Callable:
        view = blueprint.response(200, page_of(schema, name))(view)
        return blueprint.arguments(PageArgsSchema, location="query")(view)

    return decorator


def page(query: Select, id_column: Any, args: dict, columns: bool = False) -> tuple[list[Any], str | None]:
    """One page of ``query`` in id order after the cursor, and the next page's cursor (None: last).
    ``columns``: the query selects bare columns (rows with an ``id``), not records."""
    limit = args["limit"]
    after = decode_cursor(args.get("cursor"))
    if after is not None:
        query = query.where(id_column > after)
    result = db.session.execute(query.order_by(id_column).limit(limit + 1))
    rows = list(result.all() if columns else result.scalars().unique())
    next_cursor = encode_cursor(rows[limit - 1].id) if len(rows) > limit else None
    return rows[:limit], next_cursor


def page_newest_first(query: Select, columns: Sequence[Any], args: dict) -> tuple[list[Any], str | None]:
    """One page of ``query`` (records) in descending ``columns`` order after the cursor, and the next
    page's cursor (None: last). The columns are ints or dates, the last one unique (e.g. the id); the
    cursor holds the last row's values of them, so that a page stays where it was when newer rows
    come before it."""
    limit = args["limit"]
    before = decode_key_cursor(args.get("cursor"), columns)
    if before is not None:
        query = query.where(_before(columns, before))
    ordered = query.order_by(*(column.desc() for column in columns)).limit(limit + 1)
    rows = list(db.session.execute(ordered).scalars().unique())
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], _encode("before", [getattr(last, column.key) for column in columns])


def _before(columns: Sequence[Any], values: Sequence[Any]) -> ColumnElement[bool]:
    """(columns) < (values) in the order of the columns: a row comparison, written out."""
    first, *rest = columns
    if not rest:
        return first < values[0]
    return or_(first < values[0], and_(first == values[0], _before(rest, values[1:])))


def encode_cursor(last_id: int) -> str:
    return _encode("after", (last_id,))


def _encode(prefix: str, values: Sequence[int | date]) -> str:
    text = ":".join([prefix, *(str(value) for value in values)])
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _cursor_parts(cursor: str) -> list[str]:
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return []


def _not_a_cursor() -> NoReturn:
    abort(422, messages={"query": {"cursor": [_("不是这个列表的翻页游标（cursor）。")]}})
    raise AssertionError  # abort raises


def _value(text: str, of_type: type) -> int | date:
    """A cursor's value of a column of ``of_type`` (int or date)."""
    if of_type is date:
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
        except ValueError:
            pass
        _not_a_cursor()
    if text.isdigit() and len(text) <= 10 and int(text) <= MAX_ID:
        return int(text)
    _not_a_cursor()


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    parts = _cursor_parts(cursor)
    if len(parts) != 2 or parts[0] != "after":
        _not_a_cursor()
    return int(_value(parts[1], int))


def decode_key_cursor(cursor: str | None, columns: Sequence[Any]) -> list[int | date] | None:
    """The values of ``columns`` a ``before`` cursor holds; None: no cursor."""
    if not cursor:
        return None
    parts = _cursor_parts(cursor)
    if len(parts) != len(columns) + 1 or parts[0] != "before":
        _not_a_cursor()
    return [_value(text, column.type.python_type) for column, text in zip(columns, parts[1:], strict=True)]


def init_app(app: Flask) -> None:
    from .app_views import bp as offline_app_bp
    from .docs import bp as docs_bp
    from .field_views import bp as field_bp
    from .item_views import bp as items_bp
    from .public_views import bp as public_bp
    from .sheet_views import bp as sheets_bp

    app.config.update(
        API_TITLE="清单监督 API",
        API_VERSION="1",
        OPENAPI_VERSION="3.1.0",
        API_SPEC_OPTIONS={
            "servers": [{"url": "/"}],
            "info": {
                "description": "The township people's congress supervision API. Sign in with a personal "
                "access token (account menu → API 令牌) as `Authorization: Bearer <token>`."
            },
        },
    )
    api = SuperviseApi(app)
    api.register_converter(
        BoundedIntConverter, lambda converter: {"type": "integer", "minimum": 0, "maximum": MAX_ID}
    )
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    for blueprint in (items_bp, field_bp, sheets_bp, public_bp):
        api.register_blueprint(blueprint)
    answer_errors_under(app, PREFIX + "/", problems.handle_http)
    app.register_blueprint(docs_bp)
    app.register_blueprint(offline_app_bp)
    app.extensions["supervise_api"] = api
