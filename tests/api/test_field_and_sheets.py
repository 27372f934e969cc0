"""The API's reads and writes: my items, an item's timeline, inspections with photos, feedback,
follow-up sheets; another township's record is a 404; a changed record is a 409 with what changed."""

from __future__ import annotations

import io
import itertools
from datetime import date

from supervise.core.clock import utcnow
from supervise.extensions import db
from supervise.inspections.models import Inspection, InspectionState
from supervise.notices.models import PublicNotice
from supervise.org.models import Deputy
from supervise.progress.models import ReportFeedback
from supervise.sheets.models import FollowUpSheet, SheetLine, SheetState
from tests.helpers import count
from tests.uploads.samples import png_bytes


def _supervised(factory, deputy_user):
    deputy = db.session.get(Deputy, deputy_user.deputy_id)
    item = factory.item("supervising", supervisors=[deputy])
    report = factory.report_row(item)
    db.session.commit()
    return item, report


def test_my_items_are_the_deputys_supervised_items_with_their_reports(factory, api_as):
    api = api_as("deputy")
    item, report = _supervised(factory, api.user)
    factory.item("supervising")  # someone else's
    db.session.commit()
    answer = api.get("/api/v1/me/items")
    assert answer.status_code == 200
    rows = answer.get_json()["items"]
    assert [row["id"] for row in rows] == [item.id]
    assert rows[0]["reports"][0]["id"] == report.id
    assert rows[0]["reports"][0]["month"] == report.month.isoformat()


def test_my_items_of_a_clerk_are_the_offices_led_items_paged_by_cursor(factory, api_as):
    api = api_as("government")
    ids = [factory.item("listed", lead_office_id=api.user.office_id).id for _ in range(3)]
    factory.item("listed")
    db.session.commit()
    first = api.get("/api/v1/me/items?limit=2").get_json()
    second = api.get(f"/api/v1/me/items?limit=2&cursor={first['next_cursor']}").get_json()
    assert [r["id"] for r in first["items"] + second["items"]] == ids
    assert second["next_cursor"] is None
    bad = api.get("/api/v1/me/items?cursor=xyz")
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "cursor"


def test_an_item_with_its_timeline_and_another_townships_item_is_404(factory, api_as):
    api = api_as("presidium")
    item = factory.item("listed")
    other = factory.item("listed", township=factory.township("外镇"))
    db.session.commit()
    answer = api.get(f"/api/v1/items/{item.id}")
    assert answer.status_code == 200 and answer.get_json()["code"] == item.code
    assert isinstance(answer.get_json()["timeline"], list)
    missing = api.get(f"/api/v1/items/{other.id}")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"


def _upload(api, key=None):
    return api.post(
        "/api/v1/uploads",
        key=key,
        data={"file": (io.BytesIO(png_bytes()), "现场.png")},
        content_type="multipart/form-data",
    )


def test_an_inspection_is_drafted_with_photos_updated_and_filed(factory, api_as):
    api = api_as("deputy")
    item = factory.item("supervising")
    db.session.commit()
    photo = _upload(api)
    assert photo.status_code == 201, photo.get_json()
    body = {
        "method": "tour",
        "held_on": "2026-06-01",
        "place": "东河村",
        "participant_ids": [api.user.deputy_id],
        "findings": [{"text": "路面破损", "item_ids": [item.id], "photo_ids": [photo.get_json()["id"]]}],
    }
    made = api.post("/api/v1/inspections", json=body)
    assert made.status_code == 201, made.get_json()
    draft = made.get_json()
    assert draft["state"] == "draft" and draft["findings"][0]["photo_ids"] == [photo.get_json()["id"]]
    assert made.headers["Location"].endswith(f"/api/v1/inspections/{draft['id']}")
    changed = api.put(
        f"/api/v1/inspections/{draft['id']}", json={**body, "place": "西河村", "version": draft["version"]}
    )
    assert changed.status_code == 200 and changed.get_json()["place"] == "西河村"
    assert changed.get_json()["findings"][0]["photo_ids"] == [photo.get_json()["id"]]
    stale = api.post(f"/api/v1/inspections/{draft['id']}/file", json={"version": draft["version"]})
    assert stale.status_code == 409
    assert stale.get_json()["current"]["place"] == "西河村"
    filed = api.post(
        f"/api/v1/inspections/{draft['id']}/file", json={"version": changed.get_json()["version"]}
    )
    assert filed.status_code == 200 and filed.get_json()["state"] == "filed"
    assert db.session.get(Inspection, draft["id"]).state is InspectionState.filed


def test_field_errors_are_a_problem_with_the_fields(api_as):
    api = api_as("deputy")
    refused = api.post("/api/v1/inspections", json={"method": "picnic", "findings": [{"item_ids": ["x"]}]})
    assert refused.status_code == 422
    assert refused.mimetype == "application/problem+json"
    fields = {e["field"] for e in refused.get_json()["errors"]}
    assert {"method", "findings.0.item_ids.0"} <= fields


def test_filing_an_incomplete_draft_is_a_422_naming_what_is_missing(api_as):
    api = api_as("deputy")
    draft = api.post("/api/v1/inspections", json={"method": "tour"}).get_json()
    refused = api.post(f"/api/v1/inspections/{draft['id']}/file", json={"version": draft["version"]})
    assert refused.status_code == 422
    missing = [e["message"] for e in refused.get_json()["errors"] if e["field"] == "missing_for_filing"]
    assert "请填写活动地点或选择联络站。" in missing and "请选择参加活动的代表。" in missing


def test_another_deputys_draft_is_404(factory, api_as):
    author = api_as("deputy")
    draft = author.post("/api/v1/inspections", json={"method": "tour"}).get_json()
    other = api_as("deputy")
    assert other.get(f"/api/v1/inspections/{draft['id']}").status_code == 404
    assert (
        other.put(f"/api/v1/inspections/{draft['id']}", json={"method": "tour", "version": 1}).status_code
        == 404
    )


def test_feedback_on_a_report_by_its_supervisor_only(factory, api_as):
    api = api_as("deputy")
    _item, report = _supervised(factory, api.user)
    given = api.post(
        f"/api/v1/reports/{report.id}/feedback", json={"verdict": "dispute", "comment": "进度不实"}
    )
    assert given.status_code == 201 and given.get_json()["verdict"] == "dispute"
    no_comment = api.post(f"/api/v1/reports/{report.id}/feedback", json={"verdict": "dispute"})
    assert no_comment.status_code == 409
    stranger = api_as("deputy")
    assert (
        stranger.post(f"/api/v1/reports/{report.id}/feedback", json={"verdict": "confirm"}).status_code == 403
    )
    assert count(ReportFeedback) == 1


def test_feedback_on_a_withdrawn_items_report_is_a_409_saying_why(factory, api_as):
    from supervise.lists import operations as item_ops

    api = api_as("deputy")
    item, report = _supervised(factory, api.user)
    item_ops.fire(factory.user("presidium"), item, "withdraw", reason="已由县里统一实施。")
    db.session.commit()
    refused = api.post(f"/api/v1/reports/{report.id}/feedback", json={"verdict": "confirm"})
    assert refused.status_code == 409 and refused.mimetype == "application/problem+json"
    assert refused.get_json()["detail"] == "事项处于“已撤销”状态，监督已结束，不再接受对月报的反馈。"
    assert count(ReportFeedback) == 0


_numbers = itertools.count(1)


def _issued_sheet(factory, office_id, township=None):
    item = factory.item("supervising", township=township)
    chair = factory.user("presidium", township=township)
    sheet = FollowUpSheet(
        township_id=item.township_id,
        title="督办",
        state=SheetState.issued,
        year=2026,
        number=next(_numbers),
        issued_at=utcnow(),
        issued_by_id=chair.id,
        lead_office_id=office_id,
        deadline=date(2026, 12, 1),
        lines=[SheetLine(position=1, item_id=item.id, findings="进度滞后")],
    )
    db.session.add(sheet)
    db.session.commit()
    return sheet


def test_a_clerk_reads_acknowledges_and_answers_the_sheets_of_their_office(factory, api_as):
    api = api_as("government")
    sheet = _issued_sheet(factory, api.user.office_id)
    _issued_sheet(factory, factory.office().id)  # another office's
    listed = api.get("/api/v1/sheets").get_json()["items"]
    assert [s["id"] for s in listed] == [sheet.id] and "acknowledge" in listed[0]["actions"]
    signed = api.post(f"/api/v1/sheets/{sheet.id}/acknowledge", json={"version": sheet.version})
    assert signed.status_code == 200 and signed.get_json()["state"] == "acknowledged"
    stale = api.post(
        f"/api/v1/sheets/{sheet.id}/answer", json={"version": sheet.version - 1, "measures": "已整改"}
    )
    assert stale.status_code == 409 and stale.get_json()["current"]["state"] == "acknowledged"
    answered = api.post(
        f"/api/v1/sheets/{sheet.id}/answer",
        json={"version": signed.get_json()["version"], "measures": "已整改", "evidence": "现场照片"},
    )
    assert answered.status_code == 200 and answered.get_json()["state"] == "answered"


def test_another_offices_and_another_townships_sheets_are_404(factory, api_as):
    api = api_as("government")
    other_office = _issued_sheet(factory, factory.office().id)
    foreign = factory.township("外镇")
    other_township = _issued_sheet(factory, factory.office(foreign).id, township=foreign)
    for sheet in (other_office, other_township):
        assert api.get(f"/api/v1/sheets/{sheet.id}").status_code == 404
        assert api.post(f"/api/v1/sheets/{sheet.id}/acknowledge", json={"version": 1}).status_code == 404


def test_public_reads_need_no_token(factory, app):
    notice = PublicNotice(
        township_id=factory.default_township.id, month=date(2026, 5, 1), title="公示", issuer="主席团"
    )
    db.session.add(notice)
    db.session.commit()
    client = app.test_client()
    townships = client.get("/api/v1/public/townships").get_json()["items"]
    slug = notice.township.slug
    assert slug in [t["slug"] for t in townships]
    listed = client.get(f"/api/v1/public/townships/{slug}/notices").get_json()["items"]
    assert [n["id"] for n in listed] == [notice.id]
    one = client.get(f"/api/v1/public/townships/{slug}/notices/{notice.id}")
    assert one.status_code == 200 and one.get_json()["township"]["slug"] == slug
    assert client.get(f"/api/v1/public/townships/{slug}/evaluations").get_json() == {
        "items": [],
        "next_cursor": None,
    }
    assert client.get("/api/v1/public/townships/nowhere/notices").status_code == 404


def test_the_openapi_document_and_its_page(app):
    client = app.test_client()
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    assert "/api/v1/me/items" in document["paths"]
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/inspections" in page and '<script src="http' not in page


def test_an_answer_without_measures_or_with_anothers_upload_names_the_field(factory, api_as):
    api = api_as("government")
    sheet = _issued_sheet(factory, api.user.office_id)
    blank = api.post(f"/api/v1/sheets/{sheet.id}/answer", json={"version": sheet.version, "measures": "   "})
    assert blank.status_code == 422
    assert blank.get_json()["errors"] == [{"field": "measures", "message": "必须填写。"}]
    someone = api_as("government")
    theirs = _upload(someone).get_json()["id"]
    body = {"version": sheet.version, "measures": "已整改", "evidence_file_ids": [theirs]}
    refused = api.post(f"/api/v1/sheets/{sheet.id}/answer", json=body)
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["field"] == "evidence_file_ids"
