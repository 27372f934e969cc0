"""Domain errors and the error pages (403/404/409/500) in the user's language, never with a stack trace."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import (
    Flask,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
)
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from ..extensions import db, login_manager

log = logging.getLogger(__name__)


class DomainError(Exception):
    """An operation refused because of the record's state; shown as HTTP 409 with its message."""

    status_code = 409

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PermissionDenied(DomainError):
    status_code = 403


def flush_or_refuse(message: str) -> None:
    """Flush in a savepoint; where a unique key says another request got there first, refuse with
    ``message`` (the request's own earlier changes stay, for the request to roll back or commit)."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:
        raise DomainError(message) from error


@contextmanager
def stale_refused(message: str) -> Iterator[None]:
    """Run the block; a write that lost the race to another request (a row's version changed since
    it was read) becomes the refusal ``message``, for ``refusal_shows`` to show."""
    try:
        yield
    except StaleDataError as error:
        raise DomainError(message) from error


@contextmanager
def refusal_shows(page: Callable[[DomainError], ResponseReturnValue]) -> Iterator[None]:
    """Run the block; if an operation refuses (DomainError), roll back and answer with ``page(error)``.

    The one place where a view turns a refusal into the page the user came from, with the
    message and the error's status (409, or 403), instead of a bare error page::

        with refusal_shows(lambda error: _detail_page(meeting, error.message, error.status_code)):
            operations.open_voting(meeting, current_user)
    """
    try:
        yield
    except DomainError as error:
        db.session.rollback()
        abort(make_response(page(error)))


def form_refused(
    form: Any, template: str | Callable[[int], ResponseReturnValue], **context: Any
) -> Callable[[DomainError], ResponseReturnValue]:
    """A ``refusal_shows`` page: the form again, as typed, with the refusal as its form-level error.

    ``template`` is the page's template (rendered with ``form`` and ``context``), or a function that
    renders the page with a given status.
    """

    def page(error: DomainError) -> ResponseReturnValue:
        form.form_errors.append(error.message)
        if callable(template):
            return template(error.status_code)
        return render_template(template, form=form, **context), error.status_code

    return page


def page_refused(
    page: Callable[..., ResponseReturnValue], *args: Any, **context: Any
) -> Callable[[DomainError], ResponseReturnValue]:
    """A ``refusal_shows`` page: the page the user came from, ``page(*args, **context)`` with the
    refusal as its ``error``, answered with the error's status (409, or 403)::

        with refusal_shows(page_refused(_detail_page, sheet, forms={action: form})):
    """

    def refused(error: DomainError) -> ResponseReturnValue:
        response = make_response(page(*args, **context, error=error.message))
        response.status_code = error.status_code
        return response

    return refused


def flashed_back_to(url: str) -> Callable[[DomainError], ResponseReturnValue]:
    """A ``refusal_shows`` page for one-click actions: back to ``url`` with the refusal flashed."""

    def page(error: DomainError) -> ResponseReturnValue:
        flash(error.message, "danger")
        return redirect(url)

    return page


def wants_json() -> bool:
    """The client asks for JSON (a page's script, e.g. the roll call's), not a page."""
    return request.accept_mimetypes.best == "application/json"


def _render(code: int, message: str | None = None, **context: Any) -> ResponseReturnValue:
    titles = {
        400: _("请求有误"),
        403: _("没有权限"),
        404: _("找不到页面"),
        405: _("不支持的操作"),
        409: _("操作与当前状态冲突"),
        413: _("上传的文件太大"),
        429: _("尝试次数过多"),
        500: _("系统出错了"),
    }
    title = titles.get(code, _("出错了"))
    if request.path.startswith("/healthz") or wants_json():
        return jsonify(error=title, message=message), code
    page = render_template("errors/error.html", code=code, title=title, message=message, **context)
    return page, code


def _locale_without_query() -> str:
    """The page's language, read from what is already in memory: the signed-in user's loaded
    ``locale``, else the session's choice, else Chinese."""
    user = g.get("_login_user")
    state = inspect(user, raiseerr=False) if user is not None else None
    loaded = state.dict.get("locale") if state is not None else None
    return loaded or session.get("locale") or current_app.config["BABEL_DEFAULT_LOCALE"]


def _forget_the_database() -> None:
    """After an unexpected error the session may be broken (a lost connection, a failed flush), and
    a query on it fails again, inside the error page. Roll back, and show the page as to a visitor
    (Flask-Login's ``g._login_user``): the layout's menu and bell then read nothing from the database."""
    try:
        db.session.rollback()
    except Exception:  # a connection that cannot even roll back: drop it, the pool makes a new one
        log.exception("Rolling back after an error failed")
        db.session().invalidate()
    g._login_user = login_manager.anonymous_user()


def _size(size: int) -> str:
    """A byte limit as people read it: 60 MB, 10 MB, 4 KB."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip(".") + " MB"
    return f"{max(size // 1024, 1)} KB"


def too_large_detail() -> str:
    """A request over MAX_CONTENT_LENGTH: that nothing of it was kept, and the two limits (of the
    request and of each file), as the pages and the API say it."""
    config = current_app.config
    return " ".join(
        (
            _("上传的文件超过了大小限制。"),
            _(
                "这次提交的内容（包括填写的文字）都没有保存：一次提交的文件合计不能超过 %(request)s，"
                "每个文件不能超过 %(file)s。",
                request=_size(config.get("MAX_CONTENT_LENGTH") or 0),
                file=_size(config.get("UPLOAD_MAX_BYTES") or 0),
            ),
        )
    )


def _too_large_message() -> str:
    """A request over MAX_CONTENT_LENGTH never reached the form: say that nothing was kept, the
    limits, and what to do (a deputy on a phone has just lost what was typed with the photos)."""
    return " ".join((too_large_detail(), _("请返回上一页，少选几个文件或换用小一些的照片，分几次提交。")))


ERROR_ANSWERS = "supervise_error_answers"


def answer_errors_under(
    app: Flask, prefix: str, answer: Callable[[HTTPException], ResponseReturnValue]
) -> None:
    """Errors at addresses under ``prefix`` that reach the app rather than a blueprint (a path no
    view has, a method it does not take, an id out of range) answered by ``answer``: the API says
    them as problem+json, not as an HTML page."""
    app.extensions.setdefault(ERROR_ANSWERS, {})[prefix] = answer


def register_errorhandlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError) -> ResponseReturnValue:
        db.session.rollback()
        return _render(error.status_code, error.message)

    @app.errorhandler(CSRFError)
    def handle_csrf(error: CSRFError) -> ResponseReturnValue:
        return _render(400, _("页面已过期或来源不明，请刷新页面后重新提交。"))

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException) -> ResponseReturnValue:
        for prefix, answer in app.extensions.get(ERROR_ANSWERS, {}).items():
            if request.path.startswith(prefix):
                return answer(error)
        if error.code == 500:  # Flask's wrapper of an error outside the view (a failed commit)
            return _unexpected_error_page()
        messages = {
            400: _("提交的内容无法处理，请返回重试。"),
            403: _("您的账号无权进行此操作。"),
            404: _("您要找的页面不存在，或不属于您的镇。"),
            405: _("此地址不接受这种请求。"),
            413: _too_large_message,
            429: _("请稍后再试。"),
        }
        message = messages.get(error.code or 500)
        return _render(error.code or 500, message() if callable(message) else message)

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception) -> ResponseReturnValue:
        log.exception("Unhandled error on %s %s", request.method, request.path)
        return _unexpected_error_page()


def _unexpected_error_page() -> ResponseReturnValue:
    """The 500 page, rendered without another query: the session may be what failed."""
    locale = _locale_without_query()
    _forget_the_database()
    with force_locale(locale):
        message = _("我们已记录此错误。您输入的内容没有保存，请稍后重试。")
        return _render(500, message, without_database=True)
