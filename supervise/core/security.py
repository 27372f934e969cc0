"""Security headers that also work over plain HTTP on an intranet (no HSTS, no upgrade-insecure-requests)."""

from __future__ import annotations

from flask import Flask, Response, abort, request

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
        return response


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
