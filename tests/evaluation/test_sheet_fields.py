"""The assessment sheet and the summary carry what real ones do (issue 13): the category column,
room for comments (意见建议) per line or per sheet as the meeting chose, and the overall satisfaction
rate with its change against the previous year's meeting."""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import pytest

from supervise.evaluation import documents
from supervise.evaluation.models import CommentsLayout, EvaluationMeeting, Mark
from supervise.evaluation.overall import Overall, overall_of
from supervise.extensions import db
from tests.helpers import pdf_info, pdf_text


def _keep(data: bytes, name: str) -> None:
    if os.environ.get("KEEP_PDF"):  # to look at it: KEEP_PDF=/tmp/dir pytest …
        Path(os.environ["KEEP_PDF"], name).write_bytes(data)


def _meeting(factory, chair, layout=CommentsLayout.sheet, year=2026):
    township = chair.township
    lead = factory.office(township, name="镇农业农村办")
    joint = factory.office(township, name="镇财政所")
    items = [
        factory.item("verified", township=township, year=year, title="中心小学运动场改造", category="教育"),
        factory.item(
            "verified",
            township=township,
            year=year,
            title="沙坪村产业路硬化",
            category="交通",
            lead_office_id=lead.id,
            joint_lead_offices=[joint],
        ),
    ]
    meeting = factory.evaluation_meeting(chair, items=items, year=year, comments_layout=layout)
    db.session.commit()
    return meeting


@pytest.mark.usefixtures("pdf_tools")
@pytest.mark.parametrize("layout", [CommentsLayout.sheet, CommentsLayout.line, CommentsLayout.none])
def test_the_sheet_has_the_category_column_and_the_comments_chosen(app, factory, tmp_path, layout):
    chair = factory.user("presidium")
    meeting = _meeting(factory, chair, layout)
    assert [line.category for line in meeting.lines if line.item_id] == ["教育", "交通"]
    with app.test_request_context():
        data, _fresh = documents.sheets_pdf(meeting)
    _keep(data, f"sheets-{layout.value}.pdf")
    text = pdf_text(data, tmp_path)
    joined = "".join(text.split())
    for expected in ("分类", "教育", "交通", "镇农业农村办、镇财政所"):
        assert expected in joined, expected
    comments = "".join(text.split("\f")[0].split()).count("意见建议")  # on the first sheet
    lines = len(meeting.lines)
    assert comments == {CommentsLayout.sheet: 1, CommentsLayout.line: lines, CommentsLayout.none: 0}[layout]
    # A short sheet stays one page a deputy, whichever comments it has.
    assert int(pdf_info(data, tmp_path)["Pages"]) == len(meeting.roster)


def test_without_categories_the_sheet_has_no_category_column(app, hall):
    with app.test_request_context():
        html = documents.sheets_html(hall.meeting, [1])
    assert "分类" not in html and "意见建议" in html


def test_the_comments_layout_is_chosen_with_the_rules(hall, client, login_as):
    login_as(hall.chair)
    url = f"/evaluation/{hall.meeting.id}/rules"
    page = client.get(url).get_data(as_text=True)
    assert "意见建议栏" in page
    form = {
        "denominator": "present",
        "satisfied_percent": "50",
        "satisfied_strict": "at_least",
        "basic_percent": "50",
        "basic_strict": "at_least",
        "quorum_numerator": "2",
        "quorum_denominator": "3",
        "quorum_strict": "y",
        "results_hidden_until_closed": "y",
        "comments_layout": "line",
    }
    assert client.post(url, data=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(EvaluationMeeting, hall.meeting.id).comments_layout is CommentsLayout.line
    refused = client.post(url, data={**form, "comments_layout": "everywhere"})
    assert refused.status_code == 400
    db.session.expire_all()
    assert db.session.get(EvaluationMeeting, hall.meeting.id).comments_layout is CommentsLayout.line


@pytest.mark.parametrize(
    ("overall", "sentence"),
    [
        (
            Overall(Fraction(13, 15), Fraction(835, 1000), 2025, True),
            "总体满意率 86.7%，较上年（83.5%）提高 3.2 个百分点。",
        ),
        (
            Overall(Fraction(3, 4), Fraction(4, 5), 2025, True),
            "总体满意率 75%，较上年（80%）降低 5 个百分点。",
        ),
        (Overall(Fraction(3, 4), Fraction(3, 4), 2025, True), "总体满意率 75%，与上年（75%）持平。"),
        (
            Overall(Fraction(1), None, 2025, False),
            "总体满意率 100%，2025年度未召开民主评议会，无上年数据可比。",
        ),
        (Overall(Fraction(1), None, 2025, True), "总体满意率 100%，2025年度评议无有效票，无从比较。"),
        (Overall(None, None, 2025, False), "总体满意率：无有效票。"),
    ],
)
def test_the_overall_sentence(app, overall, sentence):
    with app.test_request_context():
        assert overall.text() == sentence


@pytest.mark.usefixtures("pdf_tools")
def test_the_summary_states_the_overall_rate_and_the_change(app, factory, tmp_path):
    chair = factory.user("presidium")
    # Last year's meeting: 4 voters, all 满意 on one line, 不满意 on the other → 50%.
    factory.item("verified", township=chair.township, year=2025, title="去年事项")
    factory.item("verified", township=chair.township, year=2025, title="去年事项二")
    last = factory.closed_evaluation(chair, voters=4, year=2025, marks={"去年事项二": Mark.dissatisfied})
    this = factory.closed_evaluation(chair, voters=4, year=2026)
    db.session.commit()
    assert overall_of(last).rate is not None
    result = overall_of(this)
    with app.test_request_context():
        data, _fresh = documents.summary_pdf(this)
        sentence = result.text()
    _keep(data, "summary.pdf")
    joined = "".join(pdf_text(data, tmp_path).split())
    assert "".join(sentence.split()) in joined
    assert "总体满意率" in joined and ("提高" in sentence or "持平" in sentence)


@pytest.mark.usefixtures("pdf_tools")
def test_without_a_meeting_the_year_before_the_summary_says_so_on_one_page(app, factory, tmp_path):
    this = factory.closed_evaluation(factory.user("presidium"), voters=3, year=2026)
    db.session.commit()
    with app.test_request_context():
        data, _fresh = documents.summary_pdf(this)
    _keep(data, "summary-short.pdf")
    joined = "".join(pdf_text(data, tmp_path).split())
    assert "总体满意率100%，2025年度未召开民主评议会，无上年数据可比。" in joined
    assert int(pdf_info(data, tmp_path)["Pages"]) == 1


def test_the_results_page_states_the_overall_rate_once_closed(factory, client, login_as):
    chair = factory.user("presidium")
    this = factory.closed_evaluation(chair, voters=3, year=2026)
    db.session.commit()
    login_as(chair)
    html = client.get(f"/evaluation/{this.id}/results").get_data(as_text=True)
    assert 'id="overall-rate"' in html and "2025年度未召开民主评议会" in html
