"""Another township's meeting records are a 404, never a 403; presidium-only pages stay closed."""

from __future__ import annotations

from datetime import date

import pytest

from supervise.extensions import db
from supervise.meetings.models import ActivityDay, Consultation


@pytest.fixture
def foreign_records(factory):
    far = factory.township("涧池镇", county=factory.county("汉阴县"))
    item = factory.item("supervising", township=far, high_difficulty=True)
    consultation = Consultation(township_id=far.id, held_on=date(2026, 5, 1), items=[item])
    activity_day = ActivityDay(
        township_id=far.id,
        station_id=factory.station(far).id,
        held_on=date(2026, 5, 2),
        minutes="纪要",
        items=[item],
    )
    db.session.add_all([consultation, activity_day])
    db.session.flush()
    return {"item": item.id, "consultation": consultation.id, "activity_day": activity_day.id}


@pytest.mark.parametrize("role", ["presidium", "county", "government", "deputy"])
@pytest.mark.parametrize("path", ["/consultations/{consultation}", "/activity-days/{activity_day}"])
def test_another_townships_meeting_is_404(client, login_as, foreign_records, role, path):
    login_as(role)
    assert client.get(path.format(**foreign_records)).status_code == 404


def test_the_chair_cannot_touch_another_townships_records(client, login_as, foreign_records):
    login_as("presidium")
    assert client.get("/consultations/{consultation}/conclude".format(**foreign_records)).status_code == 404
    assert (
        client.post(
            "/consultations/{consultation}/conclude".format(**foreign_records), data={"measures": "x"}
        ).status_code
        == 404
    )
    assert client.post("/escalation/items/{item}/clear".format(**foreign_records)).status_code == 404
    assert db.session.get(Consultation, foreign_records["consultation"]).concluded_at is None


@pytest.mark.parametrize("role", ["presidium", "government", "deputy"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/consultations/{consultation}/conclude"),
        ("post", "/consultations/{consultation}/conclude"),
        ("post", "/escalation/items/{item}/clear"),
    ],
)
def test_presidium_only_addresses_are_404_for_every_role_of_another_township(
    client, login_as, foreign_records, role, method, path
):
    login_as(role)
    assert getattr(client, method)(path.format(**foreign_records)).status_code == 404


def test_lists_leave_out_other_townships(client, login_as, foreign_records):
    login_as("county")
    assert "涧池镇" not in client.get("/consultations/").get_data(as_text=True)
    assert "涧池镇" not in client.get("/activity-days/").get_data(as_text=True)
    assert "涧池镇" not in client.get("/escalation").get_data(as_text=True)
