"""Several app processes share the failed-sign-in counts through Redis."""

from __future__ import annotations

import os
import uuid

from supervise import create_app
from supervise.extensions import db
from tests.conftest import IsolatedClient, make_config, require_or_skip

REDIS_URL = os.environ.get("SUPERVISE_TEST_REDIS_URL", "redis://127.0.0.1:6379")


def _redis_problem() -> str | None:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as error:  # any connection failure
        return f"Redis at {REDIS_URL} is not reachable: {error.__class__.__name__}"
    return None


def test_two_app_servers_share_failure_counts_in_redis():
    problem = _redis_problem()
    if problem:
        require_or_skip(problem)
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    cfg = type(
        "RedisConfig",
        (make_config("sqlite://"),),
        {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix},
    )
    first, second = create_app(cfg), create_app(cfg)
    for app in (first, second):
        app.test_client_class = IsolatedClient
    username = f"u{uuid.uuid4().hex[:12]}"
    for app in (first, second):
        with app.app_context():
            db.create_all()
    with first.app_context():  # five free failures of the pair, then a sixth that makes it wait
        for _ in range(3):
            first.test_client().post("/login", data={"username": username, "password": "wrong"})
    with second.app_context():
        for _ in range(3):
            second.test_client().post("/login", data={"username": username, "password": "wrong"})
        blocked = second.test_client().post("/login", data={"username": username, "password": "wrong"})
    assert blocked.status_code == 429
