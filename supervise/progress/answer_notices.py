"""Who hears of a proposer's 不满意 (提醒): the township's presidium and the clerks of every office
that leads the suggestion (the lead office and the joint leads): it is handled afresh and must be
answered again by its ``reanswer_due``. The office's new answer settles those notifications. lists
calls ``fresh_handling_changed`` once per opinion and per new answer (it cannot import this layer:
progress registers itself there, lists/answer_rules.py)."""

from __future__ import annotations

from ..accounts.models import User
from ..core.permissions import Role
from ..lists.answer_rules import on_fresh_handling
from ..lists.models import Item
from .notify import active_users, notify, presidium, sent_about, settle

KIND = "answer_dissatisfied"


def lead_office_clerks(item: Item) -> list[User]:
    """The clerks of the item's lead office and joint leads, in its township."""
    office_ids = [office.id for office in item.lead_offices]
    if not office_ids:
        return []
    return active_users(
        User.township_id == item.township_id,
        User.role == Role.government,
        User.office_id.in_(office_ids),
    )


def answer_found_dissatisfied(item: Item) -> None:
    """One notification for each of the presidium and the lead offices' clerks, linking to the item."""
    assert item.reanswer_due is not None  # set by the 不满意 (lists/answers.py)
    notify(
        presidium(item.township_id) + lead_office_clerks(item),
        township_id=item.township_id,
        kind=KIND,
        due_on=item.reanswer_due,
        params={"item_id": item.id, "code": item.code, "title": item.title},
    )


def fresh_handling_changed(item: Item, started: bool) -> None:
    """Started by a 不满意: tell them; ended by a new answer: what they were told is done."""
    if started:
        answer_found_dissatisfied(item)
    else:
        settle(sent_about(item.township_id, [KIND], "item_id", [item.id]))


on_fresh_handling(fresh_handling_changed)
