"""A list is of one year: confirming it refuses a deadline outside that year, naming the items,
unless the item is marked as spanning years (跨年度) with its end year, and then its deadline falls
between the list's year and that end year."""

from __future__ import annotations

import re
from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from supervise.core.errors import DomainError
from supervise.extensions import db
from supervise.lists import operations
from supervise.lists.models import Item, ItemState
from tests.helpers import html_of, text_of

from .conftest import form_values, replaced, value_of


def test_confirming_refuses_deadlines_outside_the_lists_year_and_names_each_item(people):
    fine = people.item("draft", deadline=date(2026, 12, 31))
    next_year = people.item("draft", deadline=date(2027, 3, 31))
    last_year = people.item("draft", deadline=date(2025, 12, 31))
    supervision_list = fine.supervision_list

    response = people.client("presidium").post(f"/lists/{supervision_list.id}/confirm", follow_redirects=True)

    page = html_of(response)
    assert f"事项 {next_year.code} 的完成时限 2027-03-31 不在清单年度（2026 年）内" in page
    assert f"事项 {last_year.code} 的完成时限 2025-12-31 早于清单年度（2026 年），请填写新的完成时限" in page
    assert "跨年度完成的事项请在事项中标为跨年度并填写结束年度" in page
    assert f"事项 {fine.code}" not in page
    for item in (fine, next_year, last_year):
        db.session.refresh(item)
        assert item.state is ItemState.draft
    db.session.refresh(supervision_list)
    assert supervision_list.confirmed_at is None


@pytest.mark.parametrize(
    ("end_year", "deadline", "problem"),
    [
        (2027, date(2027, 6, 30), None),
        (2028, date(2026, 11, 30), None),
        (2028, date(2028, 12, 31), None),
        (2027, date(2028, 1, 15), "不在 2026 至 2027 年之间"),
        (2027, date(2025, 12, 31), "早于清单年度（2026 年）"),
        (2026, date(2026, 12, 31), "其结束年度须晚于清单年度（2026 年）"),
    ],
)
def test_an_item_spanning_years_may_end_by_its_end_year(people, end_year, deadline, problem):
    item = people.item("draft", deadline=deadline, end_year=end_year)
    user = people.users["presidium"]
    if problem is None:
        assert operations.confirm_list(user, item.supervision_list) == 1
        assert item.state is ItemState.listed
    else:
        with pytest.raises(DomainError, match=problem) as refused:
            operations.confirm_list(user, item.supervision_list)
        assert item.code in refused.value.message


def test_the_guard_holds_for_a_bare_confirmation_too(people):
    """The rule is the workflow's listing guard: no other way of listing an item skips it."""
    item = people.item("draft", deadline=date(2027, 3, 31))
    with pytest.raises(DomainError, match="不在清单年度"):
        operations.fire(people.users["presidium"], item, "confirm", whole_list=True)


def _form(**fields) -> dict:
    return {
        "title": "集镇污水处理站提标改造",
        "lead_office_id": "",
        "target": "出水达到一级 A 标准",
        "deadline": "2027-06-30",
        **fields,
    }


def test_the_item_form_marks_an_item_as_spanning_years_and_the_item_page_shows_it(people):
    supervision_list = people.factory.supervision_list()
    chair = people.client("presidium")
    response = chair.post(
        f"/lists/{supervision_list.id}/items/new", data=_form(spans_years="y", end_year="2027")
    )
    assert response.status_code == 302
    item = db.session.execute(db.select(Item).where(Item.list_id == supervision_list.id)).scalar_one()
    assert item.end_year == 2027 and item.spans_years
    page = text_of(chair.get(f"/items/{item.id}"))
    assert "跨年度：2026–2027 年" in page
    edit = html_of(chair.get(f"/items/{item.id}/edit"))
    box = re.search(r'<input[^>]*name="spans_years"[^>]*>', edit).group(0)
    year = re.search(r'<input[^>]*name="end_year"[^>]*>', edit).group(0)
    assert "checked" in box and 'value="2027"' in year


def test_spanning_years_needs_its_end_year_and_a_year_without_the_mark_is_ignored(people):
    supervision_list = people.factory.supervision_list()
    chair = people.client("presidium")
    missing = chair.post(f"/lists/{supervision_list.id}/items/new", data=_form(spans_years="y"))
    assert missing.status_code == 200 and "跨年度事项请填写结束年度。" in text_of(missing)
    huge = chair.post(
        f"/lists/{supervision_list.id}/items/new", data=_form(spans_years="y", end_year="99999")
    )
    assert huge.status_code == 200 and "年度应在 2000 到 2100 之间。" in text_of(huge)
    assert db.session.execute(db.select(Item).where(Item.list_id == supervision_list.id)).first() is None
    unmarked = chair.post(f"/lists/{supervision_list.id}/items/new", data=_form(end_year="2027"))
    assert unmarked.status_code == 302
    item = db.session.execute(db.select(Item).where(Item.list_id == supervision_list.id)).scalar_one()
    assert item.end_year is None and not item.spans_years


def test_an_edit_conflict_keeps_the_others_spanning_mark(people):
    """One member marks the item as spanning years while another edits its area: saving the
    conflict page again keeps both, the mark with its year."""
    people.users["colleague"] = people.factory.user("presidium")
    item = people.item("draft", area="江口社区")

    def open_page(persona):
        return form_values(html_of(people.client(persona).get(f"/items/{item.id}/edit")), "version")

    def save(persona, values):
        return people.client(persona).post(f"/items/{item.id}/edit", data=MultiDict(values))

    mine, theirs = open_page("presidium"), open_page("colleague")
    assert save("presidium", replaced(mine, spans_years="y", end_year="2027")).status_code == 302
    conflict = save("colleague", replaced(theirs, area="高桥村"))
    assert conflict.status_code == 409
    shown = form_values(html_of(conflict), "version")
    assert value_of(shown, "spans_years") == "y" and value_of(shown, "end_year") == "2027"
    assert save("colleague", shown).status_code == 302
    db.session.refresh(item)
    assert (item.area, item.end_year) == ("高桥村", 2027)


def test_a_listed_item_keeps_the_rule_when_its_deadline_is_edited(people):
    item = people.item("supervising", deadline=date(2026, 10, 31))
    user = people.users["presidium"]

    with pytest.raises(DomainError, match="不在清单年度（2026 年）内"), db.session.begin_nested():
        operations.amend_item(user, item, {"deadline": date(2027, 3, 31)}, item.version, reason="延期")
    assert item.deadline == date(2026, 10, 31)

    changed = operations.amend_item(
        user, item, {"deadline": date(2027, 3, 31), "end_year": 2027}, item.version, reason="跨年度实施"
    )
    assert set(changed) == {"deadline", "end_year"}


def test_carrying_over_leaves_next_years_item_to_get_a_new_deadline(people):
    item = people.item("supervising", deadline=date(2026, 12, 31))
    spanning = people.item("supervising", deadline=date(2028, 6, 30), end_year=2028)
    for each in (item, spanning):
        assert people.act("presidium", each, "carry_over", reason="年内未能完工。").status_code == 302

    new, kept = (
        db.session.execute(db.select(Item).where(Item.carried_from_id == each.id)).scalar_one()
        for each in (item, spanning)
    )
    assert (new.deadline, new.end_year) == (None, None)
    assert (kept.deadline, kept.end_year) == (date(2028, 6, 30), 2028)
    # Confirming next year's list gives it that list's default deadline (the year's end), and says so.
    response = people.client("presidium").post(
        f"/lists/{new.supervision_list.id}/confirm", follow_redirects=True
    )
    assert f"按清单默认完成时限的事项：{new.code}" in text_of(response)
    db.session.refresh(new)
    assert new.deadline == date(2027, 12, 31) and new.from_list_defaults == {"deadline"}


def test_an_end_year_not_after_the_lists_year_is_refused_when_saving(people):
    supervision_list = people.factory.supervision_list(year=2027)
    chair = people.client("presidium")
    refused = chair.post(
        f"/lists/{supervision_list.id}/items/new",
        data=_form(spans_years="y", end_year="2026", deadline="2028-06-30"),
    )
    assert refused.status_code in (400, 409)
    assert "其结束年度须晚于清单年度（2027 年）" in text_of(refused)
    assert 'value="集镇污水处理站提标改造"' in html_of(refused)  # the typing stays
    assert db.session.execute(db.select(Item).where(Item.list_id == supervision_list.id)).first() is None
