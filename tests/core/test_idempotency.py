"""A creating form sent twice (a retry after a lost response) creates one record: the second POST
with the same submission key creates nothing and leads to what the first one created."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from supervise.core.clock import today, utcnow
from supervise.core.dates import month_of, shift_month
from supervise.core.idempotency import KEEP, SubmissionKey
from supervise.extensions import db
from supervise.inspections.models import Inspection
from supervise.lists.models import Item
from supervise.org.models import Deputy
from supervise.progress.models import MonthlyReport
from supervise.sheets.models import FollowUpSheet
from tests.helpers import count, hidden_value, text_of


@dataclass
class CreatingForm:
    role: str
    url: str
    data: dict[str, Any]
    model: type


def creating_form(kind: str, factory) -> CreatingForm:
    """One of the four creating forms, with valid data, in a township with what it needs."""
    if kind == "sheet":
        office = factory.office()
        return CreatingForm(
            "presidium",
            "/sheets/new",
            {"title": "关于桥梁的督办单", "lead_office_id": office.id},
            FollowUpSheet,
        )
    if kind == "inspection":
        return CreatingForm("deputy", "/inspections/new", {"method": "tour", "place": "东河村"}, Inspection)
    if kind == "item":
        supervision_list = factory.supervision_list("commitment", confirmed=False)
        return CreatingForm(
            "presidium", f"/lists/{supervision_list.id}/items/new", {"title": "集镇道路改造"}, Item
        )
    clerk = factory.user("government")
    supervisor = factory.user("deputy")
    item = factory.supervised_item(
        shift_month(month_of(today()), -3),
        lead_office_id=clerk.office_id,
        supervisors=[db.session.get(Deputy, supervisor.deputy_id)],
    )
    # A second report of the month is a correction, which says why (a first report ignores it).
    data = {"percent": "40", "done": "施工", "correction_reason": "补充"}
    return CreatingForm(clerk, f"/progress/items/{item.id}/report", data, MonthlyReport)


KINDS = ["sheet", "inspection", "item", "report"]


def _key_of(client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200
    return hidden_value(page.get_data(as_text=True), "submission_key")


@pytest.mark.parametrize("kind", KINDS)
def test_a_retry_with_the_same_key_creates_nothing_and_leads_to_the_first_record(
    app, factory, login_as, client, kind
):
    form = creating_form(kind, factory)
    db.session.commit()
    login_as(form.role)
    key = _key_of(client, form.url)
    assert len(key) >= 16
    first = client.post(form.url, data={**form.data, "submission_key": key})
    assert first.status_code == 302, text_of(first)[:400]
    assert count(form.model) == 1

    again = client.post(form.url, data={**form.data, "submission_key": key})
    assert again.status_code == 302
    assert again.location == first.location
    assert count(form.model) == 1
    assert "没有重复创建" in text_of(client.get(again.location, follow_redirects=True))


@pytest.mark.parametrize("kind", KINDS)
def test_each_render_of_the_form_is_a_new_submission(app, factory, login_as, client, kind):
    form = creating_form(kind, factory)
    db.session.commit()
    login_as(form.role)
    keys = [_key_of(client, form.url) for _ in range(2)]
    assert keys[0] != keys[1]
    for key in keys:
        assert client.post(form.url, data={**form.data, "submission_key": key}).status_code == 302
    assert count(form.model) == 2


def test_a_form_shown_again_with_errors_keeps_its_key_and_is_created_once(app, factory, login_as, client):
    form = creating_form("item", factory)
    db.session.commit()
    login_as(form.role)
    key = _key_of(client, form.url)
    refused = client.post(form.url, data={"title": "", "submission_key": key})
    assert refused.status_code == 200
    assert hidden_value(refused.get_data(as_text=True), "submission_key") == key
    assert count(SubmissionKey) == 0  # nothing was created, so nothing is remembered
    for _ in range(2):
        assert client.post(form.url, data={**form.data, "submission_key": key}).status_code == 302
    assert count(Item) == 1


def test_a_key_is_the_users_own(app, factory, client):
    """Another user's key (the same form sent from another account) is another submission."""
    form = creating_form("item", factory)
    one, other = factory.user("presidium"), factory.user("presidium")
    db.session.commit()
    key = "k" * 24
    for user in (one, other):
        client.post("/login", data={"username": user.username, "password": factory.PASSWORD})
        assert client.post(form.url, data={**form.data, "submission_key": key}).status_code == 302
        client.post("/logout")
    assert count(Item) == 2


def test_old_keys_expire(app, factory, login_as, client):
    form = creating_form("item", factory)
    db.session.commit()
    login_as(form.role)
    client.post(form.url, data={**form.data, "submission_key": "a" * 24})
    db.session.execute(update(SubmissionKey).values(created_at=utcnow() - KEEP - timedelta(minutes=1)))
    db.session.commit()
    # The old key no longer holds a record back, and claiming a new key deletes the old one.
    assert client.post(form.url, data={**form.data, "submission_key": "a" * 24}).status_code == 302
    assert count(Item) == 2
    assert count(SubmissionKey) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_two_simultaneous_posts_of_one_form_create_one_record(postgres_app, kind):
    """On PostgreSQL, where requests really run at once: the unique (user, key) makes one creation."""
    from tests.factories import Factory

    factory = Factory()
    form = creating_form(kind, factory)
    user = factory.user(form.role) if isinstance(form.role, str) else form.role
    db.session.commit()
    clients = []
    for _ in range(2):
        client = postgres_app.test_client()
        assert (
            client.post("/login", data={"username": user.username, "password": factory.PASSWORD}).status_code
            == 302
        )
        clients.append(client)
    key = "same-key-for-both-" + kind
    start = threading.Barrier(2)
    answers: list[Any] = []

    def send(client) -> None:
        with postgres_app.app_context():
            start.wait()
            try:
                response = client.post(form.url, data={**form.data, "submission_key": key})
                answers.append((response.status_code, response.location))
            except Exception as error:  # reported below; the thread must not swallow it
                answers.append(repr(error))

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [answer[0] for answer in answers] == [302, 302], answers
    assert answers[0][1] == answers[1][1]
    assert count(form.model) == 1
