"""Fixtures of the API tests: a bearer token for a user, and a client that sends it."""

from __future__ import annotations

import itertools

import pytest

from supervise.accounts.operations import create_api_token
from supervise.accounts.tokens import TokenScope
from supervise.extensions import db

_keys = itertools.count(1)


def new_key() -> str:
    return f"test-key-{next(_keys):06d}"


class ApiClient:
    """The Flask test client with a token: ``api.get(path)``, ``api.post(path, json=..., key=...)``."""

    def __init__(self, client, secret: str | None):
        self.client = client
        self.secret = secret

    def headers(self, key: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.secret}"} if self.secret else {}
        if key:
            headers["Idempotency-Key"] = key
        return headers

    def get(self, path: str, **kwargs):
        return self.client.get(path, headers=self.headers(), **kwargs)

    def write(self, method: str, path: str, key: str | None = None, **kwargs):
        return self.client.open(path, method=method, headers=self.headers(key or new_key()), **kwargs)

    def post(self, path: str, key: str | None = None, **kwargs):
        return self.write("POST", path, key, **kwargs)

    def put(self, path: str, key: str | None = None, **kwargs):
        return self.write("PUT", path, key, **kwargs)


def token_for(user, scope: str = "write") -> str:
    _token, secret = create_api_token(user, "测试", TokenScope(scope))
    db.session.commit()
    return secret


@pytest.fixture
def api_as(app, factory):
    """``api_as(user_or_role, scope="write")``: an ApiClient signed in by a new token of that user."""

    def make(who, scope: str = "write") -> ApiClient:
        user = factory.user(who) if isinstance(who, str) else who
        db.session.commit()
        client = ApiClient(app.test_client(), token_for(user, scope))
        client.user = user  # type: ignore[attr-defined]
        return client

    return make
