"""The county's view and the year's statistics: pages, the annual report PDF and its workbook."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, abort, g, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..core.clock import today
from ..core.documents import document_response
from ..core.downloads import send_document
from ..core.fields import as_id, chosen_year
from ..core.permissions import Role, roles_required
from ..core.response_cache import cache_whole_page
from ..core.xlsx import XLSX_MIMETYPE
from ..extensions import db
from ..org.models import County, Township
from ..org.scoping import visible_townships
from . import charts
from .comparison import columns, sorted_rows, township_rows
from .documents import KIND, AnnualReport, file_name, workbook
from .offices import escalation_candidates, office_rows, satisfied_line

bp = Blueprint("statistics", __name__, url_prefix="/statistics")
COUNTY_READERS = (Role.county, Role.admin)
TOWNSHIP_READERS = (Role.presidium, Role.county, Role.admin)
T = TypeVar("T")


@bp.app_template_filter("points_change")
def points_change(value) -> str:
    """A change in percentage points: +3.2, -1.0, or — when there is nothing to compare."""
    return "—" if value is None else f"{float(value):+.1f}"


def _year() -> int:
    """?year=, this year by default; text that is no year of the chooser's range ("abc", "99999")
    gives this year too, and the page says so (``g.year_problem``)."""
    year, g.year_problem = chosen_year(request.args.get("year"), today().year)
    return year


def _county() -> County:
    """County staff's own county; an administrator's ?county= (else the first county). Text that
    names no county ("abc", a 20-digit number, 999) gives the first county, and the page says so
    (``g.scope_problem``), as a year that is none does."""
    if current_user.role is Role.county:
        return current_user.county
    text = (request.args.get("county") or "").strip()
    wanted = as_id(text)
    county = db.session.get(County, wanted) if wanted else None
    if county is not None:
        return county
    first = db.session.execute(select(County).order_by(County.id).limit(1)).scalar()
    return _instead(
        text,
        first,
        lambda county: _(
            "“%(text)s”不是有效的县，已显示%(county)s的数据。", text=text[:20], county=county.name
        ),
    )


def _instead(text: str, default: T | None, problem: Callable[[T], str]) -> T:
    """The scope shown when ``text`` names none the reader may see: ``default`` (none: 404), and when
    something was typed, ``problem(default)`` for the page to say (``g.scope_problem``)."""
    if default is None:
        abort(404)
    if text:
        g.scope_problem = problem(default)
    return default


def _townships(county: County) -> list[Township]:
    return [t for t in visible_townships(current_user) if t.county_id == county.id and t.is_active]


def _seen(township_id: int | None) -> Township | None:
    township = db.session.get(Township, township_id) if township_id else None
    return township if township is not None and current_user.can_see_township(township.id) else None


def _township(township_id: int) -> Township:
    """A township of the path the reader sees: the presidium's own, a county's; another is not found."""
    township = _seen(township_id)
    if township is None:
        abort(404)
    return township


def _chosen_township() -> Township:
    """?township=: a township the reader sees; without one, the presidium's own or county staff's
    first. Text that names none the reader sees ("abc", a 20-digit number, 999, another county's)
    gives that default, and the page says so (``g.scope_problem``), as a year that is none does."""
    text = (request.args.get("township") or "").strip()
    township = _seen(as_id(text))
    if township is not None:
        return township
    if current_user.role is Role.presidium:
        default = current_user.township
    else:
        # County staff without a choice: the first of their townships (the page lists the others).
        default = next(iter(visible_townships(current_user)), None)
    return _instead(
        text,
        default,
        lambda township: _(
            "“%(text)s”不是您可以查看的镇，已显示%(township)s的数据。", text=text[:20], township=township.name
        ),
    )


@bp.get("/townships")
@cache_whole_page(lambda: today())  # overdue counts follow the day
@roles_required(*COUNTY_READERS)
def townships():
    """The county's townships side by side (one row each and a total), sortable, behind ones marked."""
    county, year, day = _county(), _year(), today()
    rows, total = township_rows(_townships(county), year, day)
    sort = request.args.get("sort", "")
    descending = request.args.get("order") == "desc"
    rows = sorted_rows(rows, sort, descending)
    return render_template(
        "statistics/townships.html",
        county=county,
        year=year,
        rows=rows,
        total=total,
        columns=columns(),
        sort=sort,
        descending=descending,
        completion_chart=charts.data_uri(  # the bars in the table's order
            charts.completion_chart((r.township.name, r.completion) for r in rows if r.township)
        ),
    )


@bp.get("/offices")
@cache_whole_page(lambda: today())
@roles_required(*TOWNSHIP_READERS)
def offices():
    """A township's offices side by side, ranked, with rectification deadlines and escalation candidates."""
    township, year, day = _chosen_township(), _year(), today()
    rows = office_rows(township, year, day)
    return render_template(
        "statistics/offices.html",
        township=township,
        year=year,
        rows=rows,
        line=satisfied_line(rows),
        candidates=escalation_candidates(rows),
        townships=visible_townships(current_user) if current_user.role is not Role.presidium else [],
    )


def _statistics_page(record: AnnualReport):
    report = record.report()
    return render_template(
        "statistics/report.html",
        record=record,
        report=report,
        county=record.township is None,
        chart_uris={name: charts.data_uri(svg) for name, svg in report.charts.items()},
    )


@bp.get("/townships/<int:township_id>")
@cache_whole_page(lambda: today())
@roles_required(*TOWNSHIP_READERS)
def township_statistics(township_id: int):
    township = _township(township_id)
    return _statistics_page(AnnualReport(township.county, township, _year()))


@bp.get("/county")
@cache_whole_page(lambda: today())
@roles_required(*COUNTY_READERS)
def county_statistics():
    return _statistics_page(AnnualReport(_county(), None, _year()))


def _record(township_id: int | None) -> AnnualReport:
    if township_id is None:
        if current_user.role not in COUNTY_READERS:
            abort(403)
        return AnnualReport(_county(), None, _year())
    township = _township(township_id)
    return AnnualReport(township.county, township, _year())


def _pdf(record: AnnualReport):
    return document_response(
        KIND,
        record,
        lambda data: send_document(
            data, "application/pdf", file_name(record, ".pdf"), f"report-{record.ident}.pdf"
        ),
    )


def _xlsx(record: AnnualReport):
    data = workbook(record.report(), record.township is None, [t.id for t in record.townships])
    return send_document(data, XLSX_MIMETYPE, file_name(record, ".xlsx"), f"report-{record.ident}.xlsx")


@bp.get("/townships/<int:township_id>/report.pdf")
@roles_required(*TOWNSHIP_READERS)
def township_pdf(township_id: int):
    return _pdf(_record(township_id))


@bp.get("/townships/<int:township_id>/report.xlsx")
@roles_required(*TOWNSHIP_READERS)
def township_xlsx(township_id: int):
    return _xlsx(_record(township_id))


@bp.get("/county/report.pdf")
@roles_required(*COUNTY_READERS)
def county_pdf():
    return _pdf(_record(None))


@bp.get("/county/report.xlsx")
@roles_required(*COUNTY_READERS)
def county_xlsx():
    return _xlsx(_record(None))
