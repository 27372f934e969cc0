"""The township's notice settings (公示期、联系人): the presidium's page, the township's form, and
what bad input does (the message, the typing kept, nothing saved)."""

from __future__ import annotations

import pytest

from supervise.core.errors import DomainError, PermissionDenied
from supervise.extensions import db
from supervise.notices import operations as ops
from tests.helpers import statements_of_a_second_visit, text_of

GOOD = {
    "notice_objection_days": "10",
    "contact_person": "李明",
    "contact_phone": "0915-6821234 转 8001",
    "contact_address": "镇政府二楼人大办",
}


def test_the_presidium_sets_the_period_and_contact(town, client, login_as):
    login_as(town.chair)
    page = client.get("/notices/settings")
    assert page.status_code == 200 and 'value="7"' in page.get_data(as_text=True)
    response = client.post("/notices/settings", data=GOOD)
    assert response.status_code == 302
    db.session.expire_all()
    township = town.township
    assert township.notice_objection_days == 10
    assert (township.contact_person, township.contact_phone) == ("李明", "0915-6821234 转 8001")
    assert township.contact_address == "镇政府二楼人大办"
    # The preview says what the next notice will print, and links back here.
    preview = text_of(client.get("/notices/preview"))
    assert "公示期 10 天" in preview and "0915-6821234 转 8001" in preview


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"notice_objection_days": "0"}, "公示期请填写 1 到 30 之间的天数。"),
        ({"notice_objection_days": "31"}, "公示期请填写 1 到 30 之间的天数。"),
        ({"notice_objection_days": "七"}, "请填写整数。"),
        ({"notice_objection_days": ""}, "请填写公示期天数。"),
        ({"contact_phone": "无"}, "请填写电话号码"),
        ({"contact_phone": "-----"}, "请填写电话号码"),
        ({"contact_phone": "电话 0915"}, "请填写电话号码"),
        ({"contact_address": "路" * 201}, "200"),
    ],
)
def test_bad_input_is_refused_with_the_typing_kept(town, client, login_as, changes, message):
    login_as(town.chair)
    data = {**GOOD, **changes}
    response = client.post("/notices/settings", data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    for value in data.values():
        assert value in html  # what was typed stays in the form
    db.session.expire_all()
    assert town.township.notice_objection_days == 7 and town.township.contact_person == ""


@pytest.mark.parametrize(
    "phone", ["13891501234", "(0915)6821234", "0915-6821234、0915-6821235", "+86 915 6821234"]
)
def test_phones_as_people_write_them_are_accepted(town, client, login_as, phone):
    login_as(town.chair)
    assert client.post("/notices/settings", data={**GOOD, "contact_phone": phone}).status_code == 302
    db.session.expire_all()
    assert town.township.contact_phone == phone


def test_only_the_presidium_of_the_township_changes_them(town, factory, client, login_as):
    for role in ("government", "deputy", "county"):
        login_as(factory.user(role, township=town.township))
        assert client.post("/notices/settings", data=GOOD).status_code == 403
    other = factory.user("presidium", township=factory.township())
    with pytest.raises(PermissionDenied):
        ops.update_notice_settings(
            other, town.township, objection_days=5, contact_person="", contact_phone="", contact_address=""
        )
    with pytest.raises(DomainError):
        ops.update_notice_settings(
            town.chair,
            town.township,
            objection_days=0,
            contact_person="",
            contact_phone="",
            contact_address="",
        )


def test_the_township_form_edits_them_too(app, town, factory, client, login_as):
    """Admins (and county staff) edit a township's record: the same fields, the same checks."""
    admin = factory.user("admin")
    login_as(admin)
    url = f"/manage/townships/{town.township.id}/edit"
    html = client.get(url).get_data(as_text=True)
    assert "公示期（天）" in html and "联系电话" in html
    form = {
        "county_id": str(town.township.county_id),
        "name": town.township.name,
        "short_name": town.township.short_name,
        "slug": town.township.slug,
        "report_due_day": "25",
        "notice_prefix": "",
        **GOOD,
        "notice_objection_days": "45",
    }
    refused = client.post(url, data=form)
    assert refused.status_code in (400, 409, 200) and "公示期请填写 1 到 30 之间的天数。" in refused.get_data(
        as_text=True
    )
    assert client.post(url, data={**form, "notice_objection_days": "5"}).status_code == 302
    db.session.expire_all()
    assert town.township.notice_objection_days == 5 and town.township.contact_person == "李明"


def test_the_preview_runs_a_fixed_number_of_statements(town, factory, client, login_as, count_queries):
    login_as(town.chair)
    few = statements_of_a_second_visit(client, count_queries, "/notices/preview")
    joint = factory.office(town.township, name="镇财政所")
    for n in range(6):
        item = factory.item(
            "supervising", township=town.township, category=f"类{n % 2}", joint_lead_offices=[joint]
        )
        factory.report_row(item, percent=30)
    db.session.commit()
    assert statements_of_a_second_visit(client, count_queries, "/notices/preview") == few
