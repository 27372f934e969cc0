"""Every route in the URL map × every role (and anonymous) gets the expected status.

A route missing from ROUTES fails test_every_route_has_an_entry, so new routes cannot slip through.
"""

from __future__ import annotations

import pytest

from supervise.extensions import db

from .permission_routes import IGNORED_ENDPOINTS, ROUTES, rule_pattern
from .permission_world import ROLES, build_world


def test_every_route_has_an_entry(app):
    covered = [(method, path.replace("{", "").replace("}", "")) for method, path, _d, _s in ROUTES]
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in IGNORED_ENDPOINTS:
            continue
        pattern = rule_pattern(rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if not any(m == method and pattern.match(p) for m, p in covered):
                missing.append(f"{method} {rule.rule}")
    assert not missing, f"routes without an entry in the permission table: {missing}"


@pytest.fixture
def world(factory):
    return build_world(factory)


@pytest.mark.parametrize("method,path,data,expected", ROUTES, ids=[f"{m} {p}" for m, p, _d, _e in ROUTES])
def test_route_status_for_every_role(app, world, method, path, data, expected):
    records, users = world
    url = path.format(**records)
    wrong = {}
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            signed = client.post(
                "/login", data={"username": users[role].username, "password": "correct-horse-battery"}
            )
            assert signed.status_code == 302
        response = client.open(url, method=method, data=data)
        if response.status_code != expected[role]:
            wrong[role] = response.status_code
        db.session.rollback()
    assert not wrong, f"{method} {url}: expected {expected}, got {wrong}"


FOREIGN_PATHS = [
    "/manage/deputies/{deputy}/edit",
    "/manage/offices/{office}/edit",
    "/manage/stations/{station}/edit",
    "/manage/groups/{group}/edit",
    "/manage/accounts/{account}/edit",
    "/manage/townships/{township}/edit",
]


@pytest.mark.parametrize("path", FOREIGN_PATHS)
@pytest.mark.parametrize("role", ["presidium", "county"])
def test_another_townships_record_is_404(app, factory, login_as, client, role, path):
    other_county = factory.county("别的县")
    other = factory.township("外镇", county=other_county)
    records = {
        "deputy": factory.deputy(other).id,
        "office": factory.office(other).id,
        "station": factory.station(other).id,
        "group": factory.group(other).id,
        "account": factory.user("government", township=other).id,
        "township": other.id,
    }
    login_as(role)
    if role == "presidium" and "townships" in path:
        expected = 403  # the presidium has no township management at all
    else:
        expected = 404
    assert client.get(path.format(**records)).status_code == expected
    assert (
        client.post(path.format(**records).replace("/edit", "/active"), data={"active": "0"}).status_code
        == expected
    )
