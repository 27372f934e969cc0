"""What a reader sees of the year's figures: a year that is no year gives this year with a message
(never a 404 or a 500), the workbook's 各镇对比 ends with its total and shows rates in percent, and
the suggestions' answer classes sit under the suggestions, in the page, the PDF and the workbook."""

from __future__ import annotations

import io
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook

from supervise.core.clock import today
from supervise.extensions import db
from tests.helpers import html_of, text_of

from .test_county_view import build_county


@pytest.mark.parametrize("year", ["abc", "99999", "1999", "-3", "２０２６x"])
@pytest.mark.parametrize("path", ["/statistics/townships", "/statistics/county", "/statistics/offices"])
def test_a_year_that_is_no_year_shows_this_year_and_says_so(app, factory, client, login_as, path, year):
    build_county(factory)
    login_as("county")
    response = client.get(f"{path}?year={year}")
    assert response.status_code == 200
    text = text_of(response)
    assert f"不是有效的年度（应为 2000–2100 年），已显示 {today().year} 年的数据。" in text
    assert f'value="{today().year}"' in html_of(response)  # the year chooser holds the year shown
    assert "不是有效的年度" not in text_of(client.get(f"{path}?year=2025"))
    assert "不是有效的年度" not in text_of(client.get(path))


def test_the_workbooks_townships_end_with_their_total_and_rates_in_percent(app, factory, client, login_as):
    build_county(factory)
    login_as("county")
    response = client.get("/statistics/county/report.xlsx?year=2026")
    sheet = load_workbook(io.BytesIO(response.get_data()))["各镇对比"]
    header = [cell.value for cell in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2))
    *townships, total = rows
    assert total[0].value == "合计" and total[0].font.bold
    for column in ("事项总数", "月报按时", "月报迟报", "月报缺报", "督办单", "督办单逾期"):
        index = header.index(column)
        assert total[index].value == sum(row[index].value for row in townships), column
    completion = header.index("完成率")
    # 江口镇 25%, 城关镇 50%, the county 2 of 6
    assert sorted(row[completion].value for row in townships) == [0.25, 0.5]
    assert total[completion].value == pytest.approx(1 / 3, abs=1e-4)
    for row in rows:
        assert row[completion].number_format == "0.0%"
        assert row[header.index("总体满意率")].number_format == "0.0%"


def _order(lines: list[str], *names: str) -> list[int]:
    return [next(i for i, line in enumerate(lines) if name in line) for name in names]


@pytest.mark.usefixtures("pdf_tools")
def test_the_answer_classes_sit_under_the_suggestions(app, factory, client, login_as, tmp_path):
    county = build_county(factory)
    login_as(county["chair"])
    html = html_of(client.get(f"/statistics/townships/{county['a'].id}?year=2026"))
    figures = [part.split('"', 1)[0] for part in html.split('data-figure="')[1:]]
    suggestion, livelihood = figures.index("kind.suggestion"), figures.index("kind.livelihood")
    assert [figures.index(f"answer.{c}") for c in "ABCD"] == list(range(suggestion + 4, suggestion + 8))
    assert suggestion < figures.index("answer.D") < livelihood
    book = load_workbook(
        io.BytesIO(client.get(f"/statistics/townships/{county['a'].id}/report.xlsx?year=2026").get_data())
    )
    labels = [row[0] for row in book.worksheets[0].iter_rows(values_only=True)]
    a, d, livelihood_at = _order(labels, "A类：已解决", "D类：留作参考", "民生实事项目")
    assert _order(labels, "代表建议")[0] < a < d < livelihood_at
    pdf = client.get(f"/statistics/townships/{county['a'].id}/report.pdf?year=2026").get_data()
    (tmp_path / "report.pdf").write_bytes(pdf)
    layout = subprocess.run(  # noqa: S603 (poppler on our own file)
        ["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = layout.stdout.splitlines()  # as printed: a table's rows one a line
    suggestion_at, a, d, livelihood_at = _order(
        lines, "代表建议", "A类：已解决", "D类：留作参考", "民生实事项目"
    )
    assert suggestion_at < a < d < livelihood_at


def test_the_pages_read_as_english_when_chosen(app, factory, client, login_as):
    county = build_county(factory)
    login_as("county")
    client.post("/language", data={"locale": "en"})
    townships = text_of(client.get("/statistics/townships?year=2026"))
    # one of each: the singular, as ngettext chooses it
    assert "1 follow-up sheet overdue" in townships and "1 item overdue" in townships
    assert "1 follow-up sheets" not in townships and "1 items" not in townships
    for path in (
        "/statistics/townships?year=2026",
        "/statistics/county?year=2026",
        f"/statistics/offices?township={county['a'].id}&year=2025",
        f"/statistics/townships/{county['a'].id}?year=2025",
        "/statistics/county?year=abc",
    ):
        text = text_of(client.get(path))
        for mark in "：；、（）。":  # Chinese punctuation in English text
            assert mark not in text, (path, mark, text[max(0, text.find(mark) - 80) : text.find(mark) + 20])
    offices = text_of(client.get(f"/statistics/offices?township={county['a'].id}&year=2025"))
    assert 'of the 2 offices rated were "Satisfied".' in offices
    assert "At the bottom:" not in offices  # two rated offices have no bottom (test_office_ranking.py)


def test_the_month_grid_behind_the_links_counts_in_english(app, factory, client, login_as):
    county = build_county(factory)
    one = factory.township("单项镇")
    factory.supervised_item(date(2025, 3, 1), year=2025, township=one)  # a row of 2025's grid
    db.session.commit()
    login_as("county")
    client.post("/language", data={"locale": "en"})
    grid = text_of(client.get(f"/progress/grid?township={county['a'].id}&year=2025&status=late"))
    assert "单项镇 (1 supervised item)" in grid
    assert "Showing the 1 item with a month “Late”." in grid
