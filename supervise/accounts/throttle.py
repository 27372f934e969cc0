"""Throttling of failed sign-ins, in Flask-Limiter's storage.

The storage is memory:// for one process and redis:// when several app servers must share counts.

Failures count per pair (account, address), never per account alone: nobody can lock the chair
out by typing wrong passwords, since the right password from another address still signs in at
once. A pair's first few failures are free (typing slips); after that each further failure makes
that pair wait, twice as long each time (5 s, 10 s, 20 s … at most 15 minutes, by default). An address also
has a limit of its own, against guessing across many accounts, high enough for an office behind
one NAT (100 failures in 15 minutes by default). Repeated failures are logged and kept in
``SignInFailure`` rows, which the administrator's home page shows.
"""

from __future__ import annotations

import logging
import math
import time
from datetime import timedelta

from flask import current_app, request
from flask_babel import gettext as _
from limits import parse
from sqlalchemy import func, select

from ..core.clock import utcnow
from ..extensions import db, limiter
from . import operations
from .models import SignInFailure, User

log = logging.getLogger(__name__)

PAIR_MEMORY_SECONDS = 24 * 3600  # a pair's failures are forgotten a day after its first one


def _pair(username: str) -> tuple[str, str]:
    return username.strip().lower()[:40], (request.remote_addr or "unknown")[:64]


def _keys(account: str, address: str) -> tuple[str, str]:
    """The pair's failure counter and its current wait, in the limiter's storage."""
    return f"login-failure/pair/{account}/{address}", f"login-wait/{account}/{address}"


def _address_limit():
    return parse(current_app.config["LOGIN_FAILURES_PER_ADDRESS"])


def wait_seconds(username: str) -> int:
    """How long this pair must wait before its password is checked again (0: not at all)."""
    account, address = _pair(username)
    _count_key, wait_key = _keys(account, address)
    waits = []
    if limiter.storage.get(wait_key):
        waits.append(limiter.storage.get_expiry(wait_key) - time.time())
    limit = _address_limit()
    if not limiter.limiter.test(limit, "login-failure", "address", address):
        reset, _remaining = limiter.limiter.get_window_stats(limit, "login-failure", "address", address)
        waits.append(reset - time.time())
    return max((max(1, math.ceil(wait)) for wait in waits), default=0)


def wait_message(seconds: int) -> str:
    """The refusal shown while a pair waits, in seconds or (from two minutes) in minutes."""
    if seconds < 120:
        return _("登录失败次数过多，请 %(n)s 秒后再试。", n=seconds)
    return _("登录失败次数过多，请 %(n)s 分钟后再试。", n=math.ceil(seconds / 60))


def _backoff(failures: int) -> int:
    """The wait after a pair's ``failures``-th failure: none while free, then doubling up to the cap."""
    config = current_app.config
    beyond = failures - config["LOGIN_FREE_FAILURES_PER_PAIR"]
    if beyond <= 0:
        return 0
    return min(
        config["LOGIN_BACKOFF_SECONDS"] * 2 ** min(beyond - 1, 20), config["LOGIN_BACKOFF_MAX_SECONDS"]
    )


def record_failure(username: str) -> None:
    """Count a failed sign-in for the pair and its address; a repeated one is logged and kept."""
    account, address = _pair(username)
    count_key, wait_key = _keys(account, address)
    if not limiter.limiter.hit(_address_limit(), "login-failure", "address", address):
        log.warning("sign-in failures: address %s reached its limit", address)
    failures = limiter.storage.incr(count_key, PAIR_MEMORY_SECONDS)
    wait = _backoff(failures)
    if wait:
        limiter.storage.clear(wait_key)
        limiter.storage.incr(wait_key, wait)
    free = current_app.config["LOGIN_FREE_FAILURES_PER_PAIR"]
    if failures >= free:
        shown = operations.shown_account(account)
        log.warning(
            "repeated sign-in failures: account=%s address=%s failures=%d wait=%ds",
            shown,
            address,
            failures,
            wait,
        )
        operations.record_sign_in_failures(shown, address, failures if failures == free else 1)


def clear_pair(username: str) -> None:
    """A successful sign-in forgets that pair's failures (not the address's, nor other pairs')."""
    for key in _keys(*_pair(username)):
        limiter.storage.clear(key)


def repeated_failures(days: int = 30, limit: int = 20) -> list[tuple[SignInFailure, User | None]]:
    """The pairs with repeated failures in the last ``days``, the latest first, each with the account
    its name belongs to (None: no such account), for the administrator."""
    since = utcnow() - timedelta(days=days)
    rows = db.session.execute(
        select(SignInFailure, User)
        .outerjoin(User, func.lower(User.username) == SignInFailure.account)
        .where(SignInFailure.last_at >= since)
        .order_by(SignInFailure.last_at.desc(), SignInFailure.id.desc())
        .limit(limit)
    )
    return [(failure, user) for failure, user in rows]
