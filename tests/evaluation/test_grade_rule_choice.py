"""Each threshold of the grade rule is "at least" or "more than" its share: chosen where the rule is
configured, kept with the meeting, and the rule's text follows the choice wherever it is printed."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from supervise.evaluation import documents, publishing
from supervise.evaluation.models import EvaluationMeeting, PublishedResult
from supervise.extensions import db
from tests.helpers import text_of

from .conftest import base

RULES = {
    "denominator": "present",
    "satisfied_percent": "50",
    "basic_percent": "50",
    "quorum_numerator": "2",
    "quorum_denominator": "3",
    "quorum_strict": "y",
}
STRICT_FIRST = "满意票超过实到代表数的 50% 为“满意”；满意与基本满意票合计达到实到代表数的 50% 为“基本满意”"


def test_the_chair_chooses_more_than_half_for_one_threshold(client, chair_hall):
    b = base(chair_hall)
    form = client.get(f"{b}/rules").get_data(as_text=True)
    assert 'value="more_than"' in form and 'selected value="at_least"' in form
    bad = client.post(f"{b}/rules", data={**RULES, "satisfied_strict": "many", "satisfied_percent": "55"})
    assert bad.status_code == 400 and "请选择“达到”或“超过”" in text_of(bad)
    assert 'value="55"' in bad.get_data(as_text=True)  # the form keeps what was typed
    chosen = {"satisfied_strict": "more_than", "basic_strict": "at_least"}
    good = client.post(f"{b}/rules", data={**RULES, **chosen})
    assert good.status_code == 302
    db.session.expire_all()
    meeting = db.session.get(EvaluationMeeting, chair_hall.meeting.id)
    assert (meeting.satisfied_strict, meeting.basic_strict) == (True, False)
    assert STRICT_FIRST in text_of(client.get(b))
    again = client.get(f"{b}/rules").get_data(as_text=True)
    assert 'selected value="more_than"' in again


def test_a_new_meeting_keeps_the_choice(client, login_as, factory):
    chair = login_as("presidium")
    factory.deputy(chair.township)
    factory.item("verified", title="集镇道路改造提升项目")
    db.session.commit()
    data = {**RULES, "year": "2026", "held_on": "2026-10-15", "basic_strict": "more_than"}
    assert client.post("/evaluation/new", data=data).status_code == 302
    meeting = db.session.execute(db.select(EvaluationMeeting)).scalar_one()
    assert (meeting.satisfied_strict, meeting.basic_strict) == (False, True)


@pytest.mark.parametrize("strict", [False, True])
def test_the_sheets_the_summary_and_the_published_results_print_the_chosen_rule(app, factory, strict):
    chair = factory.user("presidium")
    meeting = factory.closed_evaluation(chair, voters=2, satisfied_strict=strict, basic_strict=strict)
    word = "超过" if strict else "达到"
    other = "达到" if strict else "超过"
    wanted = f"满意票{word}实到代表数的 50% 为“满意”；满意与基本满意票合计{word}实到代表数的 50%"
    with app.test_request_context():
        sheets = documents.sheets_html(meeting)
        summary = documents.summary_html(meeting)
        published = publishing.publish_results(chair, meeting)
    for printed in (sheets, summary, published.rule_text):
        assert wanted in printed
        assert f"满意票{other}" not in printed
    assert "满意率 =（满意 + 基本满意）÷ 该项有效票" in summary


def test_the_results_page_shows_the_chosen_rule(client, login_as, factory):
    chair = login_as("presidium")
    meeting = factory.closed_evaluation(chair, voters=2, satisfied_strict=True)
    db.session.commit()
    assert STRICT_FIRST in text_of(client.get(f"/evaluation/{meeting.id}/results"))


def test_two_published_results_of_a_township_cannot_share_a_title_in_the_database(app, factory):
    chair = factory.user("presidium")
    first = factory.closed_evaluation(chair, voters=2, publish=True)
    second = factory.closed_evaluation(chair, voters=2)
    with app.test_request_context():
        published = publishing.publish_results(chair, second, "第二次")
    db.session.commit()
    taken = publishing.published_result_of(first).title
    table = PublishedResult.__table__
    with pytest.raises(IntegrityError):
        db.session.execute(table.update().where(table.c.id == published.id).values(title=taken))
    db.session.rollback()
