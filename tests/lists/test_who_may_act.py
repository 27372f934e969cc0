"""Who may act: the user model's three predicates, the one rule every domain asks.

Two copies used to disagree: the item workflow let a government clerk with no office act for any
office's item (report it done, answer a suggestion), while monthly reports and follow-up sheets
did not. The rule kept is the stricter one: a record addressed to an office is that office's.
"""

from __future__ import annotations

import pytest

from supervise.core.errors import PermissionDenied
from supervise.lists import operations
from supervise.lists.models import AnswerClass, ListKind
from supervise.lists.todo import government_todo
from supervise.lists.workflow import WORKFLOW


def test_a_clerk_without_an_office_acts_for_no_office(factory):
    item = factory.item(state="supervising")
    whole_government = factory.user("government", office_id=None)
    own_clerk = factory.user("government", office_id=item.lead_office_id)
    assert own_clerk.is_clerk_of(item.township_id, item.lead_office_id)
    assert not whole_government.is_clerk_of(item.township_id, item.lead_office_id)
    assert not WORKFLOW.may_fire(item, "report_done", whole_government)
    assert WORKFLOW.may_fire(item, "report_done", own_clerk)
    with pytest.raises(PermissionDenied):
        operations.fire(whole_government, item, "report_done", report="完工。", evidence="照片。")


def test_a_clerk_without_an_office_cannot_answer_a_suggestion(factory):
    item = factory.item(state="listed", kind=ListKind.suggestion.value)
    whole_government = factory.user("government", office_id=None)
    with pytest.raises(PermissionDenied):
        operations.answer_suggestion(whole_government, item, AnswerClass.A, "已解决。")
    assert item.answer_class is None


def test_a_supervisor_is_one_of_the_items_township(factory):
    item = factory.item(state="listed")
    deputy_user = factory.user("deputy")
    operations.fire(factory.user("presidium"), item, "assign", deputies=[deputy_user.deputy])
    assert deputy_user.supervises(item)
    # The same deputy record under an account of another township does not supervise it.
    deputy_user.township_id = factory.township().id
    assert not deputy_user.supervises(item)
    assert not WORKFLOW.may_fire(item, "confirm_done", deputy_user)


def test_the_presidium_is_of_one_township(factory):
    item = factory.item(state="listed")
    assert factory.user("presidium").is_presidium_of(item.township_id)
    elsewhere = factory.user("presidium", township=factory.township())
    assert not elsewhere.is_presidium_of(item.township_id)
    assert not WORKFLOW.may_fire(item, "amend", elsewhere)


def test_a_clerk_without_an_office_is_not_asked_to_answer_suggestions(factory):
    item = factory.item(state="listed", kind=ListKind.suggestion.value)
    own = government_todo(item.township_id, item.lead_office_id)
    whole_government = government_todo(item.township_id, None)
    assert own["to_answer"] == [item]
    assert item in whole_government["office_items"] and whole_government["to_answer"] == []
