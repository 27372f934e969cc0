"""A suggestion's answer as its proposers judge it (满意/基本满意/不满意), and the fresh handling
(重新办理) that 不满意 starts: check, change, write the event, flush. Never commits.

The new answer deadline is set when the opinion is given, one month on (the deputy judges on a
phone and the presidium is not there to choose); the presidium may then move it within one to two
months of the opinion (lists/answer_rules.py, reanswer_window).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..core.clock import today, utcnow
from ..core.dates import add_months_clamped
from .answer_rules import REANSWER_MONTHS, fresh_handling_changed
from .models import AnswerOpinion, Item, Rating
from .operations import write_transition_event
from .workflow import WORKFLOW, ItemInput

if TYPE_CHECKING:
    from ..accounts.models import User


def give_answer_opinion(user: User, item: Item, opinion: Rating | None, comment: str) -> AnswerOpinion:
    """A proposer's opinion of the answer; 不满意 sends the suggestion back for fresh handling."""
    given = ItemInput(rating=opinion, comment=comment)
    WORKFLOW.fire(item, "answer_opinion", user, given, effect=_judge, write_event=write_transition_event)
    if opinion is Rating.dissatisfied:
        fresh_handling_changed(item, started=True)  # who must hear of it (answer_rules.py)
    return item.answer_opinions[-1]


def _judge(user: User, item: Item, given: ItemInput) -> dict:
    assert given.rating is not None and user.deputy_id is not None  # the guard and `who` saw to it
    item.answer_opinions.append(
        AnswerOpinion(
            deputy_id=user.deputy_id,
            user_id=user.id,
            at=utcnow(),
            opinion=given.rating,
            comment=given.comment.strip(),
            answer_class=item.answer_class,
            answered_at=item.answered_at,
        )
    )
    details = {"opinion": given.rating.value, "comment": given.comment.strip()}
    if given.rating is Rating.dissatisfied:
        item.reanswer_due = add_months_clamped(today(), REANSWER_MONTHS[0])
        details["reanswer_due"] = item.reanswer_due.isoformat()
    return details


def set_reanswer_due(user: User, item: Item, due_on: date | None, reason: str = "") -> Item:
    """The presidium moves the fresh handling's answer deadline, within one to two months."""
    given = ItemInput(due_on=due_on, reason=reason)
    WORKFLOW.fire(
        item, "reanswer_deadline", user, given, effect=_move_due, write_event=write_transition_event
    )
    return item


def _move_due(user: User, item: Item, given: ItemInput) -> dict:
    assert given.due_on is not None  # the guard saw to it
    previous, item.reanswer_due = item.reanswer_due, given.due_on
    return {
        "previous_reanswer_due": previous.isoformat() if previous else None,
        "reanswer_due": given.due_on.isoformat(),
    }
