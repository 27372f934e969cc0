"""No page may load anything from outside the server: users are often on intranets without internet."""

from __future__ import annotations

import re

import pytest

from tests.core.permission_routes import ROUTES
from tests.core.permission_world import ROLES, build_world

EXTERNAL = re.compile(
    r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//""", re.I
)
PAGES = [path for method, path, _data, expected in ROUTES if method == "GET" and 200 in expected.values()]


@pytest.mark.parametrize("role", ROLES)
def test_rendered_pages_reference_only_this_server(app, factory, role):
    records, users = build_world(factory)
    client = app.test_client()
    if role != "anonymous":
        client.post("/login", data={"username": users[role].username, "password": factory.PASSWORD})
    checked = 0
    for path in PAGES + ["/no-such-page"]:
        response = client.get(path.format(**records))
        if response.mimetype != "text/html":
            continue
        body = response.get_data(as_text=True)
        assert not EXTERNAL.search(body), (
            f"{path} as {role} refers outside the server: {EXTERNAL.search(body)}"
        )
        checked += 1
    assert checked >= 3


def test_bootstrap_is_served_by_the_app(client):
    body = client.get("/login").get_data(as_text=True)
    css = re.search(r'href="(/bootstrap/static/[^"]+\.css)"', body).group(1)
    js = re.search(r'src="(/bootstrap/static/[^"]+\.js)"', body).group(1)
    assert client.get(css).status_code == 200
    assert client.get(js).status_code == 200
