"""Who is calling the API: the bearer token's user, never the session cookie.

``load_token_user`` runs before every API request and puts the token's user (or a visitor) where
Flask-Login keeps the current user, so the domains' predicates (``current_user.supervises(item)``,
``get_visible_or_404``) work unchanged; the cookie's session is never loaded. The pages never look
at an ``Authorization`` header, so a token opens no page.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import wraps
from typing import Any

from flask import Response, g, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import abort

from ..accounts.models import Anonymous
from ..accounts.tokens import ApiToken, TokenScope, active_token
from ..core.permissions import Role
from .answers import kept_response


def load_token_user() -> Response | None:
    """The token's user as the current user, or the operation's kept answer (``answers.py``)."""
    g._login_user = Anonymous()
    g.api_token = None
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    bearer = secret.strip() if scheme.lower() == "bearer" else ""
    kept = kept_response(bearer or None)
    if kept is not None or not bearer:
        return kept
    token = active_token(bearer)
    if token is None:
        abort(401)
    token.record_use()
    g.api_token = token
    g._login_user = token.user


def keep_from_caches(response: Response) -> Response:
    """A token's answers are its user's own: never stored by a browser or proxy, as every page of a
    signed-in user (core/security.py). Said before the commit, which expires the token's user: asking
    the user afterwards would load it again."""
    if current_token() is not None:
        response.headers["Cache-Control"] = "no-store"
    return response


def current_token() -> ApiToken | None:
    return g.get("api_token")


def token_required(scope: TokenScope, roles: Collection[Role] | None = None) -> Callable:
    """A token with this scope (401 without one, 403 with a read token on a write), of these roles."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            token = current_token()
            if token is None:
                abort(401)
            if not token.allows(scope):
                abort(403, message=_("这个令牌只能读取，不能修改数据。请使用读写令牌。"))
            if roles is not None and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
