"""Every API write is carried out once per Idempotency-Key: a repeat gets the first answer."""

from __future__ import annotations

import threading
from typing import Any

from supervise.api.idempotency import ApiIdempotencyKey
from supervise.extensions import db
from supervise.inspections.models import Inspection
from supervise.uploads.models import Attachment
from tests.conftest import own_app
from tests.helpers import count

from .conftest import ApiClient, token_for
from .test_field_and_sheets import _upload


def test_the_same_key_twice_returns_the_first_answer_and_writes_nothing(api_as):
    api = api_as("deputy")
    first = api.post("/api/v1/inspections", key="offline-0001", json={"method": "tour", "place": "东河村"})
    again = api.post("/api/v1/inspections", key="offline-0001", json={"method": "tour", "place": "东河村"})
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]
    assert count(Inspection) == 1


def test_an_upload_sent_twice_with_its_key_is_stored_once(api_as):
    api = api_as("deputy")
    first, again = _upload(api, key="photo-key-01"), _upload(api, key="photo-key-01")
    assert first.status_code == again.status_code == 201
    assert first.get_json()["id"] == again.get_json()["id"]
    assert count(Attachment) == 1


def test_the_same_key_with_another_request_is_refused(api_as):
    api = api_as("deputy")
    api.post("/api/v1/inspections", key="offline-0002", json={"method": "tour"})
    other = api.post("/api/v1/inspections", key="offline-0002", json={"method": "unannounced"})
    assert other.status_code == 422 and other.mimetype == "application/problem+json"
    assert count(Inspection) == 1


def test_keys_are_each_users_own(api_as):
    one, two = api_as("deputy"), api_as("deputy")
    assert one.post("/api/v1/inspections", key="shared-key-1", json={"method": "tour"}).status_code == 201
    assert two.post("/api/v1/inspections", key="shared-key-1", json={"method": "tour"}).status_code == 201
    assert count(Inspection) == 2


def test_a_refused_write_keeps_no_key_so_the_corrected_record_can_be_sent(factory, api_as):
    api = api_as("deputy")
    refused = api.post(
        "/api/v1/inspections", key="fix-me-0001", json={"method": "tour", "participant_ids": [999]}
    )
    assert refused.status_code == 409
    assert count(ApiIdempotencyKey) == 0
    sent = api.post("/api/v1/inspections", key="fix-me-0001", json={"method": "tour"})
    assert sent.status_code == 201


def test_a_write_without_a_key_is_refused(api_as):
    api = api_as("deputy")
    answer = api.client.post("/api/v1/inspections", json={"method": "tour"}, headers=api.headers())
    assert answer.status_code == 400 and "Idempotency-Key" in answer.get_json()["detail"]
    assert count(Inspection) == 0


def test_a_key_claimed_by_a_request_still_running_is_409(app, factory):
    user = factory.user("deputy")
    api = ApiClient(app.test_client(), token_for(user))
    body = {"method": "tour"}
    # What a simultaneous request leaves while it runs: its claim, without an answer yet.
    with app.test_request_context("/api/v1/inspections", method="POST", json=body):
        from supervise.api.idempotency import fingerprint

        seen = fingerprint()
    db.session.add(ApiIdempotencyKey(user_id=user.id, key="running-0001", fingerprint=seen))
    db.session.commit()
    answer = api.post("/api/v1/inspections", key="running-0001", json=body)
    assert answer.status_code == 409 and answer.mimetype == "application/problem+json"
    assert count(Inspection) == 0


def _at_once(app, api: ApiClient, key: str, body: dict) -> list[Any]:
    start = threading.Barrier(2)
    answers: list[Any] = []

    def send() -> None:
        client = app.test_client()
        with app.app_context():
            start.wait()
            try:
                response = client.post("/api/v1/inspections", json=body, headers=api.headers(key))
                answers.append((response.status_code, response.get_json()))
            except Exception as error:  # reported below; the thread must not swallow it
                answers.append(repr(error))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def _one_record_from_two_at_once(app) -> None:
    from tests.factories import Factory

    user = Factory().user("deputy")
    api = ApiClient(app.test_client(), token_for(user))
    answers = _at_once(app, api, "same-key-at-once", {"method": "tour", "place": "同时"})
    statuses = sorted(answer[0] for answer in answers)
    # One wins; the other gets its stored answer, or a 409 while it still runs: never a second record.
    assert statuses in ([201, 201], [201, 409]), answers
    if statuses == [201, 201]:
        assert answers[0][1] == answers[1][1]
    db.session.rollback()
    assert count(Inspection) == 1


def test_two_simultaneous_writes_with_one_key_make_one_record_on_postgresql(postgres_app):
    _one_record_from_two_at_once(postgres_app)


def test_two_simultaneous_writes_with_one_key_make_one_record_on_sqlite(tmp_path):
    """A database file, where two connections really write at once (the shared test app is in memory)."""
    with own_app(f"sqlite:///{tmp_path}/at_once.db") as app:
        _one_record_from_two_at_once(app)
