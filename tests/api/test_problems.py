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
    assert refused.status_code == 422
    assert "请填写活动地点或选择联络站。" in [e["message"] for e in refused.get_json()["errors"]]
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


def test_a_409s_current_record_writes_its_dates_as_the_answers_do(api_as):
    api = api_as("deputy")
    body = {"method": "tour", "held_on": "2026-06-01", "place": "东河村"}
    draft = api.post("/api/v1/inspections", json=body).get_json()
    stale = api.put(f"/api/v1/inspections/{draft['id']}", json={**body, "version": draft["version"] + 5})
    assert stale.status_code == 409
    current = stale.get_json()["current"]
    assert current["held_on"] == "2026-06-01"
    assert current["created_at"] == draft["created_at"] and current["created_at"].endswith("Z")


def test_too_many_entries_are_counted_as_entries_not_characters(api_as):
    api = api_as("deputy")
    body = {"method": "tour", "findings": [{"text": "x"}] * 31}
    errors = api.post("/api/v1/inspections", json=body).get_json()["errors"]
    assert {"field": "findings", "message": "最多 30 项。"} in errors


def test_an_upload_takes_one_file_at_a_time(api_as):
    import io

    from tests.uploads.samples import png_bytes

    api = api_as("deputy")
    two = {"file": [(io.BytesIO(png_bytes()), "一.png"), (io.BytesIO(png_bytes()), "二.png")]}
    refused = api.post("/api/v1/uploads", data=two, content_type="multipart/form-data")
    assert refused.status_code == 422 and "一次只能上传一个文件" in refused.get_json()["errors"][0]["message"]


def test_a_nul_character_in_a_json_body_is_refused_before_the_database(api_as):
    api = api_as("deputy")
    refused = api.post("/api/v1/inspections", json={"method": "tour", "place": "东河\x00村"})
    assert refused.status_code == 400 and refused.mimetype == PROBLEM
    assert db.session.query(Inspection).count() == 0


def test_my_items_say_which_can_take_a_finding(factory, api_as):
    from supervise.org.models import Deputy

    api = api_as("deputy")
    deputy = db.session.get(Deputy, api.user.deputy_id)
    open_item = factory.item("supervising", supervisors=[deputy])
    ended = factory.item("withdrawn", supervisors=[deputy])
    db.session.commit()
    rows = {row["id"]: row for row in api.get("/api/v1/me/items").get_json()["items"]}
    assert rows[open_item.id]["takes_findings"] is True
    assert rows[ended.id]["takes_findings"] is False
