"""Inspections (监督活动) through the pages a deputy uses on a phone: drafts that are the author's own,
typing and photos kept when something is wrong, filing, read-only records with appended notes, and
findings turned into follow-up sheets."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest

from supervise.extensions import db
from supervise.inspections.models import (
    Finding,
    Inspection,
    InspectionMethod,
    InspectionNote,
    InspectionState,
)
from supervise.lists.models import ItemEvent
from supervise.org.models import Deputy
from supervise.uploads.models import Attachment
from tests.helpers import hidden_value, text_of

from ..uploads.samples import jpeg_bytes


def photo(name="现场.jpg", data=None):
    return (io.BytesIO(data if data is not None else jpeg_bytes((320, 240))), name)


def form(**fields):
    data = {
        "method": "tour",
        "held_on": "2026-11-20",
        "place": "东河村三组",
        "notes": "查看了村道硬化工程。",
        "findings-0-text": "路面已出现裂缝，排水沟未完工。",
        "action": "file",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def deputy(factory):
    user = factory.user("deputy")
    db.session.commit()
    return user


def only_inspection() -> Inspection:
    return db.session.execute(db.select(Inspection)).scalar_one()


def test_a_deputy_files_a_tour_with_a_photo_and_a_finding_on_an_item(client, login_as, deputy, factory):
    item = factory.item("supervising")
    db.session.commit()
    login_as(deputy)
    data = form(participant_ids=[deputy.deputy_id], **{"findings-0-item_ids": [item.id]})
    data["findings-0-files"] = photo()
    response = client.post("/inspections/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, text_of(response)[:400]
    inspection = only_inspection()
    assert inspection.state is InspectionState.filed and inspection.filed_at is not None
    assert [d.id for d in inspection.participants] == [deputy.deputy_id]
    finding = inspection.findings[0]
    assert finding.items == [item]
    attachment = db.session.execute(db.select(Attachment)).scalar_one()
    assert (attachment.owner_kind, attachment.owner_id) == ("finding", finding.id)
    page = client.get(f"/inspections/{inspection.id}").get_data(as_text=True)
    assert "路面已出现裂缝" in page and f"/files/{attachment.id}/preview" in page
    # The finding shows on the item's timeline.
    events = db.session.execute(db.select(ItemEvent).where(ItemEvent.item_id == item.id)).scalars().all()
    assert "inspection_finding" in [e.action for e in events]
    assert "监督活动发现问题" in text_of(client.get(f"/items/{item.id}"))


def test_bad_input_keeps_the_typing_and_the_photos_that_arrived(client, login_as, deputy):
    login_as(deputy)
    data = form(held_on="2026-13-45", notes="村民反映路灯不亮。", **{"findings-0-text": "路灯损坏 12 盏。"})
    data["findings-0-files"] = [photo("好照片.jpg"), photo("坏.svg", b"<svg onload=alert(1)/>")]
    response = client.post("/inspections/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "村民反映路灯不亮。" in page and "路灯损坏 12 盏。" in page
    assert "坏.svg" in page and "未能上传" in page  # the refused photo is named with its reason
    kept = db.session.execute(db.select(Attachment)).scalar_one()
    assert kept.original_name == "好照片.jpg" and kept.owner_kind is None  # kept, pending
    assert hidden_value(page, "findings-0-kept_files") == str(kept.id)
    assert db.session.execute(db.select(Inspection)).first() is None  # nothing saved yet

    # The corrected form, sent back with the kept photo's id, saves everything.
    data = form(participant_ids=[deputy.deputy_id], **{"findings-0-kept_files": str(kept.id)})
    response = client.post("/inspections/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    finding = only_inspection().findings[0]
    db.session.refresh(kept)
    assert (kept.owner_kind, kept.owner_id) == ("finding", finding.id)


def test_someone_elses_pending_upload_cannot_be_claimed(client, login_as, deputy, factory):
    from supervise.uploads.storage import store_upload

    from ..uploads.samples import png_upload

    other = factory.user("deputy")
    theirs = store_upload(png_upload(), user=other, township_id=other.township_id)
    db.session.commit()
    login_as(deputy)
    data = form(participant_ids=[deputy.deputy_id], **{"findings-0-kept_files": str(theirs.id)})
    assert client.post("/inspections/new", data=data).status_code == 302
    db.session.refresh(theirs)
    assert theirs.owner_kind is None


def test_a_draft_is_saved_half_done_and_only_its_author_sees_it(app, client, login_as, deputy, factory):
    login_as(deputy)
    response = client.post("/inspections/new", data=form(held_on="", place="", action="draft"))
    assert response.status_code == 302
    draft = only_inspection()
    assert draft.state is InspectionState.draft and draft.author_id == deputy.id
    assert client.get(f"/inspections/{draft.id}/edit").status_code == 200
    for role in ("deputy", "presidium"):
        other = app.test_client()
        user = factory.user(role)
        db.session.commit()
        other.post("/login", data={"username": user.username, "password": factory.PASSWORD})
        assert other.get(f"/inspections/{draft.id}").status_code == 404
        assert other.get(f"/inspections/{draft.id}/edit").status_code == 404
        assert "路面已出现裂缝" not in text_of(other.get("/inspections/"))


def test_filing_an_incomplete_draft_saves_it_and_says_what_is_missing(client, login_as, deputy):
    login_as(deputy)
    response = client.post("/inspections/new", data=form(held_on="", place="", action="file"))
    assert response.status_code == 302 and "/edit" in response.headers["Location"]
    draft = only_inspection()
    assert draft.state is InspectionState.draft
    page = text_of(client.get(response.headers["Location"]))
    assert "请填写活动日期" in page and "请选择参加活动的代表" in page


def test_a_questionnaire_visit_needs_residents_counted_and_summarised(client, login_as, deputy):
    login_as(deputy)
    data = form(method="questionnaire", participant_ids=[deputy.deputy_id])
    response = client.post("/inspections/new", data=data)
    assert only_inspection().state is InspectionState.draft
    assert "走访的群众人数" in text_of(client.get(response.headers["Location"]))
    bad = client.post(f"/inspections/{only_inspection().id}/edit", data={**data, "residents_visited": "很多"})
    assert bad.status_code == 200 and "请填写整数" in text_of(bad)
    data.update(residents_visited="36", residents_summary="多数群众希望尽快安装路灯。")
    assert client.post(f"/inspections/{only_inspection().id}/edit", data=data).status_code == 302
    inspection = only_inspection()
    assert inspection.state is InspectionState.filed and inspection.residents_visited == 36


def test_a_filed_inspection_is_read_only_and_takes_appended_notes(client, login_as, deputy):
    login_as(deputy)
    client.post("/inspections/new", data=form(participant_ids=[deputy.deputy_id]))
    inspection = only_inspection()
    assert inspection.state is InspectionState.filed
    assert client.get(f"/inspections/{inspection.id}/edit").status_code == 409
    changed = client.post(f"/inspections/{inspection.id}/edit", data=form(notes="改写"))
    assert changed.status_code == 409 and "追加说明" in text_of(changed)
    assert client.post(f"/inspections/{inspection.id}/delete").status_code == 409
    empty = client.post(f"/inspections/{inspection.id}/notes", data={"text": "  "})
    assert empty.status_code == 422 and "请填写说明的内容" in text_of(empty)
    added = client.post(f"/inspections/{inspection.id}/notes", data={"text": "更正：裂缝在二组，不是三组。"})
    assert added.status_code == 302
    db.session.refresh(inspection)
    assert inspection.notes == "查看了村道硬化工程。"  # the original stays
    assert [n.text for n in db.session.execute(db.select(InspectionNote)).scalars()] == [
        "更正：裂缝在二组，不是三组。"
    ]
    assert "更正：裂缝在二组" in text_of(client.get(f"/inspections/{inspection.id}"))


def test_findings_may_only_concern_the_townships_listed_items(client, login_as, deputy, factory):
    foreign = factory.item("supervising", township=factory.township("外镇"))
    draft = factory.item("draft")
    db.session.commit()
    login_as(deputy)
    for item in (foreign, draft):
        data = form(participant_ids=[deputy.deputy_id], **{"findings-0-item_ids": [item.id]})
        response = client.post("/inspections/new", data=data)
        assert response.status_code == 200 and "路面已出现裂缝" in response.get_data(as_text=True)
    bogus = client.post("/inspections/new", data=form(**{"findings-0-item_ids": ["abc"]}))
    assert bogus.status_code == 200
    assert db.session.execute(db.select(Inspection)).first() is None


def test_government_clerks_do_not_read_inspections(client, login_as, deputy):
    login_as("government")
    assert client.get("/inspections/").status_code == 403


def test_another_townships_inspection_is_a_404(app, client, login_as, factory):
    other_town = factory.township("外镇")
    author = factory.user("deputy", township=other_town)
    inspection = Inspection(
        township_id=other_town.id, method="tour", author_id=author.id, state=InspectionState.draft
    )
    db.session.add(inspection)
    db.session.commit()
    login_as("presidium")
    assert client.get(f"/inspections/{inspection.id}").status_code == 404


@pytest.mark.parametrize("role", ["presidium", "deputy", "government"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/inspections/{id}"),
        ("get", "/inspections/{id}/edit"),
        ("post", "/inspections/{id}/file"),
        ("post", "/inspections/{id}/delete"),
        ("post", "/inspections/{id}/notes"),
    ],
)
def test_another_townships_inspection_is_404_for_every_role(client, login_as, factory, role, method, path):
    other_town = factory.township("外镇", county=factory.county("外县"))
    author = factory.user("deputy", township=other_town)
    inspection = Inspection(
        township_id=other_town.id, method="tour", author_id=author.id, state=InspectionState.draft
    )
    db.session.add(inspection)
    db.session.commit()
    login_as(role)
    assert getattr(client, method)(path.format(id=inspection.id)).status_code == 404


@pytest.mark.parametrize("role", ["presidium", "deputy", "county"])
def test_another_townships_filed_inspection_its_photo_and_its_listing_stay_there(
    app, client, login_as, factory, role
):
    from supervise.inspections import operations
    from supervise.uploads.storage import store_upload

    from ..uploads.samples import png_upload

    other_town = factory.township("外镇", county=factory.county("外县"))
    author = factory.user("deputy", township=other_town)
    upload = store_upload(png_upload(), user=author, township_id=other_town.id)
    fields = {"method": InspectionMethod.tour, "held_on": date(2026, 11, 20), "place": "外镇集镇"}
    finding = operations.FindingDraft("外镇的桥栏杆松动。", [], [upload])
    inspection = operations.create_inspection(author, fields, [author.deputy_id], [finding])
    operations.file_inspection(author, inspection)
    db.session.commit()
    assert inspection.state is InspectionState.filed and upload.owner_kind == "finding"

    login_as(role)
    assert client.get(f"/inspections/{inspection.id}").status_code == 404
    assert client.get(f"/files/{upload.id}").status_code == 404
    assert client.get(f"/files/{upload.id}/preview").status_code == 404
    listed = client.get("/inspections/")
    assert listed.status_code == 200
    assert "外镇集镇" not in text_of(listed) and f"/inspections/{inspection.id}" not in listed.text
    # The same addresses do answer the township's own presidium: the 404s above are about the township.
    own = app.test_client()
    chair = factory.user("presidium", township=other_town)
    db.session.commit()
    own.post("/login", data={"username": chair.username, "password": factory.PASSWORD})
    assert own.get(f"/inspections/{inspection.id}").status_code == 200
    assert own.get(f"/files/{upload.id}").status_code == 200
    assert f"/inspections/{inspection.id}" in own.get("/inspections/").text


def test_the_list_runs_the_same_queries_for_5_and_20_inspections(
    client, login_as, deputy, factory, count_queries
):
    item = factory.item("supervising")
    db.session.commit()
    login_as(deputy)

    def add(n):
        for _ in range(n):
            data = form(participant_ids=[deputy.deputy_id], **{"findings-0-item_ids": [item.id]})
            assert client.post("/inspections/new", data=data).status_code == 302

    add(5)
    with count_queries() as few:
        assert client.get("/inspections/").status_code == 200
    add(15)
    with count_queries() as many:
        assert client.get("/inspections/").status_code == 200
    assert many.count == few.count


# ---- findings into follow-up sheets --------------------------------------------------------------


def test_the_chair_drafts_a_sheet_from_findings_and_the_office_sees_their_photos(
    app, client, login_as, factory
):
    item = factory.item("supervising")
    chair = factory.user("presidium")
    clerk = factory.user("government", office_id=item.lead_office_id)
    db.session.commit()
    login_as(chair)
    data = form(participant_ids=[], **{"findings-0-item_ids": [item.id]})
    data["findings-0-files"] = photo()
    data["participant_ids"] = [factory.deputy().id]
    db.session.commit()
    assert client.post("/inspections/new", data=data, content_type="multipart/form-data").status_code == 302
    finding = db.session.execute(db.select(Finding)).scalar_one()
    attachment = db.session.execute(db.select(Attachment)).scalar_one()

    page = client.get(f"/sheets/new?finding={finding.id}").get_data(as_text=True)
    assert "路面已出现裂缝" in page and f'value="{item.id}" selected' in page
    response = client.post(
        "/sheets/new",
        data={
            "title": "关于村道质量问题的督办单",
            "requirements": "请于年底前完成整改并书面答复。",
            "lead_office_id": item.lead_office_id,
            "deadline": "2026-12-31",
            "lines-0-item_id": item.id,
            "lines-0-findings": finding.text,
            "lines-0-finding_id": finding.id,
        },
    )
    assert response.status_code == 302, text_of(response)[:300]
    from supervise.sheets.models import FollowUpSheet

    sheet = db.session.execute(db.select(FollowUpSheet)).scalar_one()
    assert sheet.lines[0].finding_id == finding.id
    # The finding is no longer offered for a new sheet, and its inspection page names the sheet.
    assert "加入所选发现" not in client.get("/sheets/new").get_data(as_text=True)
    assert "已写入督办单：" in text_of(client.get(f"/inspections/{finding.inspection_id}"))

    office = app.test_client()
    office.post("/login", data={"username": clerk.username, "password": factory.PASSWORD})
    assert office.get(f"/files/{attachment.id}").status_code == 404  # a draft sheet is not theirs yet
    issued = client.post(f"/sheets/{sheet.id}/actions/issue")
    assert issued.status_code == 302, text_of(issued)[:400]
    assert office.get(f"/files/{attachment.id}").status_code == 200
    assert f"/files/{attachment.id}" in office.get(f"/sheets/{sheet.id}").get_data(as_text=True)
    assert (
        office.get(f"/inspections/{finding.inspection_id}").status_code == 404
    )  # not theirs to read: not found


def test_a_draft_inspections_finding_cannot_go_on_a_sheet(client, login_as, factory):
    chair = login_as("presidium")
    inspection = Inspection(
        township_id=chair.township_id,
        method="tour",
        author_id=chair.id,
        findings=[Finding(position=1, text="草稿里的发现")],
    )
    db.session.add(inspection)
    db.session.commit()
    finding_id = inspection.findings[0].id
    response = client.post(
        "/sheets/new",
        data={"title": "t", "lines-0-findings": "x", "lines-0-finding_id": finding_id},
    )
    assert response.status_code == 409 and "已提交的监督活动" in text_of(response)


def test_the_item_timeline_does_not_show_finding_text_to_the_office(app, client, login_as, deputy, factory):
    item = factory.item("supervising")
    clerk = factory.user("government", office_id=item.lead_office_id)
    db.session.commit()
    login_as(deputy)
    data = form(participant_ids=[deputy.deputy_id], **{"findings-0-item_ids": [item.id]})
    assert client.post("/inspections/new", data=data).status_code == 302
    inspection = only_inspection()
    assert "监督活动发现问题" in text_of(client.get(f"/items/{item.id}"))
    office = app.test_client()
    office.post("/login", data={"username": clerk.username, "password": factory.PASSWORD})
    page = office.get(f"/items/{item.id}").get_data(as_text=True)
    assert "监督活动发现问题" in page  # that there was an inspection is no secret …
    assert "路面已出现裂缝" not in page and f"/inspections/{inspection.id}" not in page  # … what it found is


@pytest.mark.parametrize("bad", ["²", "9" * 5000, "-1", "1,²,3"])
def test_malformed_file_ids_are_ignored_not_a_500(client, login_as, deputy, bad):
    login_as(deputy)
    data = form(action="add_finding", **{"findings-0-kept_files": bad, "findings-0-drop": bad})
    assert client.post("/inspections/new", data=data).status_code == 200


@pytest.mark.parametrize("bad", ["abc", "1000000000000", "²"])
def test_malformed_finding_ids_on_a_sheet_draft_are_ignored(client, login_as, bad):
    login_as("presidium")
    assert client.get(f"/sheets/new?finding={bad}&finding={10**20}").status_code == 200
    response = client.post(
        "/sheets/new", data={"action": "add_findings", "title": "t", "lines-0-finding_id": bad}
    )
    assert response.status_code == 200


def test_the_form_is_built_without_deprecated_wtforms_calls(app):
    import warnings

    from supervise.inspections.forms import InspectionForm

    with app.test_request_context(), warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        form = InspectionForm(meta={"csrf": False})
        assert [choice.data for choice in form.method] == ["tour", "unannounced", "questionnaire"]


def test_the_form_lists_deputy_groups_in_their_order_with_the_deputys_own_chosen(client, login_as, factory):
    in_order = ["第一代表小组", "第二代表小组", "第三代表小组", "第四代表小组"]
    groups = {
        name: factory.group(name=name)
        for name in ("第一代表小组", "第三代表小组", "第二代表小组", "第四代表小组")
    }
    station = factory.station(name="江口社区联络站")
    user = factory.user("deputy")
    mine = db.session.get(Deputy, user.deputy_id)
    mine.station_id, mine.group_id = station.id, groups["第三代表小组"].id
    login_as(user)

    html = client.get("/inspections/new").get_data(as_text=True)

    picker = html[html.index('id="group_id"') : html.index("</select>", html.index('id="group_id"'))]
    listed = re.findall(r'<option value="(\d+)"( selected)?>([^<]+)</option>', picker)
    assert [name for _id, _sel, name in listed] == in_order
    assert [name for _id, chosen, name in listed if chosen] == ["第三代表小组"]
    assert f'<option value="{station.id}" selected>' in html  # her station, as before
