"""Presidium and county staff list, create, edit, deactivate and reactivate their organisation's records."""

import pytest

from supervise.extensions import db
from tests.helpers import count, html_of

from .cases import every_kind, listed, make


@every_kind
def test_presidium_lists_only_its_own_townships_records(client, factory, login_as, county, kind):
    make(factory, kind, county.home, "江口本镇记录")
    make(factory, kind, county.neighbour, "城关外镇记录")
    login_as("presidium", township=county.home)

    html = listed(client.get(f"/manage/{kind.key}/"))

    assert "江口本镇记录" in html
    assert "城关外镇记录" not in html


@every_kind
def test_presidium_creates_in_its_own_township_even_when_another_is_posted(client, login_as, county, kind):
    login_as("presidium", township=county.home)

    response = client.post(
        f"/manage/{kind.key}/new", data={"name": "新记录", "township_id": county.neighbour.id, **kind.typed}
    )

    assert response.status_code == 302
    record = db.session.execute(db.select(kind.model).filter_by(name="新记录")).scalar_one()
    assert record.township_id == county.home.id
    for name, value in kind.typed.items():
        assert getattr(record, name) == value
    assert "新记录" in listed(client.get(response.location))


@every_kind
def test_presidium_edits_a_record(client, factory, login_as, county, kind):
    record = make(factory, kind, county.home, "旧名称")
    login_as("presidium", township=county.home)
    assert "旧名称" in html_of(client.get(f"/manage/{kind.key}/{record.id}/edit"))

    response = client.post(f"/manage/{kind.key}/{record.id}/edit", data={"name": "新名称", **kind.typed})

    assert response.status_code == 302
    db.session.refresh(record)
    assert record.name == "新名称"
    assert record.township_id == county.home.id


@every_kind
def test_presidium_deactivates_and_reactivates_a_record(client, factory, login_as, county, kind):
    record = make(factory, kind, county.home, "要停用的记录")
    login_as("presidium", township=county.home)

    assert client.post(f"/manage/{kind.key}/{record.id}/active", data={"active": "0"}).status_code == 302
    db.session.refresh(record)
    assert not record.is_active
    assert "要停用的记录" not in listed(client.get(f"/manage/{kind.key}/"))
    assert "要停用的记录" in listed(client.get(f"/manage/{kind.key}/?inactive=1"))

    assert client.post(f"/manage/{kind.key}/{record.id}/active", data={"active": "1"}).status_code == 302
    db.session.refresh(record)
    assert record.is_active
    assert "要停用的记录" in listed(client.get(f"/manage/{kind.key}/"))


FOREIGN_ACTIONS = {
    "open edit form": lambda client, url: client.get(f"{url}/edit"),
    "save edit": lambda client, url: client.post(f"{url}/edit", data={"name": "被改名"}),
    "deactivate": lambda client, url: client.post(f"{url}/active", data={"active": "0"}),
}


@every_kind
@pytest.mark.parametrize("action", FOREIGN_ACTIONS)
def test_another_townships_record_is_not_found_for_presidium(client, factory, login_as, county, kind, action):
    foreign = make(factory, kind, county.neighbour, "外镇记录")
    login_as("presidium", township=county.home)

    response = FOREIGN_ACTIONS[action](client, f"/manage/{kind.key}/{foreign.id}")

    assert response.status_code == 404
    db.session.refresh(foreign)
    assert (foreign.name, foreign.is_active) == ("外镇记录", True)


@every_kind
def test_county_staff_manage_every_township_of_their_county(client, factory, login_as, county, kind):
    record = make(factory, kind, county.neighbour, "城关记录")
    make(factory, kind, county.far, "外县记录")
    login_as("county", township=county.home)

    html = listed(client.get(f"/manage/{kind.key}/"))
    assert "城关记录" in html and "外县记录" not in html

    response = client.post(
        f"/manage/{kind.key}/{record.id}/edit",
        data={"name": "城关改名", "township_id": county.neighbour.id, **kind.typed},
    )
    assert response.status_code == 302
    db.session.refresh(record)
    assert (record.name, record.township_id) == ("城关改名", county.neighbour.id)

    assert client.post(f"/manage/{kind.key}/{record.id}/active", data={"active": "0"}).status_code == 302
    db.session.refresh(record)
    assert not record.is_active


@every_kind
def test_county_staff_create_in_the_township_they_choose(client, login_as, county, kind):
    login_as("county", township=county.home)

    response = client.post(
        f"/manage/{kind.key}/new",
        data={"name": "城关新记录", "township_id": county.neighbour.id, **kind.typed},
    )

    assert response.status_code == 302
    record = db.session.execute(db.select(kind.model).filter_by(name="城关新记录")).scalar_one()
    assert record.township_id == county.neighbour.id


@every_kind
@pytest.mark.parametrize("action", FOREIGN_ACTIONS)
def test_another_countys_record_is_not_found_for_county_staff(
    client, factory, login_as, county, kind, action
):
    foreign = make(factory, kind, county.far, "外县记录")
    login_as("county", township=county.home)

    response = FOREIGN_ACTIONS[action](client, f"/manage/{kind.key}/{foreign.id}")

    assert response.status_code == 404
    db.session.refresh(foreign)
    assert (foreign.name, foreign.is_active) == ("外县记录", True)


@every_kind
def test_county_staff_cannot_create_in_another_countys_township(client, login_as, county, kind):
    login_as("county", township=county.home)

    response = client.post(
        f"/manage/{kind.key}/new", data={"name": "越界记录", "township_id": county.far.id, **kind.typed}
    )

    assert response.status_code == 200
    assert "请选择一个您管理的镇。" in html_of(response)
    assert count(kind.model, name="越界记录") == 0


@every_kind
def test_county_staff_cannot_move_a_record_into_another_county(client, factory, login_as, county, kind):
    record = make(factory, kind, county.home, "江口记录")
    login_as("county", township=county.home)

    response = client.post(
        f"/manage/{kind.key}/{record.id}/edit",
        data={"name": "江口记录", "township_id": county.far.id, **kind.typed},
    )

    # The edit form has no township: a forged one is ignored and the record stays where it is.
    assert response.status_code == 302
    db.session.refresh(record)
    assert record.township_id == county.home.id


@every_kind
def test_admin_manages_records_of_any_county(client, factory, login_as, county, kind):
    record = make(factory, kind, county.far, "外县记录")
    login_as("admin")

    assert "外县记录" in listed(client.get(f"/manage/{kind.key}/"))
    response = client.post(
        f"/manage/{kind.key}/{record.id}/edit",
        data={"name": "外县改名", "township_id": county.far.id, **kind.typed},
    )
    assert response.status_code == 302


MANAGE_PAGES = [
    ("get", "/manage/{kind}/"),
    ("get", "/manage/{kind}/new"),
    ("post", "/manage/{kind}/new"),
    ("get", "/manage/{kind}/{id}/edit"),
    ("post", "/manage/{kind}/{id}/edit"),
    ("post", "/manage/{kind}/{id}/active"),
]


@every_kind
@pytest.mark.parametrize("role", ["deputy", "government"])
@pytest.mark.parametrize("method, url", MANAGE_PAGES)
def test_deputies_and_government_clerks_may_not_manage(client, factory, login_as, kind, role, method, url):
    record = make(factory, kind, factory.default_township, "本镇记录")
    login_as(role)
    before = count(kind.model)

    response = getattr(client, method)(
        url.format(kind=kind.key, id=record.id), data={"name": "新名称", "active": "0"}
    )

    assert response.status_code == 403
    assert "您的账号无权进行此操作。" in html_of(response)
    assert count(kind.model) == before
    db.session.refresh(record)
    assert (record.name, record.is_active) == ("本镇记录", True)


@pytest.mark.parametrize(
    "role, url",
    [
        ("deputy", "/manage/deputies/import"),
        ("government", "/manage/deputies/import"),
        ("deputy", "/manage/deputies/import/template.xlsx"),
        ("presidium", "/manage/townships/"),
        ("presidium", "/manage/townships/new"),
        ("presidium", "/manage/counties/"),
        ("county", "/manage/counties/"),
        ("county", "/manage/counties/new"),
    ],
)
def test_pages_above_a_roles_reach_are_forbidden(client, login_as, role, url):
    login_as(role)
    assert client.get(url).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/manage/deputies/")
    assert response.status_code == 302
    assert "/login" in response.location


def test_unknown_kind_is_not_found(client, login_as):
    login_as("admin")
    assert client.get("/manage/planets/").status_code == 404


def test_list_search_finds_by_name_and_treats_wildcards_literally(client, factory, login_as):
    factory.office(name="农业综合服务站")
    factory.office(name="财政所")
    login_as("presidium")

    html = listed(client.get("/manage/offices/?q=农业"))
    assert "农业综合服务站" in html and "财政所" not in html

    html = listed(client.get("/manage/offices/?q=%25"))
    assert "农业综合服务站" not in html and "财政所" not in html


def test_county_staff_filter_the_list_by_township(client, factory, login_as, county):
    factory.group(county.home, "江口小组")
    factory.group(county.neighbour, "城关小组")
    login_as("county", township=county.home)

    html = listed(client.get(f"/manage/groups/?township={county.neighbour.id}"))

    assert "城关小组" in html and "江口小组" not in html


@every_kind
def test_presidium_is_not_offered_a_township_to_choose(client, factory, login_as, kind):
    record = make(factory, kind, factory.default_township, "本镇记录")
    login_as("presidium")

    for url in (f"/manage/{kind.key}/new", f"/manage/{kind.key}/{record.id}/edit"):
        assert 'name="township_id"' not in html_of(client.get(url))


def test_county_staff_choose_among_their_countys_townships(client, login_as, county):
    login_as("county", township=county.home)

    html = html_of(client.get("/manage/offices/new"))

    assert 'name="township_id"' in html
    assert "城关镇" in html and "涧池镇" not in html


def test_names_are_shown_as_text_never_as_markup(client, factory, login_as):
    factory.office(name="<script>alert(1)</script>")
    login_as("presidium")

    html = listed(client.get("/manage/offices/"))

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_editing_never_moves_a_record_to_another_township(client, login_as, factory):
    from supervise.org.models import Office

    login_as("county")
    office = factory.office(name="财政所")
    other = factory.township("邻镇")
    response = client.post(
        f"/manage/offices/{office.id}/edit", data={"name": "财政所", "township_id": other.id}
    )
    assert response.status_code == 302
    assert db.session.get(Office, office.id).township_id == factory.default_township.id
