"""The route x role matrix of the API, with a write token of each role (anonymous: no token).

The same world as tests/core/test_permissions.py (one record of each kind in one township, a user of
each role able to see it); an API route missing here fails test_every_api_route_has_an_entry.
"""

from __future__ import annotations

import pytest

from supervise.extensions import db
from tests.core.permission_routes import statuses
from tests.core.permission_world import ROLES, build_world

from .conftest import ApiClient, new_key, token_for

EVERYONE = statuses(200, 200, 200, 200, 200, 200)
TOKEN_HOLDERS = statuses(401, 200, 200, 200, 200, 200)
NOT_FOUND = statuses(404, 404, 404, 404, 404, 404)
DRAFT = {"method": "tour"}

# (method, path, JSON body, expected status per role)
API_ROUTES = [
    ("GET", "/api/v1/openapi.json", None, EVERYONE),
    ("GET", "/api/v1/docs", None, EVERYONE),
    ("GET", "/api/v1/me", None, TOKEN_HOLDERS),
    ("GET", "/api/v1/me/items", None, statuses(401, 200, 200)),
    ("GET", "/api/v1/items/{item}", None, TOKEN_HOLDERS),
    # An upload without a file is the caller's field error; others may not upload at all.
    ("POST", "/api/v1/uploads", None, statuses(401, 422, 422, 422)),
    ("POST", "/api/v1/inspections", DRAFT, statuses(401, 201, 403, 201)),
    # Filed inspections are read by deputies, the presidium and the county; offices get sheets.
    ("GET", "/api/v1/inspections/{inspection}", None, statuses(401, 200, 404, 200, 200, 200)),
    # The deputy's own draft: theirs alone, a 404 to every other reader.
    ("GET", "/api/v1/inspections/{draft_inspection}", None, statuses(401, 200, 404, 404, 404, 404)),
    (
        "PUT",
        "/api/v1/inspections/{draft_inspection}",
        {**DRAFT, "version": 1},
        statuses(401, 200, 404, 404, 404, 404),
    ),
    # Found, but incomplete: a 422 naming what is missing.
    (
        "POST",
        "/api/v1/inspections/{draft_inspection}/file",
        {"version": 1},
        statuses(401, 422, 404, 404, 404, 404),
    ),
    ("POST", "/api/v1/reports/{report}/feedback", {"verdict": "confirm"}, statuses(401, 201)),
    ("GET", "/api/v1/sheets", None, statuses(401, government=200)),
    ("GET", "/api/v1/sheets/{sheet}", None, TOKEN_HOLDERS),
    ("POST", "/api/v1/sheets/{sheet}/acknowledge", {"version": 1}, statuses(401, government=200)),
    (
        "POST",
        "/api/v1/sheets/{sheet}/answer",
        {"version": 1, "measures": "已整改", "evidence": "照片"},
        statuses(401, government=409),  # an issued sheet is signed for before it is answered
    ),
    ("GET", "/api/v1/public/townships", None, EVERYONE),
    ("GET", "/api/v1/public/townships/{slug}/notices", None, EVERYONE),
    ("GET", "/api/v1/public/townships/{slug}/notices/{notice}", None, EVERYONE),
    ("GET", "/api/v1/public/townships/{slug}/evaluations", None, EVERYONE),
    ("GET", "/api/v1/public/townships/{slug}/evaluations/{notice}", None, NOT_FOUND),
    ("GET", "/api/v1/public/townships/{slug}/votes", None, EVERYONE),
    # The world's vote is set up, not published: a 404, as its public page.
    ("GET", "/api/v1/public/townships/{slug}/votes/{vote_year}", None, NOT_FOUND),
]


@pytest.fixture
def world(factory):
    return build_world(factory)


def test_every_api_route_has_an_entry(app):
    from tests.core.permission_routes import rule_pattern

    covered = [(method, path.replace("{", "").replace("}", "")) for method, path, _b, _s in API_ROUTES]
    missing = [
        f"{method} {rule.rule}"
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
        if not any(m == method and rule_pattern(rule.rule).match(p) for m, p in covered)
    ]
    assert not missing, f"API routes without an entry in the matrix: {missing}"


@pytest.mark.parametrize(
    "method,path,body,expected", API_ROUTES, ids=[f"{m} {p}" for m, p, _b, _e in API_ROUTES]
)
def test_api_route_status_for_every_role(app, world, method, path, body, expected):
    records, users = world
    secrets = {role: token_for(users[role]) for role in ROLES if role != "anonymous"}
    url = path.format(**records)
    wrong = {}
    for role in ROLES:
        api = ApiClient(app.test_client(), secrets.get(role))
        headers = api.headers(new_key() if method != "GET" else None)
        response = api.client.open(url, method=method, json=body, headers=headers)
        if response.status_code != expected[role]:
            wrong[role] = (response.status_code, response.get_data(as_text=True)[:200])
        if response.status_code >= 400 and url.startswith("/api/v1/") and "docs" not in url:
            assert response.mimetype == "application/problem+json", (role, response.mimetype)
        db.session.rollback()
    assert not wrong, f"{method} {url}: expected {expected}, got {wrong}"


@pytest.mark.parametrize("role", ["deputy", "government", "presidium", "county"])
def test_another_townships_records_are_404_through_the_api(app, world, factory, role):
    records, users = world
    foreign = factory.township("外镇", county=factory.county("别的县"))
    item = factory.item("supervising", township=foreign)
    db.session.commit()
    api = ApiClient(app.test_client(), token_for(users[role]))
    assert api.get(f"/api/v1/items/{item.id}").status_code == 404
