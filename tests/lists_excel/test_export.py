"""Exporting the filtered item list to .xlsx: the same items as the page, safe to open in Excel."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from supervise.lists.export import EXPORT_HEADERS
from tests.helpers import html_of


def export(client, query: str = ""):
    response = client.get(f"/items/export.xlsx{query}")
    assert response.status_code == 200, html_of(response)[:300]
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"]
    return load_workbook(io.BytesIO(response.data)).worksheets[0]


def rows(sheet) -> list[dict]:
    header = [cell.value for cell in sheet[1]]
    return [dict(zip(header, values)) for values in sheet.iter_rows(min_row=2, values_only=True)]


def titles(sheet) -> set[str]:
    return {row["事项名称"] for row in rows(sheet)}


def test_the_export_opens_in_openpyxl_with_chinese_headers_and_typed_cells(
    client, factory, login_as, jiangkou
):
    factory.item(
        "supervising",
        title="集镇道路改造提升项目",
        township=jiangkou.township,
        lead_office_id=jiangkou.transport.id,
        planned_funds=Decimal("1200.50"),
        wide_impact=True,
        supervisors=[jiangkou.chen],
    )
    login_as("presidium")

    sheet = export(client)

    assert [cell.value for cell in sheet[1]] == EXPORT_HEADERS
    [row] = rows(sheet)
    assert row["事项名称"] == "集镇道路改造提升项目"
    assert row["主办单位"] == "交通运输站"
    assert row["义务监督员"] == "陈光明"
    assert row["状态"] == "监督中"
    assert row["影响面广"] == "是" and row["推进难度大"] is None
    assert row["完成时限"] == datetime(2026, 12, 31)  # a real Excel date, not text
    assert row["计划资金（万元）"] == 1200.5  # a number Excel can add up


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"道路", "河堤", "卫生室", "便民桥"}),
        ("?state=supervising", {"河堤"}),
        ("?office={water}", {"河堤", "卫生室"}),
        ("?q=河", {"河堤"}),
        ("?kind=suggestion", {"便民桥"}),
        ("?list={suggestions}", {"便民桥"}),
        ("?flag=high_difficulty", {"卫生室"}),
        ("?state=supervising&office={transport}", set()),
    ],
)
def test_the_export_respects_the_filters(client, factory, login_as, jiangkou, query, expected):
    township = jiangkou.township
    factory.item("listed", title="道路", township=township, lead_office_id=jiangkou.transport.id)
    factory.item("supervising", title="河堤", township=township, lead_office_id=jiangkou.water.id)
    factory.item(
        "listed", title="卫生室", township=township, lead_office_id=jiangkou.water.id, high_difficulty=True
    )
    factory.item("listed", kind="suggestion", title="便民桥", township=township)
    login_as("presidium")
    ids = {
        "water": jiangkou.water.id,
        "transport": jiangkou.transport.id,
        "suggestions": jiangkou.suggestions.id,
    }

    assert titles(export(client, query.format(**ids))) == expected


@pytest.mark.parametrize("role", ["presidium", "government", "deputy"])
def test_another_townships_items_are_never_exported(client, factory, login_as, jiangkou, role):
    factory.item("listed", title="本镇事项", township=jiangkou.township)
    factory.item("listed", title="邻镇事项", township=jiangkou.neighbour)
    login_as(role)

    assert titles(export(client)) == {"本镇事项"}
    # Asking for the other township by its id changes nothing.
    assert titles(export(client, f"?township={jiangkou.neighbour.id}")) == set()


def test_county_staff_export_their_county_only(client, factory, login_as, jiangkou):
    far = factory.township("涧池镇", county=factory.county("汉阴县"))
    factory.item("listed", title="江口事项", township=jiangkou.township)
    factory.item("listed", title="城关事项", township=jiangkou.neighbour)
    factory.item("listed", title="外县事项", township=far)
    login_as("county")

    assert titles(export(client)) == {"江口事项", "城关事项"}


FORMULAS = ['=HYPERLINK("http://evil.example","点我")', "+86 123", "-5℃ 供暖保障", "@SUM(A1:A9)"]


def test_cells_starting_with_a_formula_character_are_neutralised(client, factory, login_as, jiangkou):
    for n, text in enumerate(FORMULAS):
        factory.item(
            "listed", title=text, township=jiangkou.township, description=text, source=text, area=f"=A{n}"
        )
    login_as("presidium")

    sheet = export(client)

    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    exported = rows(sheet)
    assert sorted(row["事项名称"] for row in exported) == sorted("'" + text for text in FORMULAS)
    for row in exported:
        assert row["事项内容"] == row["来源"] == row["事项名称"]
        assert row["实施区域"].startswith("'=A")
