"""The annual report's workbook holds what the pages show: 统计数据 ends with 完成率 (as the
figures table does), 站所对比 has the offices page's columns, and no sheet's titles are cut off by
default column widths."""

from __future__ import annotations

import io
import re
from html import unescape

from openpyxl import load_workbook

from tests.helpers import html_of

from .test_county_view import build_county


def headers(html: str, table_id: str) -> list[str]:
    head = html.split(f'id="{table_id}"', 1)[1].split("</thead>", 1)[0]
    return [
        unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<th\b.*?</th>", head, re.S)
    ]


def test_the_township_workbook_holds_what_its_pages_show(app, factory, client, login_as):
    county = build_county(factory)
    login_as(county["chair"])
    a = county["a"].id
    book = load_workbook(
        io.BytesIO(client.get(f"/statistics/townships/{a}/report.xlsx?year=2026").get_data())
    )

    figures = {row[0].value: row for row in book["统计数据"].iter_rows()}
    completion = figures["完成率"]
    assert completion[1].value == 0.25 and completion[1].number_format == "0.0%"  # 1 of 4, as on the page
    page = html_of(client.get(f"/statistics/townships/{a}?year=2026"))
    row = page.split('data-figure="completion"', 1)[1].split("</tr>", 1)[0]
    assert ">25.0%<" in row or ">25%<" in row

    offices_page = html_of(client.get(f"/statistics/offices?township={a}&year=2026"))
    sheet = book["站所对比"]
    assert [c.value for c in sheet[1]] == headers(offices_page, "offices")
    rows = {
        r[1]: dict(zip(headers(offices_page, "offices"), r))
        for r in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert rows["甲办"]["逾期事项"] == 1 and rows["甲办"]["月报迟报"] == 0

    last_year = load_workbook(
        io.BytesIO(client.get(f"/statistics/townships/{a}/report.xlsx?year=2025").get_data())
    )
    rows = {r[1]: r for r in last_year["站所对比"].iter_rows(min_row=2, values_only=True)}
    assert rows["甲办"][6] == 1  # April's report came late


def test_no_sheet_has_default_column_widths(app, factory, client, login_as):
    build_county(factory)
    login_as("county")
    book = load_workbook(io.BytesIO(client.get("/statistics/county/report.xlsx?year=2026").get_data()))
    unfinished = book["未完成事项"]
    assert unfinished.max_row > 1  # something to show
    for column in "ABCDEF":
        width = unfinished.column_dimensions[column].width
        header = unfinished[f"{column}1"].value
        assert width and width >= 2 * len(header) + 2, (column, width)
    longest_title = max(len(str(c.value)) for c in unfinished["B"][1:])
    assert unfinished.column_dimensions["B"].width >= min(2 * longest_title, 40)
