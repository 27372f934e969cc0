"""A suggestion's answer as its proposers judge it (满意/基本满意/不满意 with a comment), and the
fresh handling (重新办理) a 不满意 starts: a new answer deadline a month on, which the presidium may
move within one to two months, on the item's timeline, the office's to-do list and escalation."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from supervise.core.clock import today
from supervise.core.dates import add_months_clamped
from supervise.core.history import HistoryIsAppendOnly
from supervise.extensions import db
from supervise.lists import answers
from supervise.lists.models import AnswerClass, AnswerOpinion, ItemState, Rating
from supervise.lists.todo import government_todo
from supervise.lists.workflow import WORKFLOW
from supervise.meetings.escalation import reasons_for
from tests.helpers import count, html_of, refusal_page, refused, text_of

from .conftest import events_of


@pytest.fixture
def proposer(people):
    """A deputy who proposed the suggestions made by ``suggestion()``, signed in as ``proposer``."""
    user = people.factory.user("deputy", display_name="王秀兰")
    people.users["proposer"] = user
    return user


@pytest.fixture
def suggestion(people, proposer):
    def make(state: str = "supervising", answered: bool = True, **fields):
        item = people.item(
            state,
            kind="suggestion",
            handed_over_on=date(2026, 3, 1),
            proposers=[proposer.deputy],
            answer_class=AnswerClass.B if answered else None,
            answer_text="已列入明年计划。" if answered else "",
            **fields,
        )
        db.session.commit()
        return item

    return make


def post_opinion(people, item, persona="proposer", **data):
    return people.client(persona).post(f"/items/{item.id}/opinion", data=data)


def test_a_satisfied_proposer_changes_nothing_but_the_record(people, suggestion):
    item = suggestion()
    page = people.client("proposer").get(f"/items/{item.id}/opinion")
    assert page.status_code == 200 and "您对答复的意见" in text_of(page)
    assert 'name="viewport"' in html_of(page)  # the proposer's phone

    response = post_opinion(people, item, opinion="satisfied", comment="答复及时。")

    assert response.status_code == 302
    db.session.refresh(item)
    [opinion] = item.answer_opinions
    assert (opinion.opinion, opinion.comment, opinion.answer_class) == (
        Rating.satisfied,
        "答复及时。",
        AnswerClass.B,
    )
    assert item.state is ItemState.supervising and item.reanswer_due is None
    assert events_of(item)[-1].action == "answer_opinion"
    assert "满意" in text_of(people.client("presidium").get(f"/items/{item.id}"))


def test_dissatisfied_sends_it_back_for_fresh_handling_a_month_on(people, suggestion):
    item = suggestion()
    response = post_opinion(people, item, opinion="dissatisfied", comment="只答复了计划，没有时间表。")
    assert response.status_code == 302
    db.session.refresh(item)
    due = add_months_clamped(today(), 1)
    assert item.reanswer_due == due
    event = events_of(item)[-1]
    assert (event.action, event.details["opinion"], event.details["reanswer_due"]) == (
        "answer_opinion",
        "dissatisfied",
        due.isoformat(),
    )
    page = text_of(people.client("lead_clerk").get(f"/items/{item.id}"))
    assert "重新办理" in page and f"须于 {due.isoformat()} 前重新答复" in page
    # The lead office has it to answer again, and cannot report it done before.
    assert item in government_todo(item.township_id, people.lead_office.id)["to_answer"]
    refused(
        lambda: WORKFLOW.check(item, "report_done", people.users["lead_clerk"], _done()),
        "须重新答复后才能报告完成",
    )
    # No second opinion before the fresh answer.
    assert post_opinion(people, item, opinion="satisfied").status_code == 409

    again = people.client("lead_clerk").post(
        f"/items/{item.id}/answer", data={"answer_class": "A", "answer_text": "已排定工期，年底前完工。"}
    )
    assert again.status_code == 302
    db.session.refresh(item)
    assert item.reanswer_due is None and events_of(item)[-1].details.get("fresh") is True
    assert item not in government_todo(item.township_id, people.lead_office.id)["to_answer"]
    # The proposer judges the new answer: the newest opinion counts, the old one stays.
    assert post_opinion(people, item, opinion="basically_satisfied", comment="").status_code == 302
    db.session.refresh(item)
    assert [o.opinion for o in item.answer_opinions] == [Rating.dissatisfied, Rating.basically_satisfied]
    assert item.latest_opinion.opinion is Rating.basically_satisfied


def _done():
    from supervise.lists.workflow import ItemInput

    return ItemInput(report="已完成。", evidence="照片。")


def test_dissatisfied_with_a_suggestion_reported_done_puts_it_back_under_supervision(people, suggestion):
    item = suggestion("completed")
    assert post_opinion(people, item, opinion="dissatisfied", comment="渠道仍然漏水。").status_code == 302
    db.session.refresh(item)
    assert item.state is ItemState.supervising and item.reanswer_due is not None
    assert (events_of(item)[-1].from_state, events_of(item)[-1].to_state) == (
        ItemState.completed,
        ItemState.supervising,
    )


def test_bad_input_keeps_the_typing(people, suggestion):
    item = suggestion()
    response = post_opinion(people, item, opinion="", comment="我有话要说，但忘了选。")
    text = refusal_page(response, "请选择您对答复的意见")
    assert "我有话要说，但忘了选。" in text
    response = post_opinion(people, item, opinion="dissatisfied", comment="  ")
    refusal_page(response, "请写明不满意的地方")
    assert 'value="dissatisfied" id="opinion-dissatisfied" autocomplete="off" checked' in html_of(response)
    response = post_opinion(people, item, opinion="angry", comment="乱选。")
    assert response.status_code == 409 and "乱选。" in text_of(response)
    assert count(AnswerOpinion) == 0


@pytest.mark.parametrize("persona", ["deputy", "supervisor", "lead_clerk", "presidium"])
def test_only_a_proposer_gives_an_opinion(people, suggestion, persona):
    item = suggestion()
    assert post_opinion(people, item, persona, opinion="dissatisfied", comment="不满意。").status_code == 403
    assert "提交意见" not in text_of(people.client(persona).get(f"/items/{item.id}/opinion"))
    assert count(AnswerOpinion) == 0


def test_other_townships_see_nothing(people, suggestion):
    item = suggestion()
    client = people.client("presidium_elsewhere")
    assert client.get(f"/items/{item.id}/opinion").status_code == 404
    assert client.post(f"/items/{item.id}/opinion", data={"opinion": "satisfied"}).status_code == 404
    assert client.post(f"/items/{item.id}/reanswer-due", data={"due_on": "2027-01-10"}).status_code == 404


def test_no_opinion_before_an_answer(people, suggestion):
    item = suggestion(answered=False)
    page = text_of(people.client("proposer").get(f"/items/{item.id}"))
    assert "对答复提出意见" not in page
    response = post_opinion(people, item, opinion="dissatisfied", comment="还没答复就不满意。")
    refusal_page(response, "尚未答复")
    assert count(AnswerOpinion) == 0


def test_the_presidium_moves_the_new_deadline_within_one_to_two_months(people, suggestion, proposer):
    item = suggestion()
    answers.give_answer_opinion(proposer, item, Rating.dissatisfied, "没有时间表。")
    db.session.commit()
    chair = people.client("presidium")
    assert "调整重新办理期限" in text_of(chair.get(f"/items/{item.id}/opinion"))
    too_late = add_months_clamped(today(), 2) + timedelta(days=1)
    response = chair.post(
        f"/items/{item.id}/reanswer-due", data={"due_on": too_late.isoformat(), "reason": "汛期"}
    )
    refusal_page(response, "一至两个月内")
    assert too_late.isoformat() in html_of(response) and "汛期" in text_of(response)
    two_months = add_months_clamped(today(), 2)
    response = chair.post(
        f"/items/{item.id}/reanswer-due", data={"due_on": two_months.isoformat(), "reason": "汛期"}
    )
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.reanswer_due == two_months
    assert events_of(item)[-1].action == "reanswer_deadline" and events_of(item)[-1].reason == "汛期"
    # Only the presidium.
    for persona in ("proposer", "lead_clerk", "supervisor"):
        blocked = people.client(persona).post(f"/items/{item.id}/reanswer-due", data={"due_on": two_months})
        assert blocked.status_code == 403


def test_a_passed_fresh_deadline_is_an_escalation_reason(people, suggestion, proposer):
    item = suggestion()
    answers.give_answer_opinion(proposer, item, Rating.dissatisfied, "没有时间表。")
    db.session.commit()
    assert not [r for r in reasons_for(item, today()) if "重新办理" in r]
    later = item.reanswer_due + timedelta(days=1)
    assert any("重新办理超过答复期限" in r for r in reasons_for(item, later))
    # On the page too, once the day has passed.
    item.reanswer_due = today() - timedelta(days=1)
    db.session.commit()
    page = people.client("presidium").get("/escalation")
    assert f"重新办理超过答复期限（{item.reanswer_due.isoformat()}）" in text_of(page)
    assert "已超过重新答复期限" in text_of(people.client("presidium").get(f"/items/{item.id}"))


def test_the_fresh_answer_page_shows_its_own_due_date_and_why_and_the_old_verdict_stays_old(
    people, suggestion
):
    """The statutory deadline (2026-06-01) has passed: the fresh answer is due by the presidium's
    date, and the office answers the deputy's comment. Once answered, the 不满意 belongs to the
    earlier answer, not to the new one."""
    item = suggestion(answered_at=datetime(2026, 5, 20, 2, 0))
    assert (
        post_opinion(people, item, opinion="dissatisfied", comment="只答复了计划，没有时间表。").status_code
        == 302
    )
    db.session.refresh(item)
    clerk = people.client("lead_clerk")

    form = text_of(clerk.get(f"/items/{item.id}/answer"))

    assert f"重新答复期限：{item.reanswer_due.isoformat()}" in form
    assert "只答复了计划，没有时间表。" in form and "不满意" in form
    assert "法定答复期限（首次答复）：2026-06-01" in form
    before = text_of(clerk.get(f"/items/{item.id}"))
    assert "新答复待代表提出意见" not in before and "对此前答复" not in before

    answer = {"answer_class": "A", "answer_text": "已排定工期，年底前完工。"}
    assert clerk.post(f"/items/{item.id}/answer", data=answer).status_code == 302

    page = html_of(clerk.get(f"/items/{item.id}"))
    opinion = page.split('id="answer-opinion"', 1)[1].split("</dd>", 1)[0]
    assert "新答复待代表提出意见" in opinion
    earlier = opinion.split('id="earlier-opinion"', 1)[1]
    assert "对此前答复（" in earlier and "不满意" in earlier
    # The proposer judges the new answer: that opinion is the verdict again.
    assert post_opinion(people, item, opinion="satisfied", comment="").status_code == 302
    opinion = html_of(clerk.get(f"/items/{item.id}")).split('id="answer-opinion"', 1)[1].split("</dd>", 1)[0]
    assert "新答复待代表提出意见" not in opinion and "对此前答复" not in opinion and "满意" in opinion


def test_opinions_are_history(people, suggestion, proposer):
    item = suggestion()
    opinion = answers.give_answer_opinion(proposer, item, Rating.satisfied, "")
    db.session.commit()
    opinion.comment = "改写历史。"
    with pytest.raises(HistoryIsAppendOnly):
        db.session.flush()
    db.session.rollback()
