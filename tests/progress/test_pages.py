"""What each office and deputy owes, the presidium's month grid, and their query counts."""

from __future__ import annotations

from datetime import date

import pytest

from supervise.core.clock import today
from supervise.core.dates import shift_month
from supervise.extensions import db
from supervise.progress.calendar import report_due_on
from tests.helpers import html_of, text_of


def test_the_grid_shows_reported_late_missing_and_not_due(client, login_as, factory, cycle):
    due_day = cycle.item.township.report_due_day
    two_ago, last = shift_month(cycle.this_month, -2), shift_month(cycle.this_month, -1)
    factory.monthly_report(cycle.item, two_ago, submitted_on=report_due_on(two_ago, due_day))
    factory.monthly_report(cycle.item, last, submitted_on=report_due_on(last, due_day).replace(day=28))
    foreign = factory.supervised_item(two_ago, township=factory.township("外镇"), title="外镇事项")
    db.session.commit()
    login_as(cycle.chair)
    response = client.get(f"/progress/grid?year={cycle.this_month.year}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'id="grid-{foreign.id}"' not in html
    row = html.split(f'id="grid-{cycle.item.id}"')[1].split("</tr>")[0]
    statuses = [part.split('"')[0] for part in row.split('data-status="')[1:]]
    months = [shift_month(cycle.this_month, -3), two_ago, last, cycle.this_month]
    expected = {m: s for m, s in zip(months, ["missing", "reported", "late", None], strict=True)}
    expected[cycle.this_month] = "due" if today() <= report_due_on(cycle.this_month, due_day) else "missing"
    for month, status in expected.items():
        if month.year == cycle.this_month.year:
            assert statuses[month.month - 1] == status, month
    # Months before entering supervision and after today are not due.
    if cycle.this_month.month < 12:
        assert statuses[cycle.this_month.month] == "not_due"


def test_the_office_page_lists_this_month_and_earlier_missing_months(client, login_as, factory, cycle):
    other_office_item = factory.supervised_item(shift_month(cycle.this_month, -1), title="别的站所的事项")
    factory.monthly_report(cycle.item, shift_month(cycle.this_month, -1))
    db.session.commit()
    login_as(cycle.clerk)
    html = client.get("/progress/office").get_data(as_text=True)
    assert f'id="owed-{cycle.item.id}-{cycle.this_month.isoformat()}"' in html
    for back in (2, 3):
        assert f'id="owed-{cycle.item.id}-{shift_month(cycle.this_month, -back).isoformat()}"' in html
    assert f'id="owed-{cycle.item.id}-{shift_month(cycle.this_month, -1).isoformat()}"' not in html
    assert f"owed-{other_office_item.id}-" not in html
    assert "逾期未报（2）" in text_of(client.get("/progress/office"))


def test_the_home_pages_link_the_monthly_cycle(client, login_as, cycle):
    login_as(cycle.clerk)
    home = client.get("/").get_data(as_text=True)
    assert 'id="progress-summary"' in home and "/progress/" in home


def make_items(factory, cycle, n: int):
    for i in range(n):
        item = cycle.item_like(title=f"事项{i}")
        for back in (1, 2):
            report = factory.monthly_report(item, shift_month(cycle.this_month, -back), percent=10 * back)
            if i % 2:
                from supervise.progress.models import FeedbackVerdict, ReportFeedback

                db.session.add(
                    ReportFeedback(
                        report_id=report.id,
                        deputy_id=cycle.supervisor.deputy_id,
                        verdict=FeedbackVerdict.confirm,
                    )
                )
    db.session.commit()


@pytest.mark.parametrize(
    "path,who",
    [
        ("/progress/grid", "chair"),
        ("/progress/office", "clerk"),
        ("/progress/mine", "supervisor"),
        ("/", "chair"),
        ("/", "clerk"),
        ("/", "supervisor"),
        ("/escalation", "chair"),
    ],
)
def test_pages_run_the_same_number_of_queries_for_5_and_50_items(
    client, login_as, factory, cycle, count_queries, path, who
):
    login_as(getattr(cycle, who))
    make_items(factory, cycle, 4)
    client.get(path)  # warm: the navbar cache, the township
    # A change first, as before the second count: the home page's stored counts are stale both times.
    factory.monthly_report(cycle.item, cycle.this_month)
    db.session.commit()
    with count_queries() as few:
        assert client.get(path).status_code == 200
    make_items(factory, cycle, 45)
    with count_queries() as many:
        response = client.get(path)
    assert response.status_code == 200
    assert "事项44" in response.get_data(as_text=True) or path in ("/", "/escalation")
    assert many.count == few.count, many.statements[few.count :]


def test_the_item_page_runs_the_same_number_of_queries_for_1_and_12_months(
    client, login_as, factory, cycle, count_queries
):
    login_as(cycle.supervisor)
    factory.monthly_report(cycle.item, shift_month(cycle.this_month, -1))
    db.session.commit()
    client.get(f"/items/{cycle.item.id}")
    with count_queries() as few:
        client.get(f"/items/{cycle.item.id}")
    for back in range(2, 12):
        report = factory.monthly_report(cycle.item, shift_month(cycle.this_month, -back))
        factory.monthly_report(cycle.item, report.month, version=2, correction_reason="更正")
    db.session.commit()
    with count_queries() as many:
        client.get(f"/items/{cycle.item.id}")
    assert many.count == few.count


@pytest.mark.parametrize("role", ["county", "admin"])
def test_the_grid_opens_on_the_township_with_the_most_supervised_items(client, login_as, factory, role):
    county = factory.default_county
    empty = factory.township("城关镇", county=county)  # first by name, nothing supervised
    busy = factory.township("江口镇", county=county)
    quiet = factory.township("筒车湾镇", county=county)
    for _n in range(2):
        factory.supervised_item(shift_month(today().replace(day=1), -1), township=busy)
    factory.supervised_item(shift_month(today().replace(day=1), -1), township=quiet)
    db.session.commit()
    login_as(role, county=county.id) if role == "county" else login_as(role)
    page = text_of(client.get("/progress/grid"))
    assert "月报报送情况 · 江口镇" in page
    # The chooser says which townships have supervised items; an explicit choice still wins.
    assert "江口镇（2 个监督事项）" in page and "城关镇（0 个监督事项）" in page
    assert "筒车湾镇（1 个监督事项）" in page
    assert "月报报送情况 · 城关镇" in text_of(client.get(f"/progress/grid?township={empty.id}"))


def test_the_grid_and_the_disputes_page_share_one_township_and_year_filter(app, client, login_as, factory):
    from flask import get_template_attribute
    from sqlalchemy import select

    from supervise.org.models import Township

    county = factory.default_county
    chosen = factory.township("城关镇", county=county)
    factory.township("江口镇", county=county)
    db.session.commit()
    user = login_as("county", county=county.id)
    townships = db.session.execute(
        select(Township).where(user.visible_township_filter(Township.id)).order_by(Township.slug)
    ).scalars()
    townships = list(townships)
    disputes = html_of(client.get(f"/progress/disputes?township={chosen.id}&year=2025"))
    grid = html_of(client.get(f"/progress/grid?township={chosen.id}&year=2025"))
    with app.test_request_context():
        township_year_filter = get_template_attribute("_macros/ui.html", "township_year_filter")
        expected = str(township_year_filter(townships, chosen, 2025, all_label="全部镇"))
        labels = {t.id: f"{t.name}（0 个监督事项）" for t in townships}
        grid_part = str(township_year_filter(townships, chosen, 2025, labels=labels))
    assert expected.strip() in disputes and 'value="">全部镇</option>' in expected
    assert (
        "selected>城关镇</option>" in expected
        and 'name="year" type="number" min="2000" max="2100" value="2025"' in expected
    )
    # the grid's form is the same one, with its own township labels and its status chooser added
    before_status = grid_part.split("<button", 1)[0].rstrip()
    assert (
        before_status in grid
        and 'id="status" name="status"' in grid.split(before_status, 1)[1].split("</form>")[0]
    )


def test_the_grid_picker_counts_each_townships_own_rows_of_the_year(client, login_as, factory):
    county = factory.default_county
    busy = factory.township("江口镇", county=county)
    quiet = factory.township("城关镇", county=county)
    last_month = shift_month(today().replace(day=1), -1)
    for _n in range(3):
        factory.supervised_item(last_month, township=busy)
    factory.supervised_item(last_month, township=quiet)
    # Supervised and done three years ago: a row of that year's grid, not of this year's.
    past = today().year - 3
    factory.supervised_item(date(past, 2, 1), left=date(past, 10, 1), year=past, township=quiet)
    db.session.commit()
    login_as("county", county=county.id)

    response = client.get(f"/progress/grid?township={quiet.id}")
    page = text_of(response)
    assert "江口镇（3 个监督事项）" in page and "城关镇（1 个监督事项）" in page
    assert response.get_data(as_text=True).count('<tr id="grid-') == 1  # the rows the picker counted
    then = text_of(client.get(f"/progress/grid?township={quiet.id}&year={past}"))
    assert "江口镇（0 个监督事项）" in then and "城关镇（1 个监督事项）" in then
