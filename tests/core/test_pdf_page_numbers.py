"""Printed documents carry one page number per page, not two (issue 11): pdf.css's @page rules print
it once ("第 2 页 共 3 页"; a "— 2 —" beside it read as a second one), and no document prints one of
its own. The blank assessment sheets carry none: each is one page, known by its serial."""

from __future__ import annotations

import re

import pytest

from supervise.evaluation.documents import summary_pdf
from supervise.notices.documents import notice_pdf
from supervise.sheets.documents import sheet_pdf
from tests.evaluation.conftest import Hall
from tests.helpers import pdf_info, pdf_text
from tests.notices.conftest import make_town
from tests.sheets.conftest import make_township

pytestmark = pytest.mark.usefixtures("pdf_tools")

# Any way a page number could be printed: "— 2 —", "第 2 页", "Page 2".
MARKS = re.compile(r"—\s*\d+\s*—|第\s*\d+\s*页|\bPage\s+\d+", re.I)


def page_marks(data: bytes, tmp_path) -> list[list[str]]:
    """The page-number marks on each page, as pdftotext reads them (each page ends with a form feed)."""
    pages = pdf_text(data, tmp_path).split("\f")[:-1]
    assert len(pages) == int(pdf_info(data, tmp_path)["Pages"])
    return [["".join(mark.split()) for mark in MARKS.findall(page)] for page in pages]


def expected(pages: int) -> list[list[str]]:
    return [[f"第{n}页"] for n in range(1, pages + 1)]


def test_a_long_notice_numbers_each_page_once(app, factory, tmp_path):
    town = make_town(factory, items=30)
    notice = town.publish()
    with app.test_request_context(base_url="http://localhost"):
        data, _fresh = notice_pdf(notice)
    marks = page_marks(data, tmp_path)
    assert len(marks) >= 2
    assert marks == expected(len(marks))
    assert f"共{len(marks)}页" in "".join(pdf_text(data, tmp_path).split())


def test_a_long_follow_up_sheet_numbers_each_page_once(app, factory, tmp_path):
    town = make_township(factory)
    findings = [f"第{n}处：沿街排水沟盖板缺失，雨天积水，群众反映强烈，请限期整改。" * 2 for n in range(40)]
    sheet = town.sheet("issued", findings=findings)
    with app.test_request_context():
        data, _fresh = sheet_pdf(sheet)
    marks = page_marks(data, tmp_path)
    assert len(marks) >= 2
    assert marks == expected(len(marks))


def test_the_result_summary_carries_one_page_number(app, factory, tmp_path):
    hall = Hall(factory)
    with app.test_request_context():
        data, _fresh = summary_pdf(hall.meeting)
    marks = page_marks(data, tmp_path)
    assert marks == expected(len(marks))
