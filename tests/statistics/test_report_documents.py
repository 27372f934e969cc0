"""The charts (pygal SVG), the annual report PDF (charts as vectors, fonts embedded) and its workbook."""

from __future__ import annotations

import io
import subprocess
import xml.etree.ElementTree as ET
from fractions import Fraction

import pytest
from openpyxl import load_workbook

from supervise.progress.calendar import MonthStatus
from supervise.statistics import charts
from supervise.statistics.reporting import ReportCounts, tally
from tests.helpers import pdf_fonts, pdf_text

from .test_county_view import build_county

SVG = "{http://www.w3.org/2000/svg}"


def test_the_charts_are_valid_svg_naming_the_townships(app):
    with app.test_request_context():
        completion = charts.completion_chart([("江口镇", Fraction(1, 4)), ("城关镇", None)])
        counts = ReportCounts()
        tally(
            counts, [MonthStatus.reported, MonthStatus.late, MonthStatus.missing] + [MonthStatus.not_due] * 9
        )
        reports = charts.reports_chart(counts)
        satisfaction = charts.satisfaction_chart(
            {"江口镇": {2025: Fraction(2, 3), 2026: Fraction(1)}}, [2025, 2026]
        )
    for svg in (completion, reports, satisfaction):
        root = ET.fromstring(svg)  # noqa: S314 (our own SVG)
        assert root.tag == f"{SVG}svg"
        assert not list(root.iter(f"{SVG}script"))  # no JavaScript: an image on pages, a drawing in PDFs
        assert not list(root.iter(f"{SVG}desc"))  # nor the data of its tooltips
    labels = ET.fromstring(completion).iter(f"{SVG}text")  # noqa: S314 (our own SVG)
    texts = " ".join(t.text or "" for t in labels)
    assert "江口镇" in texts and "城关镇" in texts
    assert "2025" in satisfaction and "江口镇" in satisfaction
    # the same figures give the same bytes (a stored report stays current)
    with app.test_request_context():
        assert charts.completion_chart([("江口镇", Fraction(1, 4)), ("城关镇", None)]) == completion


@pytest.mark.usefixtures("pdf_tools")
def test_the_annual_report_pdf_draws_its_charts_as_vectors_with_embedded_fonts(
    app, factory, client, login_as, tmp_path
):
    county = build_county(factory)
    login_as(county["chair"])
    response = client.get(f"/statistics/townships/{county['a'].id}/report.pdf?year=2026")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    data = response.get_data()
    text = pdf_text(data, tmp_path)
    # the charts' titles and axis labels are text in the PDF: drawn as vectors, not pictures
    for label in ("完成率（%）", "月报报送情况（按月）", "总体满意率（%）按年度", "甲办", "12月", "2025"):
        assert label in text, label
    assert "“三清单”监督工作情况报告" in text and "未完成事项及原因" in text
    (tmp_path / "report.pdf").write_bytes(data)
    images = subprocess.run(
        ["pdfimages", "-list", str(tmp_path / "report.pdf")], capture_output=True, text=True
    )
    images = images.stdout
    assert len(images.strip().splitlines()) == 2  # the header lines alone: no raster image
    for row in pdf_fonts(data, tmp_path):
        assert (row[-5], row[-4]) == ("yes", "yes"), row


def test_the_workbook_holds_the_figures_beside_last_years(app, factory, client, login_as):
    county = build_county(factory)
    login_as("county")
    response = client.get("/statistics/county/report.xlsx?year=2026")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.get_data()))
    figures = {row[0].value: row for row in book.worksheets[0].iter_rows()}
    assert [c.value for c in figures["事项总数"][1:]] == [7, 2]
    in_time = figures["其中：按时答复"]  # a sub-line, indented by its cell's format
    assert [c.value for c in in_time[1:]] == [1, 0] and in_time[0].alignment.indent == 1
    townships = [row[0] for row in book["各镇对比"].iter_rows(min_row=2, values_only=True)]
    in_pinyin_order = sorted((county["a"], county["b"]), key=lambda t: t.slug)  # as the page sorts 镇
    assert townships == [t.name for t in in_pinyin_order] + ["合计"]
