"""Errors as RFC 9457 problem details (``application/problem+json``), with the fields' errors."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import Any

from flask import Response, current_app, g, json, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from ..core.errors import DomainError, too_large_detail
from ..extensions import db
from .messages import in_readers_language

PROBLEM = "application/problem+json"
log = logging.getLogger(__name__)


def _titles() -> dict[int, str]:
    return {
        400: _("请求有误"),
        401: _("需要有效的访问令牌"),
        403: _("没有权限"),
        404: _("找不到"),
        405: _("不支持的操作"),
        409: _("操作与当前状态冲突"),
        413: _("上传的文件太大"),
        422: _("提交的内容有误"),
        429: _("尝试次数过多"),
    }


def problem(status: int, detail: str | None = None, **extra: Any) -> Response:
    """A problem+json response: status, title in the reader's language, detail, and any members."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _titles().get(status, _("出错了")),
        "status": status,
    }
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = Response(json.dumps(body, ensure_ascii=False, default=_iso), status=status, mimetype=PROBLEM)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="supervise"'
    return response


def _iso(value: Any) -> Any:
    """Dates in a problem (a 409's ``current`` record) as the answers write them: ISO 8601, stored
    naive UTC times with their zone."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return current_app.json.default(value)  # type: ignore[attr-defined]  # the provider's own


def field_errors(messages: Any, prefix: str = "") -> list[dict[str, str]]:
    """Marshmallow's nested error dicts as a flat list of {field, message} (``findings.0.text``)."""
    found: list[dict[str, str]] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            found += field_errors(value, name)
    elif isinstance(messages, list | tuple):
        for value in messages:
            found += (
                field_errors(value, prefix)
                if not isinstance(value, str)
                else [{"field": prefix, "message": in_readers_language(value)}]
            )
    else:
        found.append({"field": prefix, "message": in_readers_language(str(messages))})
    return found


def handle_http(error: HTTPException) -> Response:
    if error.response is not None:  # abort(problem(...)): the problem is the answer
        return error.response  # type: ignore[return-value]
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    if messages:
        # webargs: {"json": {"field": [...]}} — the location is not part of the field's name
        flat = [e for location in messages.values() for e in field_errors(location)]
        return problem(422, _("请修改标出的字段后再提交。"), errors=flat)
    code = error.code or 500
    return problem(code, data.get("message") or _default_detail(code))


def _default_detail(code: int) -> str | None:
    signed_in = g.get("api_token") is not None
    return {
        401: _("请在 Authorization 头中提供有效的访问令牌（Bearer）。"),
        403: _("您的账号或令牌无权进行此操作。"),
        404: _("您要找的记录不存在，或不属于您的镇。") if signed_in else _("您要找的记录或地址不存在。"),
        405: _("此地址不接受这种请求方法（%(method)s）。", method=request.method),
        413: too_large_detail(),
    }.get(code)


def handle_domain_error(error: DomainError) -> Response:
    db.session.rollback()
    return problem(error.status_code, error.message)


def handle_unexpected(error: Exception) -> Response:
    log.exception("Unhandled API error on %s %s", request.method, request.path)
    db.session.rollback()
    return problem(500, _("我们已记录此错误，请稍后重试。"))


def register(blueprint: Any) -> None:
    """Every API blueprint answers its errors as problems."""
    blueprint.register_error_handler(HTTPException, handle_http)
    blueprint.register_error_handler(DomainError, handle_domain_error)
    blueprint.register_error_handler(Exception, handle_unexpected)
