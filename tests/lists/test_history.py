"""The item's timeline: one event per transition and amendment, never changed afterwards."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict

from supervise.extensions import db
from supervise.lists.models import HistoryIsAppendOnly, Item, ItemState
from tests.helpers import html_of

from .conftest import event_count, events_of, form_values, replaced

S = ItemState

# An item's whole life, as the township lives it: (who, action, form, state afterwards).
A_LIFE = [
    ("presidium", "assign", {"deputy_ids": "supervisor"}, S.supervising),
    # Consultations are opened and concluded with their record: tests/meetings follows those events.
    ("lead_clerk", "report_done", {"report": "已完工。", "evidence": "验收报告"}, S.completed),
    ("supervisor", "reject", {"reason": "排水沟未清理。"}, S.supervising),
    ("lead_clerk", "report_done", {"report": "排水沟已清理。", "evidence": "照片"}, S.completed),
    ("supervisor", "confirm_done", {"comment": "属实。"}, S.completed),
    ("presidium", "verify", {}, S.verified),
    ("presidium", "record_result", {"rating": "dissatisfied"}, S.supervising),
    ("lead_clerk", "report_done", {"report": "群众意见已整改。", "evidence": "照片"}, S.completed),
    ("supervisor", "confirm_done", {}, S.completed),
    ("presidium", "verify", {}, S.verified),
    ("presidium", "record_result", {"rating": "satisfied"}, S.verified),
    ("presidium", "close", {}, S.closed),
]


def test_every_step_of_an_items_life_leaves_exactly_one_event(people):
    item = people.item("listed", supervisors=[])
    for who, action, form, state in A_LIFE:
        before, version = event_count(item), item.version
        if form.get("deputy_ids") == "supervisor":
            form = {"deputy_ids": [people.supervisor.id]}

        response = people.act(who, item, action, **form)

        assert response.status_code == 302, (action, html_of(response)[:300])
        db.session.refresh(item)
        assert item.state is state, action
        assert event_count(item) == before + 1, action
        event = events_of(item)[-1]
        assert (event.action, event.actor_id, event.to_state) == (action, people.users[who].id, state)
        assert event.item_version == item.version > version, action

    steps = [(e.action, e.from_state, e.to_state) for e in events_of(item)]
    assert [s[0] for s in steps] == [action for _who, action, _form, _state in A_LIFE]
    assert all(to is not None for _a, _f, to in steps)


def test_the_timeline_shows_each_event(people):
    item = people.item("completed")
    people.act("supervisor", item, "reject", reason="排水沟未清理。")

    page = html_of(people.client("deputy").get(f"/items/{item.id}"))

    assert "退回继续监督" in page and "排水沟未清理。" in page


def test_an_event_cannot_be_changed(people):
    item = people.item("completed")
    people.act("supervisor", item, "reject", reason="排水沟未清理。")
    event = events_of(item)[-1]

    event.reason = "没有问题。"
    with pytest.raises(HistoryIsAppendOnly):
        db.session.flush()
    db.session.rollback()

    assert events_of(item)[-1].reason == "排水沟未清理。"


def test_an_event_cannot_be_deleted(people):
    item = people.item("completed")
    people.act("supervisor", item, "reject", reason="排水沟未清理。")

    db.session.delete(events_of(item)[-1])
    with pytest.raises(HistoryIsAppendOnly):
        db.session.flush()
    db.session.rollback()

    assert event_count(item) == 1


def test_no_page_of_the_app_edits_or_deletes_events(app):
    writable = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if "event" in rule.rule and rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
    ]
    assert writable == []


# ---- amendments -------------------------------------------------------------------------------


def edit_form(item: Item, **changes) -> dict:
    """The edit page's fields as they are now, with some typed anew."""
    form = {
        "version": item.version,
        "title": item.title,
        "lead_office_id": item.lead_office_id or "",
        "target": item.target,
        "deadline": item.deadline.isoformat() if item.deadline else "",
        "planned_funds": item.planned_funds if item.planned_funds is not None else "",
    }
    form.update(changes)
    return form


def edit(people, item, **changes):
    return people.client("presidium").post(f"/items/{item.id}/edit", data=edit_form(item, **changes))


def test_an_amendment_after_listing_needs_a_reason(people):
    item = people.item("supervising", title="集镇道路改造")

    response = edit(people, item, title="集镇道路改造提升")

    assert response.status_code == 200
    assert "事项已列入清单，修改须填写理由" in html_of(response)
    db.session.refresh(item)
    assert (item.title, event_count(item)) == ("集镇道路改造", 0)


def test_an_amendment_after_listing_records_old_and_new_values_and_why(people):
    item = people.item(
        "supervising", title="集镇道路改造", deadline=date(2026, 9, 30), planned_funds=Decimal("1000")
    )
    other = people.other_office

    response = edit(
        people,
        item,
        title="集镇道路改造提升",
        deadline="2026-10-31",
        planned_funds="1200",
        lead_office_id=other.id,
        reason="经镇人大主席团会议同意追加资金。",
    )

    assert response.status_code == 302
    db.session.refresh(item)
    assert (item.title, item.deadline, item.planned_funds, item.lead_office_id) == (
        "集镇道路改造提升",
        date(2026, 10, 31),
        Decimal("1200"),
        other.id,
    )
    [event] = events_of(item)
    assert (event.action, event.reason, event.from_state, event.to_state) == (
        "amend",
        "经镇人大主席团会议同意追加资金。",
        S.supervising,
        S.supervising,
    )
    assert event.details["changes"] == {
        "title": ["集镇道路改造", "集镇道路改造提升"],
        "deadline": ["2026-09-30", "2026-10-31"],
        "planned_funds": ["1000", "1200"],
        "lead_office_id": [people.lead_office.name, other.name],
    }
    page = html_of(people.client("presidium").get(f"/items/{item.id}"))
    assert "经镇人大主席团会议同意追加资金。" in page and "<del>集镇道路改造</del>" in page


def test_an_amendment_in_draft_needs_no_reason(people):
    item = people.item("draft", title="集镇道路改造")

    response = edit(people, item, title="集镇道路改造提升")

    assert response.status_code == 302
    db.session.refresh(item)
    assert item.title == "集镇道路改造提升"
    [event] = events_of(item)
    assert (event.reason, event.details["changes"]) == ("", {"title": ["集镇道路改造", "集镇道路改造提升"]})


def test_saving_without_a_change_writes_nothing(people):
    item = people.item("supervising")
    version = item.version

    assert edit(people, item).status_code == 302

    db.session.refresh(item)
    assert (event_count(item), item.version) == (0, version)


def test_changing_only_the_assisting_offices_is_an_amendment_that_moves_the_version(people):
    item = people.item("supervising")
    version = item.version

    response = edit(people, item, assisting_office_ids=[people.other_office.id], reason="增加协办单位。")

    assert response.status_code == 302
    db.session.refresh(item)
    assert item.assisting_offices == [people.other_office]
    [event] = events_of(item)
    assert event.details["changes"] == {"assisting_offices": [[], [people.other_office.name]]}
    assert item.version == event.item_version == version + 1


def test_saving_the_edit_page_as_a_browser_sends_it_changes_only_what_was_typed(people):
    """The page leaves out a suggestion's fields on other lists; that must not blank or break them."""
    item = people.item(
        "supervising", title="旧的名称", description="多行\r\n说明", planned_funds=Decimal("35.5")
    )
    client = people.client("presidium")
    values = form_values(html_of(client.get(f"/items/{item.id}/edit")), "version")

    response = client.post(
        f"/items/{item.id}/edit", data=MultiDict(replaced(values, title="新的名称", reason="名称更规范。"))
    )

    assert response.status_code == 302
    [event] = events_of(item)
    assert event.details["changes"] == {"title": ["旧的名称", "新的名称"]}
