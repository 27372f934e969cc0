"""A date no inspection can have been held on (later than today, before 2000) is a 422 field error
on ``held_on``, by the operations' rule (tests/inspections/test_held_on.py for the page)."""

from __future__ import annotations

from datetime import date

from supervise.core.clock import today
from supervise.extensions import db
from supervise.inspections.models import Inspection

IMPOSSIBLE = [date(1, 1, 1), date(1999, 12, 31), date(9999, 12, 31)]


def test_the_api_answers_a_field_error_on_held_on(api_as):
    api = api_as("deputy")
    body = {"method": "tour", "place": "东河村", "notes": "查看村道。"}
    body["participant_ids"] = [api.user.deputy_id]
    for day in IMPOSSIBLE:
        answer = api.post("/api/v1/inspections", json={**body, "held_on": day.isoformat(), "file": True})
        assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
        errors = {e["field"]: e["message"] for e in answer.get_json()["errors"]}
        assert day.isoformat() in errors["held_on"], errors
    assert db.session.execute(db.select(Inspection)).first() is None
    made = api.post("/api/v1/inspections", json={**body, "held_on": today().isoformat()})
    assert made.status_code == 201
    draft = made.get_json()
    changed = api.put(
        f"/api/v1/inspections/{draft['id']}",
        json={**body, "held_on": "9999-12-31", "version": draft["version"], "file": True},
    )
    assert changed.status_code == 422
    assert [e["field"] for e in changed.get_json()["errors"]] == ["held_on"]
    assert db.session.get(Inspection, draft["id"]).held_on == today()
