"""The fields real lists carry on the item form and page: category, level, joint lead units,
planned investment (total, this year, approximate) and its source; amounts as lists write them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook
from werkzeug.datastructures import MultiDict

from supervise.core.amounts import wan_yuan
from supervise.extensions import db
from supervise.lists.export import EXPORT_HEADERS, FIELD_COLUMNS_ADDED, write_items
from supervise.lists.models import Item, ItemLevel
from tests.helpers import html_of, text_of

from .conftest import events_of, form_values, replaced


@pytest.mark.parametrize(
    ("value", "approx", "shown"),
    [
        (Decimal("230"), False, "230万元"),
        (Decimal("230.00"), True, "230余万元"),
        (Decimal("335.15"), False, "335.15万元"),
        (Decimal("1100.50"), True, "1100.5余万元"),
        (Decimal("12000"), False, "1.2亿元"),
        (Decimal("12345.67"), False, "12345.67万元"),
        (Decimal("0"), False, "0万元"),
        (None, True, "—"),
    ],
)
def test_amounts_read_as_lists_write_them(app, value, approx, shown):
    with app.test_request_context():
        assert wan_yuan(value, approx) == shown


@pytest.mark.parametrize(
    ("value", "approx", "unit", "shown"),
    [
        (Decimal("85"), True, True, "约85万元"),
        (Decimal("85"), True, False, "约85"),
        (Decimal("12000"), True, True, "约1.2亿元"),
        (Decimal("85"), False, True, "85万元"),  # "about" means nothing for an exact amount
    ],
)
def test_an_amount_about_so_much_is_written_with_yue(app, value, approx, unit, shown):
    with app.test_request_context():
        assert wan_yuan(value, approx, unit=unit, about=True) == shown


def test_a_figure_reads_in_english_on_a_page_and_stays_chinese_in_a_workbook(app):
    from flask_babel import force_locale

    from supervise.core.amounts import written_figure

    with app.test_request_context(), force_locale("en"):
        assert wan_yuan(Decimal("85"), True, unit=False, about=True) == "about 85"
        assert wan_yuan(Decimal("320"), True, unit=False) == "over 320"
        assert written_figure(Decimal("85"), True, about=True) == "约85"
        assert written_figure(Decimal("320"), True) == "320余"
        assert written_figure(Decimal("320.50")) == "320.5"


@pytest.fixture
def chosen(people):
    """A list with categories, and a third office for the joint lead."""
    supervision_list = people.factory.supervision_list(kind="livelihood", confirmed=False)
    supervision_list.categories = ["教育", "交通"]
    joint = people.factory.office(name="经济发展办公室")
    joint.contact_person, joint.contact_phone = "李红", "0571-8888123"
    people.lead_office.contact_person = "王强"
    db.session.commit()
    return supervision_list, joint


def _form(people, joint, **fields) -> dict:
    return {
        "title": "江口中心小学运动场改造",
        "category": "教育",
        "level": "county",
        "lead_office_id": str(people.lead_office.id),
        "joint_lead_office_ids": [str(joint.id)],
        "assisting_office_ids": [str(people.other_office.id)],
        "target": "建成 200 米塑胶跑道",
        "deadline": "2026-10-31",
        "planned_funds": "230",
        "planned_funds_this_year": "150",
        "planned_funds_approx": "y",
        "funds_source": "县级补助、镇自筹",
        **fields,
    }


def test_the_form_saves_every_field_and_the_page_shows_them(people, chosen):
    supervision_list, joint = chosen
    chair = people.client("presidium")
    response = chair.post(f"/lists/{supervision_list.id}/items/new", data=_form(people, joint))
    assert response.status_code == 302, text_of(response)

    item = db.session.execute(db.select(Item).where(Item.list_id == supervision_list.id)).scalar_one()
    assert (item.category, item.level, item.funds_source) == ("教育", ItemLevel.county, "县级补助、镇自筹")
    assert (item.planned_funds, item.planned_funds_this_year, item.planned_funds_approx) == (230, 150, True)
    assert [o.name for o in item.lead_offices] == ["规划建设环保办公室", "经济发展办公室"]

    text = text_of(chair.get(f"/items/{item.id}"))
    assert "230余万元" in text and "150万元" in text and "县级补助、镇自筹" in text
    assert "分类：教育" in text and "县级实事" in text
    assert "联合牵头单位" in text and "李红" in text and "0571-8888123" in text and "王强" in text
    # The lists name the joint leads under the lead office.
    for url in (f"/lists/{supervision_list.id}", f"/items/?list={supervision_list.id}", "/items/"):
        assert "规划建设环保办公室 联合牵头单位：经济发展办公室" in text_of(chair.get(url)), url


def test_the_clerks_wording_of_an_approximate_amount_is_kept_and_shown_so(people, chosen):
    """约230万元 (about) and 230余万元 (more than) mean different things: the item keeps which."""
    supervision_list, joint = chosen
    chair = people.client("presidium")
    data = _form(people, joint, planned_funds_about="about")
    assert chair.post(f"/lists/{supervision_list.id}/items/new", data=data).status_code == 302
    item = db.session.execute(db.select(Item).where(Item.list_id == supervision_list.id)).scalar_one()
    assert (item.planned_funds_approx, item.planned_funds_about) == (True, True)
    funds = html_of(chair.get(f"/items/{item.id}")).split('id="item-funds">', 1)[1].split("</dd>", 1)[0]
    assert "约230万元" in funds and "余" not in funds

    values = form_values(html_of(chair.get(f"/items/{item.id}/edit")), "title")
    assert ("planned_funds_about", "about") in values  # the edit form shows the wording chosen
    response = chair.post(
        f"/items/{item.id}/edit",
        data=MultiDict(replaced(values, planned_funds_about="more", reason="按清单原文")),
    )
    assert response.status_code == 302, text_of(response)
    db.session.refresh(item)
    assert (item.planned_funds_approx, item.planned_funds_about) == (True, False)
    assert "230余万元" in text_of(chair.get(f"/items/{item.id}"))
    assert events_of(item)[-1].details["changes"]["planned_funds_about"] == ["约", "余"]
    assert "约数的写法： 约 → 余" in text_of(chair.get(f"/items/{item.id}"))


def test_amending_the_joint_leads_and_funds_is_an_event_with_old_and_new(people, chosen):
    supervision_list, joint = chosen
    chair = people.client("presidium")
    chair.post(f"/lists/{supervision_list.id}/items/new", data=_form(people, joint))
    item = db.session.execute(db.select(Item).where(Item.list_id == supervision_list.id)).scalar_one()
    values = form_values(html_of(chair.get(f"/items/{item.id}/edit")), "title")
    assert ("category", "教育") in values and ("joint_lead_office_ids", str(joint.id)) in values
    values = [(n, v) for n, v in values if n not in ("joint_lead_office_ids", "planned_funds_approx")]
    response = chair.post(
        f"/items/{item.id}/edit",
        data=MultiDict(replaced(values, category="交通", level="city", reason="调整")),
    )
    assert response.status_code == 302, text_of(response)

    db.session.refresh(item)
    assert (item.category, item.level, item.joint_lead_offices, item.planned_funds_approx) == (
        "交通",
        ItemLevel.city,
        [],
        False,
    )
    changes = events_of(item)[-1].details["changes"]
    assert changes["joint_lead_offices"] == [["经济发展办公室"], []]
    assert changes["category"] == ["教育", "交通"] and changes["level"] == ["county", "city"]
    assert changes["planned_funds_approx"] == [True, False]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"joint_lead_office_ids": "LEAD"}, "联合牵头单位不能与主办单位相同"),
        ({"assisting_office_ids": "JOINT"}, "不能既是联合牵头单位又是协办单位"),
        ({"planned_funds_this_year": "300"}, "本年度计划投资不能超过计划资金总额"),
        ({"category": "水利"}, "不是有效的选择"),
        ({"level": "province"}, "不是有效的选择"),
    ],
)
def test_bad_input_is_refused_with_the_typing_kept_and_nothing_saved(people, chosen, change, message):
    supervision_list, joint = chosen
    ids = {"LEAD": [str(people.lead_office.id)], "JOINT": [str(joint.id)]}
    change = {name: ids.get(value, value) for name, value in change.items()}
    response = people.client("presidium").post(
        f"/lists/{supervision_list.id}/items/new", data=_form(people, joint, **change)
    )
    assert response.status_code in (200, 409)
    html = html_of(response)
    assert message in html or message in text_of(response)
    assert 'value="江口中心小学运动场改造"' in html and 'value="县级补助、镇自筹"' in html
    assert db.session.execute(db.select(Item).where(Item.list_id == supervision_list.id)).first() is None


def test_the_export_adds_the_new_columns_at_the_end(app, people, chosen):
    supervision_list, joint = chosen
    people.client("presidium").post(f"/lists/{supervision_list.id}/items/new", data=_form(people, joint))
    item = db.session.execute(db.select(Item).where(Item.list_id == supervision_list.id)).scalar_one()
    import io

    out = io.BytesIO()
    with app.test_request_context():
        write_items([[item]], out, lambda _percent: None)
    rows = list(load_workbook(io.BytesIO(out.getvalue()), read_only=True).active.iter_rows(values_only=True))
    assert (
        list(rows[0]) == EXPORT_HEADERS and list(rows[0][-len(FIELD_COLUMNS_ADDED) :]) == FIELD_COLUMNS_ADDED
    )
    added = dict(zip(FIELD_COLUMNS_ADDED, rows[1][-len(FIELD_COLUMNS_ADDED) :], strict=True))
    assert added["分类"] == "教育" and added["联合牵头单位"] == "经济发展办公室"
    assert added["实事级别"] == "县级" and rows[1][EXPORT_HEADERS.index("计划资金（万元）")] == "230余"
    assert added["本年度计划投资（万元）"] == 150 and added["资金来源"] == "县级补助、镇自筹"
