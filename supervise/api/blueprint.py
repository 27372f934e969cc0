"""The API's flask-smorest ``Api`` (OpenAPI 3.1 from the code) and the blueprints it documents.

Each part of the API is a ``Blueprint`` made by ``api_blueprint``: under /api/v1, exempt from CSRF
(no cookie signs in here, so there is nothing to forge), its user loaded from the bearer token, its
errors answered as problems. ``init_app`` binds one ``Api`` per app and registers them all.
"""

from __future__ import annotations

import base64
import binascii
import http
from typing import Any

from flask import Flask
from flask_babel import gettext as _
from flask_smorest import Api, Blueprint, abort
from flask_smorest.utils import prepare_response
from sqlalchemy import Select

from ..core.errors import answer_errors_under
from ..core.fields import MAX_ID, BoundedIntConverter
from ..extensions import csrf, db
from . import problems
from .auth import keep_from_caches, load_token_user
from .schemas import ProblemSchema

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


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"after:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    prefix, _sep, number = text.partition(":")
    if prefix != "after" or not number.isdigit() or int(number) > MAX_ID:
        abort(422, messages={"query": {"cursor": [_("不是这个列表的翻页游标（cursor）。")]}})
    return int(number)


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
