"""The county sets each township's monthly report due day (default the 25th)."""

from __future__ import annotations

import pytest

from supervise.extensions import db


@pytest.mark.parametrize(
    "value,ok", [("20", True), ("31", True), ("0", False), ("32", False), ("abc", False)]
)
def test_the_due_day_is_a_day_of_the_month(client, login_as, factory, value, ok):
    login_as("county")
    township = factory.default_township
    db.session.commit()
    data = {
        "county_id": township.county_id,
        "name": township.name,
        "short_name": township.short_name,
        "slug": township.slug,
        "report_due_day": value,
    }
    response = client.post(f"/manage/townships/{township.id}/edit", data=data)
    db.session.refresh(township)
    if ok:
        assert response.status_code == 302 and township.report_due_day == int(value)
    else:
        assert response.status_code == 200 and township.report_due_day == 25
        assert f'value="{value}"' in response.get_data(as_text=True)
