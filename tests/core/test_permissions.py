"""Every route in the URL map × every role (and anonymous) gets the expected status.

A route missing from ROUTES fails test_every_route_has_an_entry, so new routes cannot slip through.
"""

from __future__ import annotations

import re

import pytest

from supervise.extensions import db
from supervise.org.models import LiaisonStation, StationLevel

ROLES = ("anonymous", "deputy", "government", "presidium", "county", "admin")


def statuses(anonymous=302, deputy=403, government=403, presidium=403, county=403, admin=403):
    return dict(
        anonymous=anonymous,
        deputy=deputy,
        government=government,
        presidium=presidium,
        county=county,
        admin=admin,
    )


EVERYONE = statuses(200, 200, 200, 200, 200, 200)
SIGNED_IN = statuses(302, 200, 200, 200, 200, 200)
MANAGERS = statuses(presidium=200, county=200, admin=200)
MANAGERS_POST = statuses(presidium=302, county=302, admin=302)
COUNTY_UP = statuses(county=200, admin=200)
COUNTY_UP_POST = statuses(county=302, admin=302)
ADMIN_ONLY = statuses(admin=200)
ADMIN_ONLY_POST = statuses(admin=302)
EVERYONE_REDIRECT = statuses(302, 302, 302, 302, 302, 302)

# (method, path with {placeholders}, form data, expected status per role)
ROUTES = [
    ("GET", "/healthz", None, EVERYONE),
    ("GET", "/public/", None, EVERYONE),
    ("GET", "/login", None, statuses(200, 302, 302, 302, 302, 302)),
    ("POST", "/login", {"username": "nobody", "password": "x"}, statuses(200, 302, 302, 302, 302, 302)),
    ("POST", "/logout", {}, EVERYONE_REDIRECT),
    ("POST", "/language", {"locale": "en"}, EVERYONE_REDIRECT),
    ("GET", "/", None, SIGNED_IN),
    ("GET", "/account/password", None, SIGNED_IN),
    ("POST", "/account/password", {}, SIGNED_IN),
    ("GET", "/manage/accounts/", None, MANAGERS),
    ("GET", "/manage/accounts/new", None, MANAGERS),
    ("POST", "/manage/accounts/new", {}, MANAGERS),
    ("GET", "/manage/accounts/{account}/edit", None, MANAGERS),
    ("POST", "/manage/accounts/{account}/edit", {}, MANAGERS),
    ("POST", "/manage/accounts/{account}/active", {"active": "0"}, MANAGERS_POST),
    ("GET", "/manage/deputies/import", None, MANAGERS),
    ("POST", "/manage/deputies/import", {}, MANAGERS),
    ("GET", "/manage/deputies/import/template.xlsx", None, MANAGERS),
]
for kind, record in (
    ("deputies", "deputy"),
    ("offices", "office"),
    ("stations", "station"),
    ("groups", "group"),
):
    ROUTES += [
        ("GET", f"/manage/{kind}/", None, MANAGERS),
        ("GET", f"/manage/{kind}/new", None, MANAGERS),
        ("POST", f"/manage/{kind}/new", {}, MANAGERS),
        ("GET", f"/manage/{kind}/{{{record}}}/edit", None, MANAGERS),
        ("POST", f"/manage/{kind}/{{{record}}}/edit", {}, MANAGERS),
        ("POST", f"/manage/{kind}/{{{record}}}/active", {"active": "0"}, MANAGERS_POST),
    ]
PRESIDIUM = statuses(presidium=200)
GOVERNMENT = statuses(government=200)
ROUTES += [
    ("GET", "/lists/", None, SIGNED_IN),
    ("GET", "/lists/new", None, PRESIDIUM),
    ("POST", "/lists/new", {}, PRESIDIUM),
    ("GET", "/lists/{list}", None, SIGNED_IN),
    ("POST", "/lists/{list}/confirm", {}, statuses(presidium=302)),
    ("GET", "/lists/{list}/items/new", None, PRESIDIUM),
    ("POST", "/lists/{list}/items/new", {}, PRESIDIUM),
    ("GET", "/lists/{list}/import", None, PRESIDIUM),
    ("POST", "/lists/{list}/import", {}, PRESIDIUM),
    ("GET", "/lists/{list}/import/template.xlsx", None, PRESIDIUM),
    ("GET", "/items/", None, SIGNED_IN),
    ("GET", "/items/export.xlsx", None, SIGNED_IN),
    ("GET", "/items/{item}", None, SIGNED_IN),
    ("GET", "/items/{item}/edit", None, PRESIDIUM),
    ("POST", "/items/{item}/edit", {}, PRESIDIUM),
    ("GET", "/items/{item}/actions/withdraw", None, PRESIDIUM),
    ("POST", "/items/{item}/actions/withdraw", {}, statuses(presidium=409)),
    ("GET", "/items/{item}/answer", None, GOVERNMENT),
    ("POST", "/items/{item}/answer", {}, GOVERNMENT),
]
ROUTES += [
    ("GET", "/manage/townships/", None, COUNTY_UP),
    ("GET", "/manage/townships/new", None, COUNTY_UP),
    ("GET", "/manage/townships/{township}/edit", None, COUNTY_UP),
    ("POST", "/manage/townships/{township}/edit", {}, COUNTY_UP),
    ("POST", "/manage/townships/{township}/active", {"active": "1"}, COUNTY_UP_POST),
    ("POST", "/manage/townships/new", {}, COUNTY_UP),
    ("GET", "/manage/counties/", None, ADMIN_ONLY),
    ("GET", "/manage/counties/new", None, ADMIN_ONLY),
    ("POST", "/manage/counties/new", {}, ADMIN_ONLY),
    ("GET", "/manage/counties/{county}/edit", None, ADMIN_ONLY),
    ("POST", "/manage/counties/{county}/edit", {}, ADMIN_ONLY),
    ("POST", "/manage/counties/{county}/active", {"active": "1"}, ADMIN_ONLY_POST),
]
CHAIR_AND_COUNTY = statuses(presidium=200, county=200, admin=200)
ROUTES += [
    ("GET", "/consultations/", None, SIGNED_IN),
    ("GET", "/consultations/new", None, PRESIDIUM),
    ("POST", "/consultations/new", {}, PRESIDIUM),
    ("GET", "/consultations/{consultation}", None, SIGNED_IN),
    ("GET", "/consultations/{consultation}/conclude", None, PRESIDIUM),
    ("POST", "/consultations/{consultation}/conclude", {}, PRESIDIUM),
    ("GET", "/activity-days/", None, SIGNED_IN),
    ("GET", "/activity-days/new", None, PRESIDIUM),
    ("POST", "/activity-days/new", {}, PRESIDIUM),
    ("GET", "/activity-days/{activity_day}", None, SIGNED_IN),
    ("GET", "/escalation", None, CHAIR_AND_COUNTY),
    ("POST", "/escalation/flag", {}, PRESIDIUM),
    ("POST", "/escalation/items/{item}/clear", {}, statuses(presidium=302)),
]
ROUTES += [
    ("GET", "/sheets/", None, SIGNED_IN),
    ("GET", "/sheets/new", None, PRESIDIUM),
    ("POST", "/sheets/new", {}, PRESIDIUM),
    ("GET", "/sheets/{sheet}", None, SIGNED_IN),
    ("GET", "/sheets/{sheet}/pdf", None, SIGNED_IN),
    ("GET", "/sheets/{draft_sheet}/edit", None, PRESIDIUM),
    ("POST", "/sheets/{draft_sheet}/edit", {}, PRESIDIUM),
    # The sheet is issued: verifying is the presidium's action, but not in this state.
    ("POST", "/sheets/{sheet}/actions/verify", {}, statuses(presidium=409)),
]

IGNORED_ENDPOINTS = {"static", "bootstrap.static"}


def _rule_pattern(rule: str) -> re.Pattern:
    return re.compile("^" + re.sub(r"<(?:[^:>]+:)?[^>]+>", r"[^/]+", rule) + "$")


def test_every_route_has_an_entry(app):
    covered = [(method, path.replace("{", "").replace("}", "")) for method, path, _d, _s in ROUTES]
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in IGNORED_ENDPOINTS:
            continue
        pattern = _rule_pattern(rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if not any(m == method and pattern.match(p) for m, p in covered):
                missing.append(f"{method} {rule.rule}")
    assert not missing, f"routes without an entry in the permission table: {missing}"


@pytest.fixture
def world(factory):
    """One township with one record of each kind, and a user of each role able to see it."""
    township = factory.default_township
    records = {
        "township": township.id,
        "county": township.county_id,
        "deputy": factory.deputy().id,
        "office": factory.office().id,
        "station": factory.station().id,
        "group": factory.group().id,
        "account": factory.user("government", username="target-clerk").id,
    }
    users = {role: factory.user(role) for role in ROLES if role != "anonymous"}
    item = factory.item("listed", kind="suggestion", lead_office_id=users["government"].office_id)
    records.update(item=item.id, list=item.list_id)
    records.update(meeting_records(township, users["presidium"], item))
    records.update(sheet_records(township, users["presidium"], users["government"].office_id, item))
    db.session.commit()
    return records, users


def meeting_records(township, chair, item) -> dict[str, int]:
    """An open consultation and an activity day of the township, made directly (no workflow needed)."""
    from datetime import date

    from supervise.meetings.models import ActivityDay, Consultation

    station = LiaisonStation(township_id=township.id, name="权限测试联络站", level=StationLevel.village)
    consultation = Consultation(township_id=township.id, held_on=date(2026, 5, 1), opened_by_id=chair.id)
    db.session.add_all([station, consultation])
    db.session.flush()
    activity_day = ActivityDay(
        township_id=township.id, station_id=station.id, held_on=date(2026, 5, 2), minutes="纪要", items=[item]
    )
    db.session.add(activity_day)
    db.session.flush()
    return {"consultation": consultation.id, "activity_day": activity_day.id}


def sheet_records(township, chair, office_id, item) -> dict[str, int]:
    """An issued follow-up sheet addressed to ``office_id`` and a draft, made directly."""
    from supervise.core.clock import utcnow
    from supervise.sheets.models import FollowUpSheet, SheetLine, SheetState

    issued = FollowUpSheet(
        township_id=township.id,
        title="权限测试督办单",
        state=SheetState.issued,
        year=2026,
        number=1,
        issued_at=utcnow(),
        issued_by_id=chair.id,
        lead_office_id=office_id,
        lines=[SheetLine(position=1, item_id=item.id, findings="进度滞后")],
    )
    draft = FollowUpSheet(township_id=township.id, title="权限测试草稿", lead_office_id=office_id)
    db.session.add_all([issued, draft])
    db.session.flush()
    return {"sheet": issued.id, "draft_sheet": draft.id}


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
