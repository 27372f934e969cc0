"""Two people changing one item at the same time: nothing is lost silently, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict

from supervise.accounts.models import User
from supervise.core.errors import DomainError
from supervise.extensions import db
from supervise.lists import operations
from supervise.lists.models import Item, ItemState
from supervise.org.models import Deputy
from tests.conftest import PG_URL, own_app
from tests.factories import Factory
from tests.helpers import html_of

from .conftest import event_count, events_of, form_values, replaced, value_of

# ---- two people on the edit page -------------------------------------------------------------


@pytest.fixture
def two_editors(people):
    """Two members of the presidium, each with the item's edit page open."""
    people.users["colleague"] = people.factory.user("presidium")
    item = people.item("supervising", title="集镇道路改造", area="江口社区")

    def open_page(persona):
        return form_values(html_of(people.client(persona).get(f"/items/{item.id}/edit")), "version")

    return item, open_page("presidium"), open_page("colleague")


def save(people, persona, item, values):
    return people.client(persona).post(f"/items/{item.id}/edit", data=MultiDict(values))


def test_the_second_save_gets_a_conflict_page_and_saving_again_keeps_both_changes(people, two_editors):
    item, mine, theirs = two_editors
    first = save(
        people, "presidium", item, replaced(mine, title="集镇道路改造提升", reason="名称与批复一致。")
    )
    assert first.status_code == 302

    second = save(
        people, "colleague", item, replaced(theirs, area="江口社区、高桥村", reason="实施区域扩大。")
    )

    assert second.status_code == 409
    page = html_of(second)
    assert "其他人已修改了这个事项" in page
    assert "<del>集镇道路改造</del>" in page and "<strong>集镇道路改造提升</strong>" in page
    shown = form_values(page, "version")
    assert value_of(shown, "area") == "江口社区、高桥村"  # their own input is kept
    assert value_of(shown, "reason") == "实施区域扩大。"
    assert value_of(shown, "title") == "集镇道路改造提升"  # a field they left alone shows the new value
    db.session.refresh(item)
    assert (item.title, item.area) == ("集镇道路改造提升", "江口社区")

    again = save(people, "colleague", item, shown)

    assert again.status_code == 302
    db.session.refresh(item)
    assert (item.title, item.area) == ("集镇道路改造提升", "江口社区、高桥村")
    assert [e.details["changes"] for e in events_of(item)] == [
        {"title": ["集镇道路改造", "集镇道路改造提升"]},
        {"area": ["江口社区", "江口社区、高桥村"]},
    ]


def test_when_both_change_the_same_field_the_second_sees_both_values_and_decides(people, two_editors):
    item, mine, theirs = two_editors
    assert save(people, "presidium", item, replaced(mine, title="甲的名称", reason="甲")).status_code == 302

    second = save(people, "colleague", item, replaced(theirs, title="乙的名称", reason="乙"))

    assert second.status_code == 409
    page = html_of(second)
    assert "<strong>甲的名称</strong>" in page
    shown = form_values(page, "version")
    assert value_of(shown, "title") == "乙的名称"
    db.session.refresh(item)
    assert item.title == "甲的名称"
    assert save(people, "colleague", item, shown).status_code == 302
    db.session.refresh(item)
    assert item.title == "乙的名称"
    assert events_of(item)[-1].details["changes"] == {"title": ["甲的名称", "乙的名称"]}


def test_changing_only_the_assisting_offices_still_stops_a_stale_save(people, two_editors):
    item, mine, theirs = two_editors
    office = people.other_office
    first = save(
        people, "presidium", item, replaced(mine, assisting_office_ids=str(office.id), reason="增加协办。")
    )
    assert first.status_code == 302

    second = save(people, "colleague", item, replaced(theirs, area="高桥村", reason="调整区域。"))

    assert second.status_code == 409
    shown = form_values(html_of(second), "version")
    assert value_of(shown, "assisting_office_ids") == str(office.id)
    assert save(people, "colleague", item, shown).status_code == 302
    db.session.refresh(item)
    assert (item.area, item.assisting_offices) == ("高桥村", [office])


def test_a_transition_in_between_is_a_conflict_too(people, two_editors):
    item, mine, _theirs = two_editors
    opened = people.client("presidium").post(
        "/consultations/new",
        data={"held_on": "2026-11-20", "attendees": "张建国（副镇长）", "item_ids": [item.id]},
    )
    assert opened.status_code == 302

    response = save(people, "presidium", item, replaced(mine, area="高桥村", reason="调整区域。"))

    assert response.status_code == 409
    assert "提请会商" in html_of(response)
    db.session.refresh(item)
    # The consultation wrote its two events (the transition and the record); the stale save none.
    assert (item.state, item.area, event_count(item)) == (ItemState.consulting, "江口社区", 2)


def test_a_save_after_the_item_was_withdrawn_meanwhile_shows_why_and_changes_nothing(people, two_editors):
    item, mine, _theirs = two_editors
    withdrawn = people.act("presidium", item, "withdraw", reason="已由县里统一实施。")
    assert withdrawn.status_code == 302

    stale = save(people, "presidium", item, replaced(mine, area="高桥村", reason="调整区域。"))

    assert stale.status_code == 409
    assert "已由县里统一实施。" in html_of(stale)
    again = save(people, "presidium", item, form_values(html_of(stale), "version"))
    assert "事项处于“已撤销”状态，不能再修改" in html_of(again)
    db.session.refresh(item)
    assert (item.state, item.area, event_count(item)) == (ItemState.withdrawn, "江口社区", 1)


# ---- two sessions at the same moment -----------------------------------------------------------


@pytest.fixture
def shared_database(backend, tmp_path):
    """An app whose database two sessions really share: SQLite in a file, since the in-memory
    database is one connection for everybody."""
    with own_app(f"sqlite:///{tmp_path / 'shared.db'}" if backend == "sqlite" else PG_URL) as app:
        yield app


def test_two_sessions_saving_one_item_the_second_fails_instead_of_overwriting(shared_database):
    item = Factory().item("supervising", title="集镇道路改造", area="江口社区")
    db.session.commit()

    with Session(db.engine) as first, Session(db.engine) as second:
        mine, theirs = first.get(Item, item.id), second.get(Item, item.id)
        mine.title = "集镇道路改造提升"
        first.commit()
        theirs.area = "高桥村"
        with pytest.raises(StaleDataError):
            second.commit()

    db.session.expire_all()
    assert (item.title, item.area, item.version) == ("集镇道路改造提升", "江口社区", 2)


def test_two_presidium_members_assigning_at_once_cannot_make_three_supervisors(shared_database):
    factory = Factory()
    item = factory.item("supervising")
    [first_supervisor] = item.supervisors
    ids = {
        "item": item.id,
        "kept": first_supervisor.id,
        "mine": factory.deputy().id,
        "theirs": factory.deputy().id,
        "me": factory.user("presidium").id,
        "colleague": factory.user("presidium").id,
    }
    db.session.commit()

    def load(*names):
        return [db.session.get(User if name in ("me", "colleague") else Deputy, ids[name]) for name in names]

    with shared_database.app_context():  # my request
        mine = db.session.get(Item, ids["item"])
        assert len(mine.supervisors) == 1  # read before my colleague saves
        with shared_database.app_context():  # my colleague's, at the same moment
            theirs = db.session.get(Item, ids["item"])
            colleague, kept, chosen = load("colleague", "kept", "theirs")
            operations.fire(colleague, theirs, "assign", deputies=[kept, chosen])
            db.session.commit()
        me, kept, chosen = load("me", "kept", "mine")

        with pytest.raises(DomainError, match="其他人已处理了这个事项"):
            operations.fire(me, mine, "assign", deputies=[kept, chosen])

        # The engine holds the item and finds its stored version moved on: refused before writing.
        assert mine.version == 1 and len(mine.supervisors) == 1
        db.session.rollback()

    db.session.expire_all()
    assert sorted(d.id for d in item.supervisors) == sorted([ids["kept"], ids["theirs"]])
    assert [e.action for e in events_of(item)] == ["assign"]
