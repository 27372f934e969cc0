"""The results say what the 满意率 and the 等次 are each counted on: the rate on a line's valid marks,
the grade on the meeting's own base (the deputies present by default), so that a line reading 满意率
100% and 不满意 is explained where it is shown: the results page, the summary and the public page."""

from __future__ import annotations

from supervise.evaluation import documents, publishing
from supervise.evaluation import operations as ops
from supervise.evaluation.rules import Denominator
from supervise.extensions import db
from tests.helpers import html_of, text_of

from .conftest import S


def test_a_full_rate_graded_dissatisfied_is_explained_on_the_page_the_summary_and_the_public_page(
    app, client, login_as, hall
):
    login_as(hall.chair)
    present = len(hall.open())
    assert present >= 5
    # Two ballots, all 满意, from a hall of many more deputies present: 100%, yet 不满意.
    for code in hall.phone_codes(hall.deputy_ids[:2]):
        hall.vote(code, *[S] * len(hall.lines))
    meeting = hall.meeting
    ops.close_voting(hall.chair, meeting)
    with app.test_request_context():
        publishing.publish_results(hall.chair, meeting)
    db.session.commit()
    note = (
        f"满意率 =（满意 + 基本满意）÷ 该项有效票；等次按实到代表 {present} 人评定，"
        "没有收回的票和无效票都不计入满意或基本满意。"
    )
    page = html_of(client.get(f"/evaluation/{meeting.id}/results"))
    table, under = page.split("</table>", 1)
    assert "100%" in table and "不满意" in table
    assert f'<p class="small text-muted" id="bases-note">{note}</p>' in under

    with app.test_request_context():
        summary = documents.summary_html(meeting)
    assert f"注：{note}" in summary.split("</table>")[-2]  # under the results, before the signatures

    published = publishing.published_result_of(meeting)
    public = client.get(f"/public/{meeting.township.slug}/evaluations/{published.id}")
    assert public.status_code == 200
    assert note in html_of(public).split("</table>")[-1]  # under the tables


def test_a_rule_counted_on_valid_marks_says_so(app, client, login_as, factory):
    chair = login_as("presidium")
    meeting = factory.closed_evaluation(chair, voters=2, denominator=Denominator.valid)
    db.session.commit()
    text = text_of(client.get(f"/evaluation/{meeting.id}/results"))
    assert "满意率 =（满意 + 基本满意）÷ 该项有效票；等次也按该项有效票评定。" in text
    assert "实到代表" not in text.split("满意率 =")[-1]
