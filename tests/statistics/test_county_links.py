"""Every number of the county's comparison page links to the list behind it: following each link
shows as many records as the number says (township, year and what is counted); a township's total
counts what its state columns count; another county's township is not found on those lists."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest

from supervise.core.clock import utcnow
from supervise.extensions import db
from supervise.meetings.models import ActivityDay, Consultation
from supervise.progress.models import FeedbackVerdict, ReportFeedback
from supervise.sheets.models import FollowUpSheet, SheetState
from tests.helpers import html_of

from .test_county_view import build_county

ROW = re.compile(r'<tr class="[^"]*" data-township="([^"]+)">(.*?)</tr>', re.S)
CELL = re.compile(r'<td class="text-end">(.*?)</td>', re.S)
LINK = re.compile(r'<a href="([^"]+)">([^<]*)</a>')


def build_linked_county(factory) -> dict:
    """build_county, and records the links must tell apart: a draft item, last year's sheet,
    inspection, consultation and activity days of both years, a supervisor's dispute."""
    county = build_county(factory)
    a, chair = county["a"], county["chair"]
    factory.item("draft", township=a, lead_office_id=county["first"].id)
    station = factory.station(a)
    deputy = factory.deputy(a)
    old_finding = factory.filed_finding(chair, text="去年的发现")
    old_finding.inspection.held_on = date(2025, 9, 1)
    db.session.add_all(
        [
            FollowUpSheet(
                township_id=a.id,
                title="去年的督办单",
                state=SheetState.issued,
                year=2025,
                number=1,
                issued_at=utcnow(),
                deadline=date(2025, 10, 1),
                lead_office_id=county["first"].id,
            ),
            Consultation(township_id=a.id, held_on=date(2025, 8, 1), opened_by_id=chair.id),
            ActivityDay(township_id=a.id, station_id=station.id, held_on=date(2026, 3, 5), minutes="座谈"),
            ActivityDay(township_id=a.id, station_id=station.id, held_on=date(2025, 3, 5), minutes="座谈"),
        ]
    )
    db.session.flush()
    report = next(r for r in _reports_of(a.id) if r.month == date(2025, 4, 1))
    db.session.add(
        ReportFeedback(
            report_id=report.id, deputy_id=deputy.id, verdict=FeedbackVerdict.dispute, comment="没做完"
        )
    )
    db.session.commit()
    return county


def _reports_of(township_id: int):
    from supervise.progress.models import MonthlyReport

    return db.session.execute(db.select(MonthlyReport).filter_by(township_id=township_id)).scalars()


def township_cells(html: str) -> dict[str, list[tuple[str, str | None]]]:
    """Each township row's cells as (text, link or None)."""
    rows = {}
    for name, row in ROW.findall(html):
        cells = []
        for cell in CELL.findall(row):
            link = LINK.search(cell)
            text = unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            cells.append((text, unescape(link.group(1)) if link else None))
        rows[name] = cells
    return rows


def rows_shown(html: str, url: str) -> int:
    """How many records the list page shows: a table's body rows, an inspection's entry, or (the
    month grid) the months of the status asked for."""
    status = re.search(r"[?&]status=(\w+)", url)
    if url.startswith("/progress/grid"):
        assert status, f"{url} does not say which months it counts"
        return len(re.findall(rf'data-status="{status.group(1)}"', html))
    if url.startswith("/inspections/"):
        return len(re.findall(r"list-group-item list-group-item-action", html))
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return len([row for row in re.findall(r"<tr\b.*?</tr>", body, re.S) if "colspan" not in row])


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_number_links_to_the_records_it_counts(app, factory, client, login_as, year):
    build_linked_county(factory)
    login_as("county")
    html = html_of(client.get(f"/statistics/townships?year={year}"))
    rows = township_cells(html)
    assert set(rows) == {"江口镇", "城关镇"}
    followed = 0
    for name, cells in rows.items():
        numbers = [(text, link) for text, link in cells if text.isdigit()]
        assert len(numbers) == 20, (name, cells)  # 事项总数, 8 states, overdue, 4 reports, 3 sheets, 3 held
        for text, link in numbers:
            assert link, (name, text)
            assert f"year={year}" in link, link
            response = client.get(link)
            assert response.status_code == 200, link
            assert rows_shown(html_of(response), link) == int(text), (name, link)
            followed += int(text)
    assert followed > 10  # the fixture gives the links something to show


def test_a_townships_total_counts_what_its_state_columns_count(app, factory, client, login_as):
    county = build_linked_county(factory)
    login_as("county")
    cells = township_cells(html_of(client.get("/statistics/townships?year=2026")))["江口镇"]
    total, *states = [int(text) for text, _link in cells[:9]]
    assert total == sum(states) == 5  # the draft is not on the list yet
    statistics = html_of(client.get(f"/statistics/townships/{county['a'].id}?year=2026"))
    row = statistics.split('data-figure="items"', 1)[1].split("</tr>", 1)[0]
    assert ">5<" in row and ">6<" not in row


def test_another_countys_township_is_not_found_on_the_lists(app, factory, client, login_as):
    elsewhere = factory.township("外县镇", county=factory.county("别的县"))
    db.session.commit()
    login_as("county")
    for path in (
        "/items/",
        "/sheets/",
        "/inspections/",
        "/consultations/",
        "/activity-days/",
        "/progress/grid",
        "/progress/disputes",
    ):
        assert client.get(f"{path}?township={elsewhere.id}&year=2026").status_code == 404, path
