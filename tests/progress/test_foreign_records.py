"""Another township's item or report is a 404 for every role (CONTRIBUTING.md), never a 403 that
would confirm it exists; in the item's own township a wrong role is still a 403."""

from __future__ import annotations

import pytest

from supervise.extensions import db
from supervise.progress.models import MonthlyReport

PATHS = ["/progress/items/{item}/report", "/progress/reports/{report}/feedback"]


@pytest.fixture
def records(factory, cycle):
    report = factory.monthly_report(cycle.item, cycle.this_month)
    db.session.commit()
    return {"item": cycle.item.id, "report": report.id}


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("role", ["presidium", "government", "deputy", "county"])
def test_another_townships_progress_record_is_404(factory, client, login_as, records, role, path, method):
    other = factory.township("城关镇", county=factory.county("别的县"))
    login_as(role, township=other)  # a county user of the other township's county
    assert client.open(path.format(**records), method=method, data={}).status_code == 404


@pytest.mark.parametrize(
    "path, role",
    [(PATHS[0], "presidium"), (PATHS[0], "deputy"), (PATHS[1], "presidium"), (PATHS[1], "government")],
)
def test_in_its_own_township_a_wrong_role_is_still_403(client, login_as, records, path, role):
    login_as(role)
    assert client.get(path.format(**records)).status_code == 403


def test_a_missing_report_is_404(client, cycle, login_as):
    login_as(cycle.supervisor)
    missing = (db.session.scalar(db.select(db.func.max(MonthlyReport.id))) or 0) + 1
    assert client.get(f"/progress/reports/{missing}/feedback").status_code == 404
