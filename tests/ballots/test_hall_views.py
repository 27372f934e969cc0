"""The hall's pages are the engine's: one call registers them on any meeting's blueprint, and the
phone ballot shows the marks of the meeting's own kind."""

from __future__ import annotations

from flask import Blueprint, Flask

from supervise.ballots.hall_views import register_hall
from supervise.ballots.kinds import shape_of
from supervise.core.permissions import Role
from tests.evaluation.conftest import Hall
from tests.helpers import text_of

HALL_RULES = {
    "roll_call": ("/votes/<int:meeting_id>/roll-call", {"GET"}),
    "roll_call_mark": ("/votes/<int:meeting_id>/roll-call", {"POST"}),
    "roll_call_all_present": ("/votes/<int:meeting_id>/roll-call/all-present", {"POST"}),
    "ballots": ("/votes/<int:meeting_id>/ballots", {"GET"}),
    "hand_out": ("/votes/<int:meeting_id>/ballots", {"POST"}),
    "hand_out_undo": ("/votes/<int:meeting_id>/ballots/undo", {"POST"}),
    "serials_unissue": ("/votes/<int:meeting_id>/serials/unissue", {"POST"}),
    "serials_exchange": ("/votes/<int:meeting_id>/serials/exchange", {"POST"}),
    "codes_void": ("/votes/<int:meeting_id>/codes/void", {"POST"}),
    "codes_void_unused": ("/votes/<int:meeting_id>/codes/void-unused", {"POST"}),
    "serials_issue": ("/votes/<int:meeting_id>/serials", {"POST"}),
    "serials_missing": ("/votes/<int:meeting_id>/serials/not-returned", {"POST"}),
    "codes": ("/votes/<int:meeting_id>/codes", {"POST"}),
    "projection": ("/votes/<int:meeting_id>/projection", {"GET"}),
    "paper_entry": ("/votes/<int:meeting_id>/paper", {"GET", "POST"}),
    "paper_sheet": ("/votes/<int:meeting_id>/paper/<int:serial>", {"GET", "POST"}),
}


def _not_found(meeting_id: int):
    raise AssertionError("no page is requested here")


def test_register_hall_adds_the_sixteen_pages_to_any_blueprint():
    bp = Blueprint("some_vote", __name__)
    register_hall(bp, "/votes", _not_found, (Role.presidium, Role.county))
    app = Flask(__name__)
    app.register_blueprint(bp)
    rules = {
        rule.endpoint.removeprefix("some_vote."): (rule.rule, set(rule.methods or ()) - {"HEAD", "OPTIONS"})
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("some_vote.")
    }
    assert rules == HALL_RULES


def test_the_evaluation_keeps_its_hall_under_its_own_blueprint(app):
    rules = {rule.endpoint: rule.rule for rule in app.url_map.iter_rules()}
    assert rules["evaluation.roll_call"] == "/evaluation/<int:meeting_id>/roll-call"
    assert rules["evaluation.paper_sheet"] == "/evaluation/<int:meeting_id>/paper/<int:serial>"
    assert rules["ballots.vote"] == "/vote" and rules["ballots.vote_ballot"] == "/vote/ballot"
    assert "evaluation.vote" not in rules


def test_the_phone_ballot_shows_the_marks_of_the_meetings_kind(app, factory):
    hall = Hall(factory)
    hall.open()
    code, _other = hall.phone_codes(hall.deputy_ids[:2])
    page = app.test_client().post("/vote", data={"code": code})
    assert page.status_code == 200
    html, text = page.get_data(as_text=True), text_of(page)
    assert hall.meeting.title in text
    marks = shape_of(hall.meeting).marks
    assert [str(mark.label) for mark in marks] == ["满意", "基本满意", "不满意"]
    for mark in marks:
        assert f'id="v{hall.lines[0].id}-{mark.value}"' in html and f"btn-outline-{mark.badge}" in html
    assert "请对每一项选择“满意”“基本满意”或“不满意”" in text
