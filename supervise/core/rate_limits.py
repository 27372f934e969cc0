"""Limits on what anyone may send without an account (residents' opinions, proposals), per address.

The counts live in Flask-Limiter's storage (RATELIMIT_STORAGE_URI: Redis when configured), so every
app server counts together. A form tests the limit before it writes and counts a hit only once the
submission was accepted: a form sent back with a mistake costs the resident nothing.
"""

from __future__ import annotations

from flask import current_app, request
from limits import parse

from ..extensions import limiter


def client_address() -> str:
    return request.remote_addr or "unknown"


def within_limit(config_key: str, scope: str) -> bool:
    """May this address send one more (the limit is the config value ``config_key``, e.g. "5/hour")?"""
    return bool(limiter.limiter.test(parse(current_app.config[config_key]), scope, client_address()))


def count_submission(config_key: str, scope: str) -> None:
    """Count one accepted submission of this address against its limit."""
    limiter.limiter.hit(parse(current_app.config[config_key]), scope, client_address())
