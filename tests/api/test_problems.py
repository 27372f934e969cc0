"""Every answer under /api/v1 is problem+json in the reader's language: addresses no view has,
methods an address does not take, ids out of range, and the libraries' field messages."""

from __future__ import annotations

import pytest

from supervise.extensions import db
from supervise.inspections.models import Inspection

PROBLEM = "application/problem+json"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/no-such-thing", 404),
        ("GET", "/api/v1/items/99999999999999999999", 404),  # beyond the id converter's range
        ("DELETE", "/api/v1/me", 405),
        ("PATCH", "/api/v1/public/townships", 405),
    ],
)
def test_an_address_or_method_no_view_has_is_a_problem_not_a_page(app, method, path, status):
    answer = app.test_client().open(path, method=method)
    assert answer.status_code == status
    assert answer.mimetype == PROBLEM
    body = answer.get_json()
    assert body["status"] == status and body["title"] and "<html" not in answer.get_data(as_text=True)


def test_the_pages_keep_their_html_error_page(app):
    answer = app.test_client().get("/no-such-page")
    assert answer.status_code == 404 and answer.mimetype == "text/html"


def test_a_visitor_is_not_told_about_their_township(app):
    detail = app.test_client().get("/api/v1/public/townships/no-such-town").get_json()["detail"]
    assert "您的镇" not in detail and "不存在" in detail


def test_a_signed_in_callers_404_says_it_may_be_another_townships(factory, api_as):
    api = api_as("deputy")
    assert "不属于您的镇" in api.get("/api/v1/items/424242").get_json()["detail"]


def test_a_405_names_the_method(app):
    detail = app.test_client().delete("/api/v1/me").get_json()["detail"]
    assert "DELETE" in detail


def test_field_messages_are_in_chinese_and_in_english_when_asked(api_as):
    api = api_as("deputy")
    body = {
        "method": "tour",
        "place": "村" * 201,
        "held_on": "昨天",
        "findings": [{"item_ids": ["x"]}],
        "extra": 1,
    }
    errors = {
        e["field"]: e["message"] for e in api.post("/api/v1/inspections", json=body).get_json()["errors"]
    }
    assert errors["place"] == "不能超过 200 个字。"
    assert errors["held_on"].startswith("应为 ISO 8601 日期")
    assert errors["findings.0.item_ids.0"] == "应为整数。"
    assert errors["extra"] == "没有这个字段。"
    headers = {**api.headers("english-key-1"), "Accept-Language": "en"}
    english = api.client.post("/api/v1/inspections", json=body, headers=headers).get_json()
    in_english = {e["field"]: e["message"] for e in english["errors"]}
    assert in_english["place"] == "At most 200 characters."
    assert in_english["extra"] == "Unknown field."


def test_a_message_of_our_own_passes_unchanged(api_as):
    api = api_as("deputy")
    refused = api.post("/api/v1/inspections", json={"method": "tour", "findings": [{"photo_ids": [777]}]})
    assert refused.status_code == 422
    assert "照片 [777] 不存在或不可用" in refused.get_json()["errors"][0]["message"]


def test_a_bad_cursor_is_said_in_chinese(api_as):
    api = api_as("deputy")
    error = api.get("/api/v1/me/items?cursor=xyz").get_json()["errors"][0]
    assert error == {"field": "cursor", "message": "不是这个列表的翻页游标（cursor）。"}


def test_create_and_file_in_one_write_leaves_no_draft_when_it_cannot_be_filed(api_as):
    api = api_as("deputy")
    key = "create-and-file-1"
    refused = api.post("/api/v1/inspections", key=key, json={"method": "tour", "file": True})
    assert refused.status_code == 409 and "请填写活动地点" in refused.get_json()["detail"]
    assert db.session.query(Inspection).count() == 0
    corrected = {
        "method": "tour",
        "held_on": "2026-06-01",
        "place": "东河村",
        "participant_ids": [api.user.deputy_id],
        "notes": "查看了村道",
        "file": True,
    }
    filed = api.post("/api/v1/inspections", key=key, json=corrected)  # the same key, corrected
    assert filed.status_code == 201, filed.get_json()
    assert filed.get_json()["state"] == "filed"
    again = api.post("/api/v1/inspections", key=key, json=corrected)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert db.session.query(Inspection).count() == 1


def test_the_docs_page_says_every_operation_in_the_readers_language(app):
    from supervise.api.docs import openapi_document, part_names, what_it_does

    with app.test_request_context():
        document = openapi_document()
        says, parts = what_it_does(), part_names()
    operations = {
        f"{method.upper()} {path}"
        for path, methods in document["paths"].items()
        for method in methods
        if method != "parameters"
    }
    assert operations == set(says), "a new operation needs its line in api/docs.py what_it_does()"
    assert {tag["name"] for tag in document["tags"]} == set(parts)
    client = app.test_client()
    chinese = client.get("/api/v1/docs").get_data(as_text=True)
    assert "提交完整的草稿：此后只读" in chinese and "监督活动（带照片）和月报反馈" in chinese
    english = client.get("/api/v1/docs", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "File a complete draft: from then on it is read-only" in english
    assert "提交完整的草稿" not in english
