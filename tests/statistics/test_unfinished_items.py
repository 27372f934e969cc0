"""The year's items not completed, on the statistics page, in the workbook and in the annual report:
exactly the items under way past their deadline, as many as the figure 逾期未完成事项 (and the county
page's 逾期事项) counts; withdrawn and carried-over items are listed apart, each with its reason."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from openpyxl import load_workbook

from supervise.extensions import db
from supervise.lists import operations as item_ops
from tests.helpers import html_of, pdf_text

from .test_county_view import build_county

CARRY_REASON = "征地手续未办结，转下年继续实施"
CARRIED_TITLE = "集镇农贸市场规范管理"


def _county_with_a_carried_item(factory) -> dict:
    county = build_county(factory)
    item = factory.item(
        "supervising", township=county["a"], lead_office_id=county["first"].id, title=CARRIED_TITLE
    )
    item_ops.fire(county["chair"], item, "carry_over", reason=CARRY_REASON)
    db.session.commit()
    county["carried"] = item
    county["copy"] = item.__class__.query.filter_by(carried_from_id=item.id).one()
    return county


def table_rows(html: str, table_id: str) -> list[list[str]]:
    """The body rows of the table ``table_id`` as cell texts (a row spanning the table aside)."""
    body = html.split(f'id="{table_id}"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = [row for row in re.findall(r"<tr\b.*?</tr>", body, re.S) if "colspan" not in row]
    return [
        [unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td\b.*?</td>", row, re.S)]
        for row in rows
    ]


def figure(html: str, name: str) -> int:
    row = html.split(f'data-figure="{name}"', 1)[1].split("</tr>", 1)[0]
    return int(re.findall(r'<td class="num text-end">(?:<a [^>]*>)?(\d+)', row)[0])


@pytest.mark.parametrize("scope", ["county", "township"])
def test_the_unfinished_list_holds_what_its_figure_counts(app, factory, client, login_as, scope):
    county = _county_with_a_carried_item(factory)
    login_as("county")
    base = "/statistics/county" if scope == "county" else f"/statistics/townships/{county['a'].id}"
    html = html_of(client.get(f"{base}?year=2026"))
    unfinished = table_rows(html, "unfinished")
    assert len(unfinished) == figure(html, "items.overdue") == 1
    assert '<a href="#unfinished">1</a>' in html  # the figure leads to its list
    assert {row[-3] for row in unfinished} == {"监督中"}  # under way; nothing withdrawn or carried over
    ended = {row[0]: row for row in table_rows(html, "ended")}
    carried = ended[county["carried"].code]
    assert carried[-3] == "已结转下年" and carried[-1] == f"{CARRY_REASON}（转入 {county['copy'].code}）"
    withdrawn = next(row for row in ended.values() if row[-3] == "已撤销")
    assert withdrawn[-1] == "测试"
    assert len(ended) == (3 if scope == "county" else 2)  # 城关镇's item carried over too

    book = load_workbook(io.BytesIO(client.get(f"{base}/report.xlsx?year=2026").get_data()))
    assert [r[0] for r in book["未完成事项"].iter_rows(min_row=2, values_only=True)] == [
        r[0] for r in unfinished
    ]
    in_book = {r[0]: r for r in book["撤销、结转事项"].iter_rows(min_row=2, values_only=True)}
    assert set(in_book) == set(ended) and in_book[county["carried"].code][-1] == carried[-1]


@pytest.mark.usefixtures("pdf_tools")
def test_the_annual_report_lists_them_as_the_page_does(app, factory, client, login_as, tmp_path):
    county = _county_with_a_carried_item(factory)
    login_as(county["chair"])
    page = html_of(client.get(f"/statistics/townships/{county['a'].id}?year=2026"))
    response = client.get(f"/statistics/townships/{county['a'].id}/report.pdf?year=2026")
    text = re.sub(r"\s+", "", pdf_text(response.get_data(), tmp_path))
    unfinished_part, ended_part = text.split("四、未完成事项及原因", 1)[1].split(
        "五、撤销、结转下年的事项", 1
    )
    # by title: a code or a reason wraps in its cell, and the PDF's text mixes their lines
    for _code, title, *_cells in table_rows(page, "unfinished"):
        assert title in unfinished_part
    assert CARRIED_TITLE not in unfinished_part and CARRIED_TITLE in ended_part


@pytest.mark.usefixtures("pdf_tools")
def test_the_annual_reports_item_titles_are_not_squeezed_by_the_reasons(
    app, factory, client, login_as, tmp_path
):
    """The county's report has the most columns (镇 too): a ten-character title beside a long reason
    still fits on one line of its cell."""
    _county_with_a_carried_item(factory)
    login_as("county")
    text = pdf_text(client.get("/statistics/county/report.pdf?year=2026").get_data(), tmp_path)
    assert any(CARRIED_TITLE in line for line in text.splitlines())
