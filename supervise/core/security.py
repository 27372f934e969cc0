"""Security headers that also work over plain HTTP on an intranet (no HSTS, no upgrade-insecure-requests)."""

from __future__ import annotations

from flask import Flask, Response, abort, g, request, session

CSP = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def add_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if app.config.get("HTTPS"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        # A view that said no-store already (the API, for a token's answers) needs no asking.
        if not response.cache_control.no_store and _kept_from_caches(response):
            response.headers["Cache-Control"] = "no-store"
        return response


# Pages anyone may read, and the app's own assets: their views choose how they are cached.
SHARED_PREFIXES = ("/public/", "/static/")


def _kept_from_caches(response: Response) -> bool:
    """Whether a response must not be stored by any browser or proxy: everything a signed-in user
    gets, as office computers are shared (the next person must find nothing with Back or in the
    cache). The public pages and assets keep their caching, and so does a response its view made
    ``private`` on purpose (uploaded photos, kept an hour by that user's browser alone)."""
    # No query here: the session's user id says "signed in" also when no user was loaded (a page
    # served from the whole-page cache) or when the error page set the user aside.
    user = g.get("_login_user")
    if not (user is not None and user.is_authenticated) and not session.get("_user_id"):
        return False
    if request.path.startswith(SHARED_PREFIXES) or request.path == "/public":
        return False
    return not response.cache_control.private


def _holds_nul(value: object) -> bool:
    """A NUL anywhere in a JSON body: its strings, its keys, nested."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


def register_input_guard(app: Flask) -> None:
    """NUL characters cannot be typed and PostgreSQL cannot store them: refuse them in one place."""

    @app.before_request
    def refuse_nul_characters():
        if "\x00" in request.path:
            abort(404)  # no address has one
        values = list(request.args.values())
        if request.method in ("POST", "PUT", "PATCH"):
            values += [v for v in request.form.values()]
        if any("\x00" in v for v in values):
            abort(400)
        if request.is_json and _holds_nul(request.get_json(silent=True)):
            abort(400)
