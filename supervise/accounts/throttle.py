"""Throttling of failed sign-ins per account and per address, in Flask-Limiter's storage.

The storage is memory:// for one process and redis:// when several app servers must share counts.
"""

from __future__ import annotations

from flask import current_app, request
from limits import parse

from ..extensions import limiter


def _limits():
    config = current_app.config
    return (
        ("account", parse(config["LOGIN_FAILURES_PER_ACCOUNT"])),
        ("address", parse(config["LOGIN_FAILURES_PER_ADDRESS"])),
    )


def _keys(username: str) -> dict[str, str]:
    return {"account": username.strip().lower(), "address": request.remote_addr or "unknown"}


def is_throttled(username: str) -> bool:
    keys = _keys(username)
    return any(
        not limiter.limiter.test(item, "login-failure", scope, keys[scope]) for scope, item in _limits()
    )


def record_failure(username: str) -> None:
    keys = _keys(username)
    for scope, item in _limits():
        limiter.limiter.hit(item, "login-failure", scope, keys[scope])


def clear_account(username: str) -> None:
    """A successful sign-in forgets that account's failures (not the address's)."""
    item = _limits()[0][1]
    limiter.limiter.clear(item, "login-failure", "account", _keys(username)["account"])
