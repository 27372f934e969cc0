"""My items in the API: each report lists every supervisor's current verdict only (a verdict given
again replaces the earlier one), and each item says whether its reports take the caller's feedback,
so that the offline app offers 反馈 only where the server would accept it."""

from __future__ import annotations

from supervise.extensions import db
from supervise.lists.models import Rating
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


def test_my_items_say_which_take_feedback(factory, api_as):
    api = api_as("deputy")
    deputy = db.session.get(Deputy, api.user.deputy_id)
    takes = {
        factory.item(
            state, supervisors=[deputy], **({"result": Rating.satisfied} if state == "closed" else {})
        ).id: state
        for state in ("supervising", "completed", "verified", "closed", "withdrawn", "carried_over")
    }
    db.session.commit()
    rows = {row["id"]: row["takes_feedback"] for row in api.get("/api/v1/me/items").get_json()["items"]}
    assert {takes[i]: given for i, given in rows.items()} == {
        "supervising": True,
        "completed": True,
        "verified": True,
        "closed": False,
        "withdrawn": False,
        "carried_over": False,
    }


def test_a_clerks_items_take_no_feedback_of_theirs(factory, api_as):
    api = api_as("government")
    factory.item("supervising", lead_office_id=api.user.office_id)
    db.session.commit()
    [row] = api.get("/api/v1/me/items").get_json()["items"]
    assert row["takes_feedback"] is False
