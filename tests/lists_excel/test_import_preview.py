"""Importing a list as townships write one (.xlsx): a title row, headers by meaning, sections, joint
leads, approximate amounts, a project into next year and unit names the township lacks. The upload
shows a preview and writes nothing; the confirmation writes offices and items, all or nothing."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from supervise.core.clock import utcnow
from supervise.core.errors import DomainError
from supervise.extensions import db
from supervise.lists import importing, operations
from supervise.lists.import_preview import choice_field
from supervise.lists.models import Item
from supervise.org.models import Office
from tests.helpers import count, html_of

from .conftest import confirm_form, preview, reported, upload

HEADER = ["序号", "项目名称", "建设内容", "牵头单位", "配合单位", "时间节点", "投资（万元）", "资金来源"]
ROAD = [
    "1",
    "集镇道路改造",
    "路面黑化 2.3 公里",
    "交通运输站、镇规划建设办",
    "水利站",
    "6月底",
    "230余万元",
    "县交通局补助",
]
BRIDGE = [2, "沙坪跨河大桥", "新建大桥一座", "镇交通运输站", "", "2027年底", "约1100万元", ""]
CLINIC = [3, "村卫生室改造", "改造卫生室 4 个", "水利站", "", "第三季度", 335.1545, "镇财政"]


def real_list(*rows: list | str, title: str = "2026年江口镇民生实事项目清单") -> bytes:
    """A sheet as a township keeps its list: a merged title row, the header, section rows spanning
    the table, the items, and a 合计 row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(HEADER)
    for row in rows:
        if isinstance(row, str):
            sheet.append([row])
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=8)
        else:
            sheet.append(row)
    sheet.append(["合计", "", "", "", "", "", 1665.15, ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


REAL_LIST = ["一、交通类", ROAD, BRIDGE, "二、民生类（1项）", CLINIC]


def items_of(supervision_list) -> dict[str, Item]:
    query = select(Item).where(Item.list_id == supervision_list.id).order_by(Item.number)
    return {item.title: item for item in db.session.execute(query).scalars()}


def office_names(township) -> set[str]:
    return set(db.session.execute(select(Office.name).where(Office.township_id == township.id)).scalars())


def selected(html: str, unit_name: str) -> str:
    """The option the preview selected for a new unit name."""
    row = html.split(f"<td>{unit_name}", 1)[1].split("</tr>", 1)[0]
    return re.search(r'<option value="([^"]+)" selected>([^<]*)', row).group(2)


def test_the_upload_shows_a_preview_and_writes_nothing(client, login_as, jiangkou):
    login_as("presidium")
    offices_before = office_names(jiangkou.township)

    response = preview(client, jiangkou.commitments.id, real_list(*REAL_LIST), "民生实事.xlsx")

    assert response.status_code == 200
    html = html_of(response)
    assert "导入预览" in html and "文件“民生实事.xlsx”已检查" in html
    assert "将新建 3 个事项" in html
    assert "原文：6月底" in html and "2026-06-30" in html
    assert "原文：2027年底" in html and "跨年度至 2027 年" in html
    assert "2 个事项的计划资金是约数" in html and "约230" not in html
    # Amounts read as on every other page; the cell's own wording is beside one it does not match.
    road = html.split("<td>集镇道路改造</td>", 1)[1].split("</tr>", 1)[0]
    assert "230余万元" in road and road.count("原文") == 1  # 6月底's; "230余万元" as written
    bridge = html.split("<td>沙坪跨河大桥</td>", 1)[1].split("</tr>", 1)[0]
    assert "约1100万元" in bridge and "1100余万元" not in bridge and "原文：约" not in bridge  # as written
    clinic = html.split("<td>村卫生室改造</td>", 1)[1].split("</tr>", 1)[0]
    assert "335.15万元" in clinic and "原文：335.1545" in clinic
    assert "清单将增加分类：交通类、民生类。" in html
    assert "335.1545" in html and "335.15" in html  # the rounding is said, not done silently
    # The lead is the first unit of the cell, the others lead jointly; the assisting column stays.
    road = html.split("<td>集镇道路改造</td>", 1)[1].split("</tr>", 1)[0]
    assert "<td>交通运输站</td>" in road and "<td>镇规划建设办</td>" in road and "<td>水利站</td>" in road
    # Each name the township lacks gets its choice; the same name written another way is suggested.
    assert selected(html, "镇交通运输站") == "同一单位：交通运输站（建议）"
    assert selected(html, "镇规划建设办") == "新建为单位"
    assert "合计" not in road and "将新建 3 个" in html  # the 合计 row is no item
    assert count(Item) == 0 and office_names(jiangkou.township) == offices_before


def test_confirming_creates_the_chosen_offices_and_every_item(client, login_as, jiangkou):
    login_as("presidium")

    response = upload(client, jiangkou.commitments.id, real_list(*REAL_LIST))

    assert response.status_code == 302, reported(response)
    assert "镇规划建设办" in office_names(jiangkou.township)
    assert "镇交通运输站" not in office_names(jiangkou.township)  # the same as 交通运输站
    items = items_of(jiangkou.commitments)
    road, bridge, clinic = items["集镇道路改造"], items["沙坪跨河大桥"], items["村卫生室改造"]
    assert road.lead_office == jiangkou.transport
    assert [o.name for o in road.joint_lead_offices] == ["镇规划建设办"]
    assert [o.name for o in road.assisting_offices] == ["水利站"]
    assert (road.deadline, road.deadline_text, road.end_year) == (date(2026, 6, 30), "6月底", None)
    assert (road.planned_funds, road.planned_funds_approx, road.planned_funds_about) == (
        Decimal("230.00"),
        True,
        False,
    )
    assert (road.category, road.target, road.funds_source) == ("交通类", "路面黑化 2.3 公里", "县交通局补助")
    assert bridge.lead_office == jiangkou.transport and bridge.joint_lead_offices == []
    assert (bridge.deadline, bridge.end_year) == (date(2027, 12, 31), 2027)  # spans years
    assert (bridge.planned_funds, bridge.planned_funds_approx, bridge.planned_funds_about) == (
        Decimal("1100.00"),
        True,
        True,
    )
    assert (clinic.category, clinic.deadline, clinic.deadline_text) == (
        "民生类",
        date(2026, 9, 30),
        "第三季度",
    )
    assert (clinic.planned_funds, clinic.planned_funds_approx) == (Decimal("335.15"), False)
    assert jiangkou.commitments.categories == ["交通类", "民生类"]
    page = html_of(client.get(response.location))
    assert "已导入 3 个事项" in page and "新建单位：镇规划建设办。" in page


def test_the_user_may_map_a_name_elsewhere_or_create_the_suggested_one(client, factory, login_as, jiangkou):
    login_as("presidium")
    planning = factory.office(jiangkou.township, "规划建设办")
    first = preview(client, jiangkou.commitments.id, real_list(*REAL_LIST))
    action, choices = confirm_form(first)
    choices[choice_field("镇交通运输站")] = "new"  # not the suggestion: a unit of its own
    choices[choice_field("镇规划建设办")] = str(planning.id)

    response = client.post(action, data=choices)

    assert response.status_code == 302
    items = items_of(jiangkou.commitments)
    assert items["沙坪跨河大桥"].lead_office.name == "镇交通运输站"
    assert [o.name for o in items["集镇道路改造"].joint_lead_offices] == ["规划建设办"]
    assert "镇规划建设办" not in office_names(jiangkou.township)


def test_an_alike_office_is_preselected_and_a_new_unit_only_when_nothing_matches(
    client, factory, login_as, jiangkou
):
    """ "镇规划建设办" is not 规划建设环保办公室 written another way, only alike: the preview still
    chooses the existing office, so that confirming as shown makes no duplicate."""
    login_as("presidium")
    planning = factory.office(jiangkou.township, "规划建设环保办公室")
    first = preview(client, jiangkou.commitments.id, real_list(*REAL_LIST))
    html = html_of(first)
    assert selected(html, "镇规划建设办") == "同一单位：规划建设环保办公室（建议）"
    action, choices = confirm_form(first)

    assert client.post(action, data=choices).status_code == 302

    road = items_of(jiangkou.commitments)["集镇道路改造"]
    assert road.joint_lead_offices == [planning]
    assert "镇规划建设办" not in office_names(jiangkou.township)


def test_a_name_mapped_onto_the_rows_assisting_office_is_refused_and_writes_nothing(
    client, login_as, jiangkou
):
    """镇规划建设办 leads 集镇道路改造 jointly and 水利站 assists it: mapping the new name to 水利站
    would make one office lead and assist the item, which the item form refuses."""
    login_as("presidium")
    offices_before = office_names(jiangkou.township)
    first = preview(client, jiangkou.commitments.id, real_list(*REAL_LIST))
    action, choices = confirm_form(first)
    choices[choice_field("镇规划建设办")] = str(jiangkou.water.id)

    response = client.post(action, data=choices)

    assert response.status_code == 409
    html = html_of(response)
    assert "第 4 行（协办单位）：水利站 不能既是联合牵头单位又是协办单位。" in html
    assert "导入预览" in html and selected(html, "镇规划建设办") == "同一单位：水利站"  # the choice stays
    assert count(Item) == 0 and office_names(jiangkou.township) == offices_before


def test_one_wrong_row_writes_nothing_and_the_preview_says_which(client, login_as, jiangkou):
    login_as("presidium")
    offices_before = office_names(jiangkou.township)
    wrong = [4, "老街排水", "", "水利站", "", "尽快", "约-5万元", ""]

    response = upload(client, jiangkou.commitments.id, real_list(*REAL_LIST, wrong))

    problems = reported(response)
    assert [(row, column) for row, column, _reason in problems] == [("8", "时间节点"), ("8", "投资（万元）")]
    assert problems[1][2] == "资金不能为负数。"
    assert count(Item) == 0 and office_names(jiangkou.township) == offices_before


def test_a_row_gone_wrong_since_the_preview_rolls_the_confirmation_back(client, factory, login_as, jiangkou):
    """Between preview and confirmation another clerk added an item of the same title: the kept file
    is checked again, and neither the offices nor the items are written."""
    chair = login_as("presidium")
    action, choices = confirm_form(preview(client, jiangkou.commitments.id, real_list(*REAL_LIST)))
    operations.create_item(chair, jiangkou.commitments, {"title": "村卫生室改造"})
    db.session.commit()
    offices_before = office_names(jiangkou.township)

    response = client.post(action, data=choices)

    assert reported(response) == [("7", "项目名称", "清单中已有同名事项“村卫生室改造”。")]
    assert list(items_of(jiangkou.commitments)) == ["村卫生室改造"]
    assert office_names(jiangkou.township) == offices_before


def test_a_choice_of_another_townships_office_is_refused(client, login_as, jiangkou):
    login_as("presidium")
    action, choices = confirm_form(preview(client, jiangkou.commitments.id, real_list(*REAL_LIST)))
    theirs = {choice_field("镇交通运输站"): str(jiangkou.neighbour_office.id)}

    response = client.post(action, data={**choices, **theirs})

    assert response.status_code == 409
    assert "请为“镇交通运输站”选择“新建为单位”或本镇已有的站所。" in html_of(response)
    assert count(Item) == 0 and "镇规划建设办" not in office_names(jiangkou.township)


def test_the_kept_file_is_its_uploaders_alone_and_used_once(client, factory, login_as, jiangkou):
    login_as("presidium")
    action, choices = confirm_form(preview(client, jiangkou.commitments.id, real_list(*REAL_LIST)))
    client.post("/logout")
    login_as("presidium")  # another clerk of the same presidium

    response = client.post(action, data=choices)

    assert response.status_code == 302 and response.location.endswith(
        f"/lists/{jiangkou.commitments.id}/import"
    )
    assert count(Item) == 0
    assert "这次上传已过期或已导入" in html_of(client.get(response.location))


def test_a_confirmed_file_cannot_be_confirmed_twice(client, login_as, jiangkou):
    login_as("presidium")
    action, choices = confirm_form(preview(client, jiangkou.commitments.id, real_list(*REAL_LIST)))
    assert client.post(action, data=choices).status_code == 302

    again = client.post(action, data=choices)

    assert again.location.endswith("/import") and count(Item) == 3


def test_a_missing_required_column_is_named_with_how_it_may_be_written(client, login_as, jiangkou):
    login_as("presidium")
    workbook = Workbook()
    workbook.active.append(["序号", "项目名称", "时间节点"])
    workbook.active.append([1, "道路", "年底"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    [(row, column, reason)] = reported(preview(client, jiangkou.commitments.id, buffer.getvalue()))

    assert (row, column) == ("1", "—")
    assert reason == (
        "缺少列：主办单位。请使用页面提供的模板，或改正表头"
        "（“主办单位”可写作：牵头单位、责任单位、承办单位、实施单位）。"
    )


def test_amounts_in_a_yuan_column_are_kept_in_wan_yuan(client, login_as, jiangkou):
    login_as("presidium")
    workbook = Workbook()
    workbook.active.append(["工程名称", "责任单位", "金额（元）", "本年度投资（万元）", "级别", "类别"])
    workbook.active.append(["护栏", "交通运输站", 850000, "50余万元", "县级", "交通"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert upload(client, jiangkou.commitments.id, buffer.getvalue()).status_code == 302

    item = items_of(jiangkou.commitments)["护栏"]
    assert (item.planned_funds, item.planned_funds_this_year) == (Decimal("85.00"), Decimal("50.00"))
    assert (item.level.value, item.category) == ("county", "交通")


def test_only_the_townships_presidium_confirms(client, factory, login_as, jiangkou):
    login_as("presidium")
    action, choices = confirm_form(preview(client, jiangkou.commitments.id, real_list(*REAL_LIST)))

    client.post("/logout")
    login_as("deputy")
    assert client.post(action, data=choices).status_code == 403
    client.post("/logout")
    login_as("presidium", township=jiangkou.neighbour)
    assert client.post(action, data=choices).status_code == 404
    assert count(Item) == 0


def test_an_upload_left_unconfirmed_for_a_day_expires(client, login_as, jiangkou, monkeypatch):
    login_as("presidium")
    action, choices = confirm_form(preview(client, jiangkou.commitments.id, real_list(*REAL_LIST)))
    later = utcnow() + timedelta(days=1, minutes=1)
    monkeypatch.setattr("supervise.lists.import_pending.utcnow", lambda: later)

    response = client.post(action, data=choices)

    assert response.location.endswith("/import") and count(Item) == 0


def test_writing_refuses_a_new_name_without_its_choice(login_as, jiangkou):
    chair = login_as("presidium")

    with pytest.raises(DomainError, match="镇规划建设办"):
        importing.import_items(
            chair, real_list(*REAL_LIST), jiangkou.commitments, 100, {"镇交通运输站": None}
        )


def test_two_confirmations_at_once_write_the_list_once(client, login_as, jiangkou):
    """Of two confirmations of one upload at once (a double click; SQLite has no row lock to hold
    them apart), the second finds the upload's token claimed by the first and leads to what it
    wrote, writing nothing itself."""
    from supervise.core.idempotency import SubmissionKey

    user = login_as("presidium")
    action, choices = confirm_form(preview(client, jiangkou.commitments.id, real_list(*REAL_LIST)))
    token = action.rstrip("/").rsplit("/", 1)[-1]
    list_url = f"/lists/{jiangkou.commitments.id}"
    # The first confirmation, at the same moment: it claimed the token and wrote the list.
    db.session.add(SubmissionKey(user_id=user.id, key=token, url=list_url))
    db.session.commit()

    second = client.post(action, data=choices)

    assert second.status_code == 302 and second.location.endswith(list_url)
    assert count(Item) == 0
    assert "没有重复创建" in html_of(client.get(second.location))
