"""Absolute addresses of public pages, for what leaves the app on paper or on a phone: the notices'
QR codes, the phone ballot's address on the code slips."""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, request, url_for


def public_base_url() -> str:
    """SUPERVISE_PUBLIC_BASE_URL when configured (deployments behind a proxy), else this request's root."""
    configured = (current_app.config.get("PUBLIC_BASE_URL") or "").strip()
    if configured:
        return configured.rstrip("/") + "/"
    if has_request_context():
        return request.url_root
    return "http://localhost/"


def public_url(endpoint: str, **values: Any) -> str:
    """The absolute address of ``endpoint`` on the public base URL."""
    path = url_for(endpoint, **values)
    # url_for includes the script root (an app served under /renda/); so does the base URL.
    if has_request_context() and request.script_root and path.startswith(request.script_root):
        path = path[len(request.script_root) :]
    return public_base_url().rstrip("/") + path
