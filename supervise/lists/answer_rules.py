"""Who judges a suggestion's answer and when, and the window of its fresh handling (重新办理):
rows of the item workflow (lists/workflow.py) read these."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from ..core.dates import add_months_clamped, china_date_of
from .models import Item, ListKind, Rating

if TYPE_CHECKING:
    from ..accounts.models import User
    from .workflow import ItemInput

# Who hears of a fresh handling (重新办理) starting (a proposer's 不满意) or ending (the office's new
# answer): listeners a higher layer registers, as listener(item, started). progress/answer_notices.py
# tells the presidium and the lead offices, and settles that notification once answered again.
FRESH_HANDLING_LISTENERS: list[Callable[[Item, bool], None]] = []


def on_fresh_handling(listener: Callable[[Item, bool], None]) -> None:
    """Have ``listener(item, started)`` run when a fresh handling starts or ends (registered once)."""
    if listener not in FRESH_HANDLING_LISTENERS:
        FRESH_HANDLING_LISTENERS.append(listener)


def fresh_handling_changed(item: Item, started: bool) -> None:
    """Tell the registered listeners: ``started`` by a 不满意, else ended by a new answer."""
    for listener in FRESH_HANDLING_LISTENERS:
        listener(item, started)


def proposer(item: Item, user: User) -> bool:
    """A deputy who proposed this suggestion (提出建议的代表): they judge its answer."""
    return (
        item.kind is ListKind.suggestion
        and user.deputy_id is not None
        and user.township_id == item.township_id
        and any(deputy.id == user.deputy_id for deputy in item.proposers)
    )


def has_answer(item: Item, _user: User) -> str | None:
    """A proposer judges an answer once there is one (and not while a fresh one is awaited)."""
    if item.answer_class is None:
        return _("这条建议尚未答复，答复后才能提出意见。")
    if item.reanswer_due is not None:
        return _("这条建议正在重新办理，重新答复后才能再提出意见。")
    return None


def in_fresh_handling(item: Item, _user: User) -> str | None:
    if item.reanswer_due is None:
        return _("这条建议没有在重新办理。")
    return None


def opinion_guard(_item: Item, given: ItemInput) -> str | None:
    if given.rating is None:
        return _("请选择您对答复的意见。")
    if given.rating is Rating.dissatisfied and not given.comment.strip():
        return _("选择“不满意”时，请写明不满意的地方，承办单位据此重新办理。")
    return None


# Fresh handling (重新办理) after 不满意: a new answer within one to two months of the opinion.
REANSWER_MONTHS = (1, 2)


def reanswer_window(item: Item) -> tuple[date, date] | None:
    """The earliest and latest new answer deadline: one and two months after the 不满意 opinion."""
    latest = item.latest_opinion
    if latest is None or latest.opinion is not Rating.dissatisfied:
        return None
    day = china_date_of(latest.at)  # stored in UTC; the day the deputy meant is China's
    return add_months_clamped(day, REANSWER_MONTHS[0]), add_months_clamped(day, REANSWER_MONTHS[1])


def reanswer_due_guard(item: Item, given: ItemInput) -> str | None:
    if given.due_on is None:
        return _("请填写新的答复期限。")
    window = reanswer_window(item)
    if window is not None and not window[0] <= given.due_on <= window[1]:
        return _(
            "重新办理的答复期限须在代表提出意见后一至两个月内（%(first)s 至 %(last)s）。",
            first=window[0].isoformat(),
            last=window[1].isoformat(),
        )
    return None
