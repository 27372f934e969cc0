"""Deputies' suggestions (代表建议): the legal answer deadline, the answer, the proposing deputies."""

from __future__ import annotations

from datetime import date

import pytest

from supervise.extensions import db
from supervise.lists.models import AnswerClass, Item, ItemState
from tests.helpers import html_of

from .conftest import events_of


@pytest.mark.parametrize(
    ("handed_over_on", "extension_approved", "due"),
    [
        (date(2026, 11, 30), False, date(2027, 2, 28)),
        (date(2026, 11, 30), True, date(2027, 5, 30)),
        (date(2026, 8, 31), True, date(2027, 2, 28)),
        (None, False, None),
    ],
    ids=["3 months", "6 months with approval", "6 months, clamped", "not handed over yet"],
)
def test_a_suggestion_is_answered_within_3_months_of_hand_over_or_6_with_approval(
    handed_over_on, extension_approved, due
):
    item = Item(handed_over_on=handed_over_on, extension_approved=extension_approved)

    assert item.answer_due == due


def test_the_item_page_shows_the_deadline_the_proposers_and_whether_it_is_overdue(people):
    proposers = [people.factory.deputy(name="王秀兰"), people.factory.deputy(name="李德明")]
    item = people.item(
        "supervising", kind="suggestion", handed_over_on=date(2020, 11, 30), proposers=proposers
    )

    page = html_of(people.client("supervisor").get(f"/items/{item.id}"))

    assert "2021-02-28" in page
    assert "王秀兰、李德明" in page or "李德明、王秀兰" in page
    assert "已超过答复期限" in page


def test_the_lead_office_answers_with_a_class_and_the_answer_is_on_the_timeline(people):
    item = people.item("supervising", kind="suggestion", handed_over_on=date(2026, 3, 1))

    response = people.client("lead_clerk").post(
        f"/items/{item.id}/answer", data={"answer_class": "B", "answer_text": "已列入明年计划。"}
    )

    assert response.status_code == 302
    db.session.refresh(item)
    assert (item.answer_class, item.answer_text, item.state) == (
        AnswerClass.B,
        "已列入明年计划。",
        ItemState.supervising,
    )
    [event] = events_of(item)
    assert (event.action, event.details) == ("answer", {"answer_class": "B", "text": "已列入明年计划。"})


@pytest.mark.parametrize("persona", ["other_clerk", "presidium", "supervisor"])
def test_only_the_lead_office_answers_a_suggestion(people, persona):
    item = people.item("supervising", kind="suggestion", handed_over_on=date(2026, 3, 1))

    response = people.client(persona).post(
        f"/items/{item.id}/answer", data={"answer_class": "A", "answer_text": "已解决。"}
    )

    assert response.status_code == 403
    db.session.refresh(item)
    assert item.answer_class is None
