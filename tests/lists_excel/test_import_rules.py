"""An imported row obeys the item form's rules (lists/item_rules.py): no office both leads and assists,
this year's investment within the total; this year's approximate figure is said; a category written
another way ("教育类") goes into the list's own ("教育")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from supervise.core.errors import DomainError
from supervise.extensions import db
from supervise.lists import operations
from supervise.lists.item_rows import category_key
from supervise.lists.models import Item
from tests.helpers import html_of

from .conftest import nothing_written, preview, reported, sheet, upload

THIS_YEAR = "本年度计划投资（万元）"
HEADERS = ["事项名称", "主办单位", "联合牵头单位", "协办单位", "计划资金（万元）", THIS_YEAR, "分类"]


def row(title: str, **cells) -> dict:
    return {"事项名称": title, "主办单位": "交通运输站", **cells}


def test_an_office_leading_and_assisting_or_this_year_over_the_total_is_the_rows_problem(
    client, login_as, jiangkou
):
    login_as("presidium")
    data = sheet(
        row("好的一行", 协办单位="水利站"),  # 2
        row("主办又协办", 协办单位="水利站、交通运输站"),  # 3
        row("联合牵头又协办", 联合牵头单位="水利站", 协办单位="水利站"),  # 4
        row("牵头格写了两个", 主办单位="交通运输站、水利站", 协办单位="水利站"),  # 5
        row("本年超过总额", **{"计划资金（万元）": 100, THIS_YEAR: "约120万元"}),  # 6
        row("本年等于总额", **{"计划资金（万元）": 100, THIS_YEAR: 100}),  # 7: fine
        headers=HEADERS,
    )

    response = upload(client, jiangkou.commitments.id, data)

    assert reported(response) == [
        ("3", "协办单位", "交通运输站 不能既是主办单位又是协办单位。"),
        ("4", "协办单位", "水利站 不能既是联合牵头单位又是协办单位。"),
        ("5", "协办单位", "水利站 不能既是联合牵头单位又是协办单位。"),
        ("6", THIS_YEAR, "本年度计划投资不能超过计划资金总额。"),
    ]
    assert nothing_written()


def test_the_item_operations_refuse_an_office_that_leads_and_assists(login_as, jiangkou):
    chair = login_as("presidium")
    with pytest.raises(DomainError, match="交通运输站 不能既是主办单位又是协办单位"):
        operations.create_item(
            chair,
            jiangkou.commitments,
            {"title": "一个事项", "lead_office_id": jiangkou.transport.id},
            assisting=[jiangkou.transport],
        )


def test_an_approximate_figure_for_this_year_is_said_and_kept_as_written(client, login_as, jiangkou):
    login_as("presidium")
    data = sheet(
        row("校舍维修", **{"计划资金（万元）": "约300万元", THIS_YEAR: "约100万元"}), headers=HEADERS
    )

    page = html_of(preview(client, jiangkou.commitments.id, data))
    assert "第 2 行：本年度计划投资（万元）按约数100万元记录。" in page
    # 约 ("about") is kept as written, never turned into 余 ("more than"): no 原文 beside it.
    assert "约300万元" in page and "300余万元" not in page and "原文：约300万元" not in page

    response = upload(client, jiangkou.commitments.id, data)
    assert response.status_code == 302, reported(response)
    item = db.session.execute(select(Item).where(Item.title == "校舍维修")).scalar_one()
    assert (item.planned_funds, item.planned_funds_approx, item.planned_funds_about) == (
        Decimal("300.00"),
        True,
        True,
    )
    assert item.planned_funds_this_year == Decimal("100.00")


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("教育类", "教育"),
        ("交通出行 类", "交通出行"),
        ("医疗卫生方面", "医疗卫生"),
        ("ＡＢ项目", "AB"),
        ("类", "类"),
    ],
)
def test_a_category_is_compared_without_its_trailing_kind_word_or_width(written, key):
    assert category_key(written) == key


def test_a_category_written_another_way_goes_into_the_lists_own(client, login_as, jiangkou):
    login_as("presidium")
    jiangkou.commitments.categories = ["教育", "交通出行"]
    db.session.flush()
    data = sheet(
        row("校舍维修", 分类="教育类"),
        row("公交站台", 分类="交通出行类"),
        row("村道护栏", 分类="交通出行"),
        row("老年食堂", 分类="养老类"),  # nothing near it: a new category
        headers=HEADERS,
    )

    page = html_of(preview(client, jiangkou.commitments.id, data))
    assert "“教育类”归入已有分类“教育”。" in page and "“交通出行类”归入已有分类“交通出行”。" in page
    assert "清单将增加分类：养老类。" in page

    response = upload(client, jiangkou.commitments.id, data)
    assert response.status_code == 302, reported(response)
    items = {i.title: i.category for i in db.session.execute(select(Item)).scalars()}
    assert items == {"校舍维修": "教育", "公交站台": "交通出行", "村道护栏": "交通出行", "老年食堂": "养老类"}
    assert jiangkou.commitments.categories == ["教育", "交通出行", "养老类"]
