"""Accounts carry an optional email address for reminders; a malformed one is refused, typing kept."""

from __future__ import annotations

from supervise.extensions import db


def test_the_presidium_sets_a_clerks_email(client, login_as, factory):
    login_as("presidium")
    clerk = factory.user("government")
    db.session.commit()
    url = f"/manage/accounts/{clerk.id}/edit"
    bad = client.post(url, data={"display_name": "刘静", "office_id": clerk.office_id, "email": "liu@"})
    assert bad.status_code == 200
    page = bad.get_data(as_text=True)
    assert "电子邮箱的格式不对" in page and 'value="liu@"' in page
    good = client.post(
        url, data={"display_name": "刘静", "office_id": clerk.office_id, "email": " liu@example.gov.cn "}
    )
    assert good.status_code == 302
    db.session.refresh(clerk)
    assert clerk.email == "liu@example.gov.cn"
    # Clearing it stops emails: reminders stay in the app.
    client.post(url, data={"display_name": "刘静", "office_id": clerk.office_id, "email": ""})
    db.session.refresh(clerk)
    assert clerk.email == ""
