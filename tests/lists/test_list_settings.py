"""A list's categories (分类) and defaults, managed by the presidium on the list's settings page;
the list and item list pages group items by category; confirming applies the defaults."""

from __future__ import annotations

from datetime import date

import pytest

from supervise.extensions import db
from supervise.lists.models import Item, ItemState, SupervisionList
from tests.helpers import html_of, refusal_page, text_of

from .test_item_queries import statements


@pytest.fixture
def draft_list(people) -> SupervisionList:
    supervision_list = people.factory.supervision_list(confirmed=False)
    db.session.commit()
    return supervision_list


def settings(people, supervision_list, path: str = "categories", **data):
    return people.client("presidium").post(f"/lists/{supervision_list.id}/{path}", data=data)


def test_the_presidium_adds_renames_reorders_and_removes_categories(people, draft_list):
    for name in ("教育", "交通", " 民生实事工程 "):
        assert settings(people, draft_list, name=name).status_code == 302
    db.session.refresh(draft_list)
    assert draft_list.categories == ["教育", "交通", "民生实事工程"]

    item = people.item("draft", category="交通")
    assert settings(people, draft_list, old="交通", name="道路交通").status_code == 302
    assert settings(people, draft_list, "categories/up", name="民生实事工程").status_code == 302
    db.session.refresh(draft_list)
    db.session.refresh(item)
    assert draft_list.categories == ["教育", "民生实事工程", "道路交通"]
    assert item.category == "道路交通"  # the items follow a rename

    # A used category stays; an unused one goes.
    refused = settings(people, draft_list, "categories/remove", name="道路交通")
    assert refused.status_code == 302
    page = text_of(people.client("presidium").get(f"/lists/{draft_list.id}/settings"))
    assert "分类“道路交通”下还有 1 个事项，不能删除" in page
    assert settings(people, draft_list, "categories/remove", name="教育").status_code == 302
    db.session.refresh(draft_list)
    assert draft_list.categories == ["民生实事工程", "道路交通"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "交通"}, "分类“交通”已经存在"),
        ({"name": "   "}, "请填写分类名称"),
        ({"name": "长" * 41}, "40"),
        ({"old": "教育", "name": "交通"}, "分类“交通”已经存在"),
        ({"old": "水利", "name": "农田水利"}, "这份清单没有分类“水利”"),
    ],
)
def test_bad_category_names_are_refused_with_the_typing_kept(people, draft_list, data, message):
    draft_list.categories = ["教育", "交通"]
    db.session.commit()
    response = settings(people, draft_list, **data)
    assert response.status_code in (200, 409)
    assert message in text_of(response)
    if data["name"].strip() and data.get("old") != "水利":  # (no row to rename: a forged request)
        assert f'value="{data["name"]}"' in html_of(response)
    db.session.refresh(draft_list)
    assert draft_list.categories == ["教育", "交通"]


@pytest.mark.parametrize("persona", ["lead_clerk", "supervisor", "county"])
def test_only_the_presidium_manages_a_lists_settings(people, draft_list, persona):
    client = people.client(persona)
    assert client.get(f"/lists/{draft_list.id}/settings").status_code == 403
    assert client.post(f"/lists/{draft_list.id}/categories", data={"name": "教育"}).status_code == 403
    assert client.post(f"/lists/{draft_list.id}/defaults", data={"title_is_target": "y"}).status_code == 403


def test_another_townships_presidium_does_not_find_the_settings(people, draft_list):
    client = people.client("presidium_elsewhere")
    assert client.get(f"/lists/{draft_list.id}/settings").status_code == 404
    assert client.post(f"/lists/{draft_list.id}/categories", data={"name": "教育"}).status_code == 404


def test_the_list_page_groups_items_by_category_in_the_lists_order(people, count_queries):
    supervision_list = people.factory.supervision_list()
    supervision_list.categories = ["交通", "教育"]
    people.item(title="未分类的事项")
    people.item(title="学校操场", category="教育")
    people.item(title="村道硬化", category="交通")
    db.session.commit()

    html = html_of(people.client("presidium").get(f"/lists/{supervision_list.id}"))
    headers = [html.index(f">{name} <small") for name in ("交通", "教育", "未分类")]
    assert headers == sorted(headers)
    assert (
        html.index("村道硬化") < headers[1] < html.index("学校操场") < headers[2] < html.index("未分类的事项")
    )

    few = statements(people, "presidium", f"/lists/{supervision_list.id}", count_queries)
    few_list = statements(people, "presidium", f"/items/?list={supervision_list.id}", count_queries)
    for number in range(30):
        more = people.item(title=f"更多事项{number}", category=("交通", "教育", "")[number % 3])
        more.joint_lead_offices = [people.other_office] if number % 2 else []
    db.session.commit()
    assert statements(people, "presidium", f"/lists/{supervision_list.id}", count_queries) == few
    assert statements(people, "presidium", f"/items/?list={supervision_list.id}", count_queries) == few_list

    listed = html_of(people.client("presidium").get(f"/items/?list={supervision_list.id}"))
    assert listed.index(">交通 <small") < listed.index(">教育 <small") < listed.index(">未分类 <small")


def test_confirming_applies_the_defaults_and_says_which_items_use_them(people, draft_list):
    complete = people.item("draft", title="集镇污水管网改造")
    no_deadline = people.item("draft", title="新建农贸市场", deadline=None)
    no_target = people.item("draft", title="村道硬化 12 公里", target="")
    chair = people.client("presidium")
    response = chair.post(
        f"/lists/{draft_list.id}/defaults", data={"default_deadline": "2026-11-30", "title_is_target": "y"}
    )
    assert response.status_code == 302

    page = text_of(chair.get(f"/lists/{draft_list.id}"))
    assert f"{no_deadline.code}（完成时限）" in page and f"{no_target.code}（目标）" in page
    response = chair.post(f"/lists/{draft_list.id}/confirm", follow_redirects=True)
    text = text_of(response)
    assert f"按清单默认完成时限的事项：{no_deadline.code}。" in text
    assert f"以事项名称为目标的事项：{no_target.code}。" in text
    for item in (complete, no_deadline, no_target):
        db.session.refresh(item)
        assert item.state is ItemState.listed
    assert no_deadline.deadline == date(2026, 11, 30) and no_target.target == "村道硬化 12 公里"
    assert complete.deadline == date(2026, 12, 31) and complete.from_list_defaults == set()

    item_page = text_of(chair.get(f"/items/{no_deadline.id}"))
    assert "2026-11-30 按清单默认" in item_page
    assert "按清单默认" in text_of(chair.get(f"/items/{no_target.id}"))
    assert "按清单默认" not in text_of(chair.get(f"/items/{complete.id}"))


def test_confirming_still_refuses_an_item_without_a_lead_unit_and_names_it(people, draft_list):
    fine = people.item("draft", deadline=None, target="")
    no_lead = people.item("draft", lead_office_id=None, deadline=None, target="")
    response = people.client("presidium").post(f"/lists/{draft_list.id}/confirm", follow_redirects=True)
    assert f"事项 {no_lead.code} 缺少：主办单位。" in text_of(response)
    for item in (fine, no_lead):
        db.session.refresh(item)
        assert (item.state, item.deadline, item.target) == (ItemState.draft, None, "")


def test_without_the_title_as_target_a_missing_target_is_refused(people, draft_list):
    no_target = people.item("draft", target="")
    chair = people.client("presidium")
    assert chair.post(f"/lists/{draft_list.id}/defaults", data={}).status_code == 302
    response = chair.post(f"/lists/{draft_list.id}/confirm", follow_redirects=True)
    assert f"事项 {no_target.code} 缺少：目标/标准。" in text_of(response)
    db.session.refresh(no_target)
    assert no_target.state is ItemState.draft


def test_a_default_deadline_outside_the_lists_year_is_refused_with_the_typing_kept(people, draft_list):
    response = people.client("presidium").post(
        f"/lists/{draft_list.id}/defaults", data={"default_deadline": "2027-03-31", "title_is_target": "y"}
    )
    refusal_page(response, "默认完成时限须在清单年度（2026 年）内")
    assert 'value="2027-03-31"' in html_of(response)
    db.session.refresh(draft_list)
    assert draft_list.default_deadline is None
    assert db.session.execute(db.select(Item).where(Item.list_id == draft_list.id)).first() is None
