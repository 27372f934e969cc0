"""Bad input gets a clear Chinese message, keeps what the clerk typed, and writes nothing."""

import pytest

from supervise.extensions import db
from supervise.org.models import Deputy, LiaisonStation, Office
from tests.helpers import count, html_of

from .cases import KIND_CASES, every_kind, is_selected, make


def typed_values_kept(html: str, typed: dict) -> None:
    for name, value in typed.items():
        assert f'value="{value}"' in html, name
        if name == "level":
            assert is_selected(html, value)


@every_kind
def test_empty_name_is_refused_and_the_rest_of_the_form_is_kept(client, login_as, kind):
    login_as("presidium")
    before = count(kind.model)

    response = client.post(f"/manage/{kind.key}/new", data={"name": "  ", **kind.typed})

    assert response.status_code == 200
    html = html_of(response)
    assert kind.name_required in html
    typed_values_kept(html, kind.typed)
    assert count(kind.model) == before


@every_kind
def test_empty_name_on_edit_keeps_the_record_and_the_typing(client, factory, login_as, kind):
    record = make(factory, kind, factory.default_township, "原名称")
    login_as("presidium")

    response = client.post(f"/manage/{kind.key}/{record.id}/edit", data={"name": "", **kind.typed})

    assert response.status_code == 200
    html = html_of(response)
    assert kind.name_required in html
    typed_values_kept(html, kind.typed)
    db.session.refresh(record)
    assert record.name == "原名称"


@every_kind
def test_county_staffs_chosen_township_stays_selected_after_an_error(client, login_as, county, kind):
    login_as("county", township=county.home)

    response = client.post(
        f"/manage/{kind.key}/new", data={"name": "", "township_id": county.neighbour.id, **kind.typed}
    )

    assert response.status_code == 200
    assert is_selected(html_of(response), county.neighbour.id)


@every_kind
def test_a_name_already_used_in_the_township_is_refused(client, factory, login_as, kind):
    make(factory, kind, factory.default_township, "重名记录")
    login_as("presidium")
    before = count(kind.model)

    response = client.post(f"/manage/{kind.key}/new", data={"name": " 重名记录 ", **kind.typed})

    assert response.status_code == 200
    assert "“重名记录”已经存在。" in html_of(response)
    assert count(kind.model) == before


@every_kind
def test_renaming_to_a_name_already_used_is_refused(client, factory, login_as, kind):
    make(factory, kind, factory.default_township, "已有名称")
    record = make(factory, kind, factory.default_township, "原名称")
    login_as("presidium")

    response = client.post(f"/manage/{kind.key}/{record.id}/edit", data={"name": "已有名称", **kind.typed})

    assert response.status_code == 200
    assert "“已有名称”已经存在。" in html_of(response)
    db.session.refresh(record)
    assert record.name == "原名称"


@every_kind
def test_a_record_keeps_its_own_name_when_saved_unchanged(client, factory, login_as, kind):
    record = make(factory, kind, factory.default_township, "原名称")
    login_as("presidium")

    response = client.post(f"/manage/{kind.key}/{record.id}/edit", data={"name": "原名称", **kind.typed})

    assert response.status_code == 302


@every_kind
def test_the_same_name_may_be_used_in_another_township(client, factory, login_as, county, kind):
    make(factory, kind, county.neighbour, "同名记录")
    login_as("presidium", township=county.home)

    response = client.post(f"/manage/{kind.key}/new", data={"name": "同名记录", **kind.typed})

    assert response.status_code == 302
    assert count(kind.model, name="同名记录") == 2


@every_kind
def test_a_name_too_long_gets_a_chinese_message(client, login_as, kind):
    login_as("presidium")

    response = client.post(f"/manage/{kind.key}/new", data={"name": "长" * 81, **kind.typed})

    assert response.status_code == 200
    assert "不能超过" in html_of(response)
    assert count(kind.model) == 0


@pytest.mark.parametrize("link", ["station_id", "group_id"])
def test_a_deputy_cannot_be_linked_to_another_townships_station_or_group(
    client, factory, login_as, county, link
):
    foreign = factory.station(county.neighbour) if link == "station_id" else factory.group(county.neighbour)
    login_as("presidium", township=county.home)

    response = client.post(
        "/manage/deputies/new", data={"name": "李秀英", "level": "township", link: foreign.id}
    )

    assert response.status_code == 200
    assert "所选的联络站或代表小组不属于这个镇。" in html_of(response)
    assert count(Deputy, name="李秀英") == 0


def test_county_staff_cannot_link_a_deputy_across_townships(client, factory, login_as, county):
    station = factory.station(county.neighbour)
    login_as("county", township=county.home)

    response = client.post(
        "/manage/deputies/new",
        data={"name": "李秀英", "level": "township", "township_id": county.home.id, "station_id": station.id},
    )

    assert response.status_code == 200
    assert "所选的联络站或代表小组不属于这个镇。" in html_of(response)
    assert count(Deputy, name="李秀英") == 0


def test_a_deputy_links_to_its_townships_station_and_group(client, factory, login_as):
    station, group = factory.station(name="江口联络站"), factory.group(name="第一小组")
    login_as("presidium")

    response = client.post(
        "/manage/deputies/new",
        data={"name": "李秀英", "level": "both", "station_id": station.id, "group_id": group.id},
    )

    assert response.status_code == 302
    deputy = db.session.execute(db.select(Deputy).filter_by(name="李秀英")).scalar_one()
    assert (deputy.station, deputy.group, deputy.level.value) == (station, group, "both")
    html = html_of(client.get("/manage/deputies/"))
    assert "江口联络站" in html and "第一小组" in html


def test_editing_a_deputy_keeps_the_link_to_a_deactivated_station(client, factory, login_as):
    station = factory.station(name="已停用联络站")
    deputy = factory.deputy(station_id=station.id)
    station.is_active = False
    login_as("presidium")

    html = html_of(client.get(f"/manage/deputies/{deputy.id}/edit"))
    assert is_selected(html, station.id)


@pytest.mark.parametrize("phone", ["abc", "1380000000x", "123", "1" * 21, "<script>"])
def test_an_invalid_phone_number_is_refused(client, login_as, phone):
    login_as("presidium")

    response = client.post(
        "/manage/deputies/new", data={"name": "王德明", "level": "township", "phone": phone}
    )

    assert response.status_code == 200
    assert "电话号码只能包含数字、空格、+ 和 -，5 到 20 位。" in html_of(response)
    assert count(Deputy, name="王德明") == 0


@pytest.mark.parametrize(
    "kind_key, forged",
    [
        ("deputies", {"level": "mayor"}),
        ("stations", {"level": "province"}),
        ("deputies", {"level": "township", "station_id": "abc"}),
        ("deputies", {"level": "township", "group_id": "999999"}),
    ],
)
def test_forged_choices_are_refused_without_an_error_page(client, login_as, kind_key, forged):
    login_as("presidium")
    model = {"deputies": Deputy, "stations": LiaisonStation}[kind_key]

    response = client.post(f"/manage/{kind_key}/new", data={"name": "伪造", **forged})

    assert response.status_code == 200
    assert "alert-danger" in html_of(response)
    assert count(model, name="伪造") == 0


@pytest.mark.parametrize("township_id", ["x", "", "999999", "neighbour"])
def test_presidium_records_go_to_its_township_whatever_township_is_posted(
    client, login_as, county, township_id
):
    login_as("presidium", township=county.home)
    posted = county.neighbour.id if township_id == "neighbour" else township_id

    response = client.post(
        "/manage/deputies/new", data={"name": "王德明", "level": "township", "township_id": posted}
    )

    assert response.status_code == 302
    assert count(Deputy, name="王德明", township_id=county.home.id) == 1


@pytest.mark.parametrize("township_id", ["", "999999"])
def test_admin_must_name_an_existing_township(client, login_as, township_id):
    login_as("admin")

    response = client.post("/manage/offices/new", data={"name": "无主站所", "township_id": township_id})

    assert response.status_code == 200
    assert "请选择一个您管理的镇。" in html_of(response)
    assert count(Office, name="无主站所") == 0


def test_kind_cases_cover_every_township_kind():
    from supervise.org.registry import KINDS

    township_kinds = {key for key, kind in KINDS.items() if kind.scope == "township"}
    assert township_kinds == {kind.key for kind in KIND_CASES}


def test_nul_characters_are_refused_with_a_clear_page(client, login_as):
    login_as("presidium")

    response = client.post("/manage/deputies/new", data={"name": "李\x00四 ", "level": "township"})

    assert response.status_code == 400
    assert "提交的内容无法处理" in response.get_data(as_text=True)
    assert count(Deputy, name="李四") == 0


HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "method, url, data, status",
    [
        ("get", f"/manage/deputies/?township={HUGE}", None, 200),
        ("get", "/manage/deputies/?q=%00", None, 400),
        ("get", f"/manage/deputies/new?township={HUGE}", None, 200),
        ("get", f"/manage/deputies/{HUGE}/edit", None, 404),
        ("post", f"/manage/deputies/{HUGE}/active", {"active": "0"}, 404),
        ("post", "/manage/deputies/new", {"name": "王德明", "level": "township", "station_id": HUGE}, 200),
        ("post", "/manage/deputies/new", {"name": "王德明", "level": "township", "township_id": HUGE}, 200),
        (
            "post",
            "/manage/townships/new",
            {"name": "新镇", "short_name": "新", "slug": "xin", "county_id": HUGE},
            200,
        ),
    ],
)
def test_impossible_ids_and_nul_characters_get_an_answer_not_an_error_page(
    client, login_as, method, url, data, status
):
    login_as("county")

    response = getattr(client, method)(url, data=data)

    assert response.status_code == status
    html_of(response)
    assert count(Deputy, name="王德明") == 0
