"""County staff manage the townships of their county; the system administrator manages counties."""

import pytest

from supervise.extensions import db
from supervise.org.models import County, Township
from tests.helpers import count, html_of

from .cases import listed

NEW_TOWNSHIP = {"name": "筒车湾镇", "short_name": "筒车湾", "slug": "tongchewan"}


def test_county_staff_create_a_township_in_their_county(client, factory, login_as):
    login_as("county")

    response = client.post(
        "/manage/townships/new", data={"county_id": factory.default_county.id, **NEW_TOWNSHIP}
    )

    assert response.status_code == 302
    township = db.session.execute(db.select(Township).filter_by(slug="tongchewan")).scalar_one()
    assert (township.county_id, township.name, township.short_name) == (
        factory.default_county.id,
        "筒车湾镇",
        "筒车湾",
    )


@pytest.mark.parametrize("county_id", ["other", "", "999999"])
def test_county_staff_cannot_create_a_township_elsewhere(client, factory, login_as, county_id):
    other = factory.county("汉阴县")
    login_as("county")

    response = client.post(
        "/manage/townships/new",
        data={"county_id": other.id if county_id == "other" else county_id, **NEW_TOWNSHIP},
    )

    assert response.status_code == 200
    assert "请选择一个您管理的县。" in html_of(response)
    assert count(Township, slug="tongchewan") == 0


def test_county_staff_are_offered_only_their_own_county(client, factory, login_as):
    factory.county("汉阴县")
    login_as("county")

    html = html_of(client.get("/manage/townships/new"))

    assert "宁陕县" in html and "汉阴县" not in html


def test_county_staff_see_and_edit_only_their_countys_townships(client, factory, login_as, county):
    login_as("county", township=county.home)

    html = listed(client.get("/manage/townships/"))
    assert "江口镇" in html and "城关镇" in html and "涧池镇" not in html

    assert client.get(f"/manage/townships/{county.far.id}/edit").status_code == 404
    response = client.post(f"/manage/townships/{county.far.id}/active", data={"active": "0"})
    assert response.status_code == 404
    db.session.refresh(county.far)
    assert county.far.is_active

    response = client.post(
        f"/manage/townships/{county.neighbour.id}/edit",
        data={
            "county_id": county.neighbour.county_id,
            "name": "城关镇",
            "short_name": "城关",
            "slug": "chengguan",
        },
    )
    assert response.status_code == 302
    db.session.refresh(county.neighbour)
    assert county.neighbour.slug == "chengguan"


def test_county_staff_cannot_move_a_township_to_another_county(client, factory, login_as, county):
    login_as("county", township=county.home)
    home = county.home

    response = client.post(
        f"/manage/townships/{home.id}/edit",
        data={
            "county_id": county.far.county_id,
            "name": home.name,
            "short_name": home.short_name,
            "slug": home.slug,
        },
    )

    assert response.status_code == 200
    db.session.refresh(home)
    assert home.county_id == factory.default_county.id


def test_county_staff_deactivate_and_reactivate_a_township(client, login_as, county):
    login_as("county", township=county.home)

    client.post(f"/manage/townships/{county.neighbour.id}/active", data={"active": "0"})
    db.session.refresh(county.neighbour)
    assert not county.neighbour.is_active

    client.post(f"/manage/townships/{county.neighbour.id}/active", data={"active": "1"})
    db.session.refresh(county.neighbour)
    assert county.neighbour.is_active


@pytest.mark.parametrize("field", ["name", "short_name", "slug"])
def test_a_townships_name_short_name_and_slug_are_unique(client, factory, login_as, field):
    existing = factory.township("石泉镇")
    login_as("county")
    data = {"county_id": factory.default_county.id, **NEW_TOWNSHIP, field: getattr(existing, field)}

    response = client.post("/manage/townships/new", data=data)

    assert response.status_code == 200
    assert f"“{getattr(existing, field)}”已经存在。" in html_of(response)
    assert count(Township) == 1


@pytest.mark.parametrize("slug", ["JiangKou", "2town", "jiang-kou", "江口", ""])
def test_a_slug_must_be_lowercase_letters_and_digits(client, factory, login_as, slug):
    login_as("county")

    response = client.post(
        "/manage/townships/new", data={"county_id": factory.default_county.id, **NEW_TOWNSHIP, "slug": slug}
    )

    assert response.status_code == 200
    html = html_of(response)
    assert "只能用小写字母和数字，以字母开头。" in html or "请输入拼音代码。" in html
    assert 'value="筒车湾镇"' in html
    assert count(Township, name="筒车湾镇") == 0


def test_admin_creates_a_county_and_a_township_in_it(client, login_as):
    login_as("admin")

    assert client.post("/manage/counties/new", data={"name": "石泉县"}).status_code == 302
    shiquan = db.session.execute(db.select(County).filter_by(name="石泉县")).scalar_one()
    response = client.post("/manage/townships/new", data={"county_id": shiquan.id, **NEW_TOWNSHIP})

    assert response.status_code == 302
    assert count(Township, county_id=shiquan.id) == 1
    assert "石泉县" in listed(client.get("/manage/counties/"))


@pytest.mark.parametrize("county_id", ["", "999999", "abc"])
def test_admin_must_name_an_existing_county(client, login_as, county_id):
    login_as("admin")

    response = client.post("/manage/townships/new", data={"county_id": county_id, **NEW_TOWNSHIP})

    assert response.status_code == 200
    assert "alert-danger" in html_of(response)
    assert count(Township) == 0


def test_a_county_name_is_unique_and_required(client, factory, login_as):
    factory.county("汉阴县")
    login_as("admin")

    response = client.post("/manage/counties/new", data={"name": "汉阴县"})
    assert response.status_code == 200
    assert "“汉阴县”已经存在。" in html_of(response)

    response = client.post("/manage/counties/new", data={"name": ""})
    assert response.status_code == 200
    assert "请输入县名称。" in html_of(response)
    assert count(County) == 1


def test_admin_deactivates_a_county(client, factory, login_as):
    other = factory.county("汉阴县")
    login_as("admin")

    assert client.post(f"/manage/counties/{other.id}/active", data={"active": "0"}).status_code == 302
    db.session.refresh(other)
    assert not other.is_active
