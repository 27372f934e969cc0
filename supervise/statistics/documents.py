"""The annual report (年度“三清单”监督工作情况报告, statistical part) of a township or a county: a PDF
made by a worker (core/documents.py) from templates/pdf/annual_report.html, in Chinese, with the
charts' SVG inside; and the same figures as a workbook, written in the request (a few dozen rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import force_locale, pgettext
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ..core.clock import today
from ..core.dates import chinese_date
from ..core.documents import Progress, StoredFile, register_stored_file
from ..core.pdf import html_to_pdf, render_pdf_html
from ..core.storage import storage
from ..core.xlsx import bold_header, workbook_bytes
from ..extensions import db
from ..org.models import County, Township
from . import charts
from .report import (
    UNFINISHED_IN_WORKBOOK,
    Report,
    UnfinishedItem,
    county_report,
    ended_undone_items,
    township_report,
    unfinished_items,
)

KIND = "annual-report"


@dataclass(frozen=True)
class AnnualReport(StoredFile):
    """Whose report of which year: a township's, or a county's (``township`` None)."""

    county: County
    township: Township | None
    year: int
    kind = KIND
    suffix = ".pdf"

    @property
    def ident(self) -> str:
        scope = f"t{self.township.id}" if self.township else f"c{self.county.id}"
        return f"{scope}-{self.year}"

    @property
    def name(self) -> str:
        return self.township.name if self.township else self.county.name

    @property
    def townships(self) -> list[Township]:
        if self.township is not None:
            return [self.township]
        active = (t for t in self.county.townships if t.is_active)
        return sorted(active, key=lambda t: t.slug)  # 拼音代码: the page's order of 镇

    def report(self, day: date | None = None) -> Report:
        day = day or today()
        if self.township is not None:
            return township_report(self.township, self.year, day)
        return county_report(self.county, self.townships, self.year, day)


def load(ident: str) -> AnnualReport | None:
    scope, _sep, year = ident.partition("-")
    if not year.isdigit() or len(scope) < 2 or not scope[1:].isdigit():
        return None
    if scope[0] == "t":
        township = db.session.get(Township, int(scope[1:]))
        return AnnualReport(township.county, township, int(year)) if township else None
    county = db.session.get(County, int(scope[1:])) if scope[0] == "c" else None
    return AnnualReport(county, None, int(year)) if county else None


def contents(record: AnnualReport) -> str:
    """The report's HTML, in Chinese (the official language of the document)."""
    with force_locale("zh_Hans_CN"):
        report = record.report()
        return render_pdf_html(
            "pdf/annual_report.html",
            report=report,
            county=record.township is None,
            chart_uris={name: charts.data_uri(svg) for name, svg in report.charts.items()},
            issued_on=chinese_date(today()),
        )


def make(record: AnnualReport, progress: Progress) -> None:
    storage().put(record.storage_key, html_to_pdf(contents(record)))


register_stored_file(KIND, load=load, html=contents, make=make)


def file_name(record: AnnualReport, suffix: str) -> str:
    return _(
        "%(name)s%(year)s年度三清单监督工作统计%(suffix)s", name=record.name, year=record.year, suffix=suffix
    )


def workbook(report: Report, county: bool, township_ids: list[int]) -> bytes:
    """The figures with last year's beside them; the townships (or offices) side by side; the items
    not completed, and apart from them those withdrawn or carried over."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("统计数据")
    bold_header(sheet, [_("项目"), _("%(year)s年", year=report.year), _("%(year)s年", year=report.year - 1)])
    for name, label, sub in report.lines:
        before: Any = report.before[name] if report.before is not None else "—"
        sheet.append([str(label), report.figures[name], before])
        if sub:  # indented as on the page, not by a full-width space inside the text
            sheet.cell(sheet.max_row, 1).alignment = Alignment(indent=1)
    # the page's last line: the completion rate beside last year's
    before_completion = _ratio(report.before_completion) if report.before is not None else "—"
    sheet.append([_("完成率"), _ratio(report.completion), before_completion])
    for cell in sheet[sheet.max_row][1:]:
        cell.number_format = "0.0%"
    _widths(sheet, A=36, B=12, C=12)
    _side_by_side(book, report, county)
    day = report.day or today()
    unfinished, _more = unfinished_items(township_ids, report.year, day, UNFINISHED_IN_WORKBOOK)
    _items_sheet(book, _("未完成事项"), unfinished)
    ended, _more = ended_undone_items(township_ids, report.year, UNFINISHED_IN_WORKBOOK)
    _items_sheet(book, _("撤销、结转事项"), ended)
    return workbook_bytes(book)


def _items_sheet(book: Workbook, title: str, items: list[UnfinishedItem]) -> None:
    """A sheet of items with their state, deadline and reason (the page's tables of them)."""
    sheet = book.create_sheet(title)
    bold_header(sheet, [_("编号"), _("事项"), _("镇"), _("状态"), _("完成时限"), pgettext("reason", "原因")])
    for item in items:
        sheet.append([item.code, item.title, item.township, item.state.label, item.deadline, item.reason])
    for cell in sheet["E"][1:]:
        cell.number_format = "yyyy-mm-dd"
    _widths(sheet, A=18, B=48, C=12, D=10, E=12, F=40)


def _widths(sheet, **widths: float) -> None:
    """Column widths (in characters; a CJK character counts about two): titles not cut off."""
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width


def _side_by_side(book: Workbook, report: Report, county: bool) -> None:
    """The townships (a county's report, with their total) or the offices (a township's) side by side."""
    if county:
        _townships_sheet(book, report)
        return
    offices = book.create_sheet(_("站所对比"))
    bold_header(
        offices,
        [
            _("名次"),
            _("站所"),
            _("主办事项"),
            _("完成率"),
            _("逾期事项"),
            _("月报按时"),
            _("月报迟报"),
            _("月报缺报"),
            _("督办单逾期"),
            _("测评等次"),
            _("满意率"),
            _("整改期限"),
        ],
    )
    for o in report.offices:
        offices.append(
            [
                o.rank or "",
                o.office.name,
                o.items["all"],
                _ratio(o.completion),
                o.items["overdue"],
                o.reports.on_time,
                o.reports.late,
                o.reports.missing,
                o.sheets_overdue,
                o.rating.grade.label if o.rating and o.rating.grade else "",
                _ratio(o.rating.rate if o.rating else None),
                o.rectify_by,
            ]
        )
    _percent_columns(offices, "D", "K")
    for cell in offices["L"][1:]:
        cell.number_format = "yyyy-mm-dd"
    _widths(offices, B=22, L=12)


def _townships_sheet(book: Workbook, report: Report) -> None:
    """各镇对比: a row per township and the county's total (合计), as the comparison page shows them."""
    rows = book.create_sheet(_("各镇对比"))
    bold_header(
        rows,
        [
            _("镇"),
            _("事项总数"),
            _("完成率"),
            _("月报按时"),
            _("月报迟报"),
            _("月报缺报"),
            _("督办单"),
            _("督办单逾期"),
            _("总体满意率"),
            _("需关注"),
        ],
    )
    for row in [*report.rows, *([report.total] if report.total else [])]:
        rows.append(
            [
                row.township.name if row.township else _("合计"),
                row.figures["items"],
                _ratio(row.completion),
                row.reports.on_time,
                row.reports.late,
                row.reports.missing,
                row.figures["sheets.issued"],
                row.figures["sheets.overdue"],
                _ratio(row.rate),
                _("；").join(row.reasons),
            ]
        )
    if report.total:
        for cell in rows[rows.max_row]:
            cell.font = Font(bold=True)
    _percent_columns(rows, "C", "I")
    _widths(rows, A=12, B=10, C=10, D=10, E=10, F=10, G=10, H=12, I=12, J=48)


def _percent_columns(sheet, *letters: str) -> None:
    """Rates are fractions shown as percentages with one decimal (25.0%), as on the pages."""
    for letter in letters:
        for cell in sheet[letter][1:]:
            cell.number_format = "0.0%"


def _ratio(rate: Any) -> float | None:
    """A rate as a spreadsheet number (a fraction: the cell's format shows it in percent)."""
    return None if rate is None else round(float(rate), 4)
