"""The sheet pages: the list with its filters, drafting, the sheet with its history and buttons,
the government's home card, and scoping (another township's sheet is a 404)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from supervise.core.clock import today
from supervise.extensions import db
from supervise.sheets.models import FollowUpSheet, SheetState
from tests.helpers import text_of


def sign_in(client, user):
    response = client.post("/login", data={"username": user.username, "password": "correct-horse-battery"})
    assert response.status_code == 302


def test_the_chair_drafts_a_sheet_from_items_and_findings_and_issues_it(client, town):
    sign_in(client, town.chair)
    item = town.items[0]
    page = client.get(f"/sheets/new?item={item.id}")
    assert page.status_code == 200 and f'value="{item.id}" selected' in page.get_data(as_text=True)
    response = client.post(
        "/sheets/new",
        data={
            "title": "关于加快集镇污水处理站建设的督办单",
            "lead_office_id": town.office.id,
            "deadline": (today() + timedelta(days=30)).isoformat(),
            "requirements": "请制定赶工计划。",
            "lines-0-item_id": item.id,
            "lines-0-findings": "进度滞后两个月。",
            "lines-1-item_id": "",
            "lines-1-findings": "施工围挡占道。",
            "lines-2-item_id": "",
            "lines-2-findings": "",
        },
    )
    assert response.status_code == 302, text_of(response)[:500]
    sheet = db.session.execute(db.select(FollowUpSheet)).scalar_one()
    assert [(line.item_id, line.findings) for line in sheet.lines] == [
        (item.id, "进度滞后两个月。"),
        (None, "施工围挡占道。"),
    ]
    assert sheet.leader_name == town.office.leader_name  # taken from the office when left empty

    issued = client.post(f"/sheets/{sheet.id}/actions/issue")
    assert issued.status_code == 302
    page = text_of(client.get(f"/sheets/{sheet.id}"))
    assert sheet.document_number in page and "已下发" in page and "编号下发" in page  # in the history


def test_the_addressed_office_acknowledges_and_answers_others_may_not(app, town, factory):
    sheet = town.sheet("issued")
    other = app.test_client()
    sign_in(other, factory.user("government"))  # another office: does not even see the sheet
    assert other.get(f"/sheets/{sheet.id}").status_code == 404
    assert other.post(f"/sheets/{sheet.id}/actions/acknowledge").status_code == 404

    chair = app.test_client()
    sign_in(chair, town.chair)
    assert chair.post(f"/sheets/{sheet.id}/actions/acknowledge").status_code == 403

    clerk = app.test_client()
    sign_in(clerk, town.clerk)
    page = clerk.get(f"/sheets/{sheet.id}").get_data(as_text=True)
    assert "签收</button>" in page
    assert clerk.post(f"/sheets/{sheet.id}/actions/acknowledge").status_code == 302
    empty = clerk.post(f"/sheets/{sheet.id}/actions/answer", data={"measures": "", "evidence": ""})
    assert empty.status_code == 200 and "请填写采取的措施。" in text_of(empty)  # the form again
    db.session.refresh(sheet)
    assert sheet.state is SheetState.acknowledged
    answered = clerk.post(
        f"/sheets/{sheet.id}/actions/answer", data={"measures": "已赶工。", "evidence": "验收报告。"}
    )
    assert answered.status_code == 302
    db.session.refresh(sheet)
    assert (sheet.state, sheet.answered_by_id, sheet.acknowledged_by_id) == (
        SheetState.answered,
        town.clerk.id,
        town.clerk.id,
    )
    returned = chair.post(f"/sheets/{sheet.id}/actions/return", data={"reason": "请补充资金来源。"})
    assert returned.status_code == 302
    assert "请补充资金来源。" in text_of(clerk.get(f"/sheets/{sheet.id}"))
    assert chair.post(f"/sheets/{sheet.id}/actions/verify").status_code == 409  # returned, not answered


def test_the_list_filters_by_state_office_and_overdue(client, town, factory, monkeypatch):
    from supervise.sheets import views

    monkeypatch.setattr(views, "today", lambda: date(2026, 7, 1))
    late = town.sheet("issued", title="逾期的督办单", deadline=date(2026, 6, 1))
    town.sheet("answered", title="已答复的督办单", deadline=date(2026, 6, 1))
    elsewhere = town.sheet("acknowledged", title="财政所的督办单", office=factory.office(name="财政所"))
    town.sheet("draft", title="草稿督办单")
    sign_in(client, town.chair)

    def titles(query=""):
        page = text_of(client.get(f"/sheets/{query}"))
        return sorted(t for t in ("逾期的", "已答复的", "财政所的", "草稿") if t + "督办单" in page)

    assert titles() == ["已答复的", "草稿", "财政所的", "逾期的"]
    assert titles("?state=answered") == ["已答复的"]
    assert titles(f"?office={elsewhere.lead_office_id}") == ["财政所的"]
    assert titles("?overdue=1") == ["逾期的"]
    assert late.document_number in text_of(client.get("/sheets/?overdue=1"))


def test_the_government_sees_only_sheets_addressed_to_it_and_never_drafts(app, town, factory):
    mine = town.sheet("issued", title="本单位的督办单")
    town.sheet("issued", title="别的单位的督办单", office=factory.office())
    draft = town.sheet("draft", title="草稿督办单")
    client = app.test_client()
    sign_in(client, town.clerk)
    page = text_of(client.get("/sheets/"))
    assert "本单位的督办单" in page and "别的单位的督办单" not in page and "草稿督办单" not in page
    assert client.get(f"/sheets/{draft.id}").status_code == 404
    home = text_of(client.get("/"))
    assert "待签收、待答复的督办单" in home and mine.document_number in home


@pytest.mark.parametrize("role", ["presidium", "government", "deputy", "county"])
def test_another_townships_sheet_is_404(client, factory, login_as, role):
    other = factory.township(county=factory.county("别的县"))
    office = factory.office(other)
    chair = factory.user("presidium", township=other)
    clerk = factory.user("government", township=other, office_id=office.id)
    from .conftest import Township

    sheet = Township(factory, chair, clerk, office, []).sheet("issued", findings=["外镇的问题"])
    login_as(role)
    for path in (f"/sheets/{sheet.id}", f"/sheets/{sheet.id}/pdf"):
        assert client.get(path).status_code == 404
    assert client.post(f"/sheets/{sheet.id}/actions/verify").status_code == 404
    assert "外镇的问题" not in text_of(client.get("/sheets/"))
    draft = Township(factory, chair, clerk, office, []).sheet("draft", findings=["外镇的草稿"])
    assert client.get(f"/sheets/{draft.id}/edit").status_code == 404
    assert client.get(f"/sheets/{draft.id}/delete").status_code == 405  # deleting is POST only
    for path in (f"/sheets/{draft.id}/edit", f"/sheets/{draft.id}/delete"):
        assert client.post(path).status_code == 404


@pytest.mark.parametrize("bad", ["²", "99999999999999999999", "2147483648", "abc", "-1", "1e3", ""])
def test_bad_ids_in_the_query_string_are_ignored_not_errors(client, town, bad):
    sheet = town.sheet("issued")
    sign_in(client, town.chair)
    listed = client.get("/sheets/", query_string={"office": bad})
    assert listed.status_code == 200 and sheet.document_number in text_of(listed)
    drafting = client.get("/sheets/new", query_string={"item": [bad, str(town.items[0].id)]})
    assert drafting.status_code == 200


def test_the_item_page_shows_the_sheet_steps(client, town):
    sheet = town.sheet("acknowledged")
    sign_in(client, town.chair)
    page = text_of(client.get(f"/items/{town.items[0].id}"))
    assert "督办单下发" in page and "督办单签收" in page and sheet.document_number in page


def test_the_list_page_runs_a_fixed_number_of_queries(client, town, count_queries):
    for n in range(3):
        town.sheet("issued", title=f"督办单{n}")
    sign_in(client, town.chair)
    with count_queries() as few:
        client.get("/sheets/")
    for n in range(3, 12):
        town.sheet("issued", title=f"督办单{n}")
    with count_queries() as many:
        client.get("/sheets/")
    assert many.count == few.count


def test_the_chair_deletes_a_draft_and_its_findings_can_be_picked_again(app, client, town, factory):
    from supervise.core.clock import utcnow
    from supervise.inspections.models import Finding, Inspection, InspectionState
    from supervise.sheets import operations as ops
    from supervise.sheets.models import SheetEvent

    inspection = Inspection(
        township_id=town.chair.township_id,
        method="tour",
        author_id=town.chair.id,
        state=InspectionState.filed,
        held_on=date(2026, 11, 20),
        filed_at=utcnow(),
        place="东河村",
    )
    inspection.findings = [Finding(position=1, text="桥栏杆松动，需要加固。")]
    db.session.add(inspection)
    db.session.flush()
    finding = inspection.findings[0]
    draft = ops.create_sheet(
        town.chair, {"title": "关于桥梁安全的督办单"}, town.office, [(None, finding.text, finding)]
    )
    db.session.commit()
    draft_id = draft.id
    sign_in(client, town.chair)
    assert f'id="pick-{finding.id}"' not in client.get("/sheets/new").get_data(as_text=True)  # cited
    page = text_of(client.get(f"/sheets/{draft_id}"))
    assert "删除草稿" in page

    # Nobody else may: the addressed clerk does not even see a draft.
    clerk = app.test_client()
    sign_in(clerk, town.clerk)
    assert clerk.post(f"/sheets/{draft_id}/delete").status_code == 404

    response = client.post(f"/sheets/{draft_id}/delete")
    assert response.status_code == 302 and response.location.endswith("/sheets/")
    assert db.session.get(FollowUpSheet, draft_id) is None
    assert db.session.execute(db.select(SheetEvent).where(SheetEvent.sheet_id == draft_id)).first() is None
    assert f'id="pick-{finding.id}"' in client.get("/sheets/new").get_data(as_text=True)  # pickable again
    assert client.get(f"/sheets/{draft_id}").status_code == 404


def test_an_issued_sheet_is_never_deleted(client, town):
    sheet = town.sheet("issued")
    sign_in(client, town.chair)
    assert "删除草稿" not in text_of(client.get(f"/sheets/{sheet.id}"))
    assert client.post(f"/sheets/{sheet.id}/delete").status_code == 409
    assert db.session.get(FollowUpSheet, sheet.id) is not None


def _filed_finding(town, text: str):
    from supervise.core.clock import utcnow
    from supervise.inspections.models import Finding, Inspection, InspectionState

    inspection = Inspection(
        township_id=town.chair.township_id,
        method="tour",
        author_id=town.chair.id,
        state=InspectionState.filed,
        held_on=date(2026, 11, 20),
        filed_at=utcnow(),
        place="东河村",
    )
    inspection.findings = [Finding(position=1, text=text)]
    db.session.add(inspection)
    db.session.commit()
    return inspection.findings[0]


def test_findings_ticked_when_saving_are_saved_as_lines_and_stay_ticked_after_an_error(client, town):
    finding = _filed_finding(town, "桥栏杆松动，需要加固。")
    sign_in(client, town.chair)
    data = {"title": "", "lines-0-item_id": "", "lines-0-findings": "", "pick_findings": finding.id}
    refused = client.post("/sheets/new", data={**data, "action": "save"})
    assert refused.status_code == 200 and "请填写督办单的标题" in text_of(refused)
    assert f'id="pick-{finding.id}" checked' in refused.get_data(as_text=True)
    assert db.session.execute(db.select(FollowUpSheet)).first() is None

    saved = client.post("/sheets/new", data={**data, "title": "关于桥梁安全的督办单", "action": "save"})
    assert saved.status_code == 302, text_of(saved)[:500]
    sheet = db.session.execute(db.select(FollowUpSheet)).scalar_one()
    assert [(line.finding_id, line.findings) for line in sheet.lines] == [(finding.id, finding.text)]


def test_the_list_is_one_card_a_sheet_on_a_phone(client, town):
    """As /items/ (_macros/ui.html card_table): below 576 px the table stacks (app.css), the title
    heads each card, and every other cell names its column."""
    sheet = town.sheet("issued")
    sign_in(client, town.chair)
    html = client.get("/sheets/").get_data(as_text=True)
    table = re.search(r'<table class="([^"]*)"', html)
    assert table and {"table-stack-sm", "title-first", "sheet-table"} <= set(table.group(1).split())
    row = html[html.index("<tbody>") : html.index("</tbody>")]
    cells = re.findall(r"<td( [^>]*)?>", row)
    titled = [attrs for attrs in cells if 'class="title"' in attrs]
    assert len(titled) == 1 and f'href="/sheets/{sheet.id}"' in row
    labels = re.findall(r'data-label="([^"]+)"', row)
    assert labels == ["文号", "督办事项", "承办单位", "办理时限", "状态"]
    assert len(cells) == len(labels) + 1  # every cell but the title says what it is
    css = client.get("/static/app.css").get_data(as_text=True)
    assert ".table-stack-sm.title-first td.title" in css
