"""My items in the API: each report lists every supervisor's current verdict only (a verdict given
again replaces the earlier one)."""

from __future__ import annotations

from supervise.extensions import db
from supervise.org.models import Deputy


def test_a_report_lists_each_supervisors_current_verdict_only(factory, api_as):
    api = api_as("deputy")
    deputy = db.session.get(Deputy, api.user.deputy_id)
    item = factory.item("supervising", supervisors=[deputy])
    report = factory.report_row(item)
    db.session.commit()
    path = f"/api/v1/reports/{report.id}/feedback"
    assert api.post(path, json={"verdict": "dispute", "comment": "进度不实"}).status_code == 201
    assert api.post(path, json={"verdict": "confirm", "comment": "核实后无误"}).status_code == 201
    [row] = api.get("/api/v1/me/items").get_json()["items"]
    [listed] = row["reports"]
    assert [(f["verdict"], f["comment"]) for f in listed["feedback"]] == [("confirm", "核实后无误")]
