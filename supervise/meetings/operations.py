"""Opening and concluding consultations, recording activity days, flagging items for escalation.

Item states change only through lists.operations.fire; everything here checks, changes, writes
the items' events and flushes. Never commits.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select

from ..core.clock import today, utcnow
from ..core.errors import DomainError, PermissionDenied
from ..extensions import db
from ..lists import operations as item_operations
from ..lists.models import UNFINISHED_STATES, Item, ItemState
from ..lists.workflow import WORKFLOW as ITEM_WORKFLOW
from ..org.models import LiaisonStation, Office
from .models import ActivityDay, Consultation, consultation_item

if TYPE_CHECKING:
    from ..accounts.models import User

# Items the presidium may still escalate, discuss or flag: listed and not yet verified.
# States in which lists.operations.amend_item accepts a changed deadline after listing.


def _require_chair(user: User, township_id: int | None) -> None:
    if not user.is_presidium_of(township_id):
        raise PermissionDenied(_("只有本镇主席团可以进行此操作。"))


def _check_own(township_id: int | None, offices: list[Office], items: list[Item]) -> None:
    if any(o.township_id != township_id for o in offices):
        raise DomainError(_("所选站所必须属于本镇。"))
    if any(i.township_id != township_id for i in items):
        raise DomainError(_("所选事项必须属于本镇。"))


def _unique(records: list) -> list:
    return list({r.id: r for r in records}.values())


# ---- consultations (会商) ----------------------------------------------------------------------


# A consultation is arranged for a day at most this far ahead (it cannot be moved once opened).
PLANNED_AHEAD_AT_MOST = timedelta(days=90)


def open_consultation(
    user: User, *, held_on: date, place: str, attendees: str, items: list[Item], offices: list[Office]
) -> Consultation:
    """Open a consultation on items that are all supervising; they move to consulting together."""
    township_id = user.township_id
    _require_chair(user, township_id)
    items, offices = _unique(items), _unique(offices)
    if not items:
        raise DomainError(_("请至少选择一个事项。"))
    if not attendees.strip():
        raise DomainError(_("请填写参加会商的人员。"))
    if held_on > today() + PLANNED_AHEAD_AT_MOST or held_on.year < 2000:
        raise DomainError(
            _(
                "会商日期 %(day)s 不对：会商可以提前安排，但最迟为 %(latest)s。",
                day=held_on.isoformat(),
                latest=(today() + PLANNED_AHEAD_AT_MOST).isoformat(),
            )
        )
    _check_own(township_id, offices, items)
    # All or nothing: name every item that cannot go into consultation before changing any.
    refused = [i for i in items if not ITEM_WORKFLOW.may_fire(i, "open_consultation", user)]
    if refused:
        raise DomainError(
            _(
                "只有“监督中”的事项才能提请会商，以下事项不能：%(items)s。",
                items=_("、").join(
                    _("%(name)s（%(note)s）", name=i.code, note=i.state.label) for i in refused
                ),
            )
        )
    consultation = Consultation(
        township_id=township_id,
        held_on=held_on,
        place=place.strip(),
        attendees=attendees.strip(),
        opened_by_id=user.id,
        items=items,
        offices=offices,
    )
    db.session.add(consultation)
    db.session.flush()
    link = item_operations.event_link("meetings.consultation_detail", consultation_id=consultation.id)
    summary = _(
        "会商日期：%(day)s；地点：%(place)s；参加人员：%(attendees)s",
        day=held_on.isoformat(),
        place=consultation.place or "—",
        attendees=item_operations.shorten(consultation.attendees),
    )
    for item in items:
        item_operations.fire(user, item, "open_consultation", consultation_id=consultation.id)
        item_operations.record_event(
            item, user, "consultation_record", summary=summary, link=link, consultation_id=consultation.id
        )
    db.session.flush()
    return consultation


def _in_other_open_consultations(consultation: Consultation) -> set[int]:
    """Items of this consultation that another, still open consultation holds in consulting."""
    rows = db.session.execute(
        select(consultation_item.c.item_id)
        .join(Consultation, Consultation.id == consultation_item.c.consultation_id)
        .where(
            consultation_item.c.item_id.in_([i.id for i in consultation.items]),
            Consultation.id != consultation.id,
            Consultation.concluded_at.is_(None),
        )
    )
    return set(rows.scalars())


def conclude_consultation(
    user: User,
    consultation: Consultation,
    *,
    measures: str,
    new_deadline: date | None,
    conclusion: str = "",
    decision: str = "",
) -> Consultation:
    """Record the agreed measures; items still consulting return to supervising, deadlines amended.
    A voted livelihood project's deadline moves only with the congress's ``decision`` (文号或会议)."""
    _require_chair(user, consultation.township_id)
    # Lock the consultation so that two members concluding it at once cannot both succeed.
    db.session.execute(select(Consultation.id).where(Consultation.id == consultation.id).with_for_update())
    db.session.refresh(consultation, ["concluded_at"])
    if not consultation.is_open:
        raise DomainError(_("这次会商已经结束。"))
    if not measures.strip():
        raise DomainError(_("请填写商定的措施。"))
    if new_deadline is not None and new_deadline < consultation.held_on:
        raise DomainError(_("新的完成时限不能早于会商日期。"))
    held_elsewhere = _in_other_open_consultations(consultation)
    moved = [
        item
        for item in consultation.items
        if item.id not in held_elsewhere and _deadline_moves(item, new_deadline, user)
    ]
    voted = [item.code for item in moved if item.chosen_by_vote]
    if voted and not decision.strip():
        raise DomainError(
            _(
                "%(items)s 由代表票决产生，调整完成时限须依据人大的决定：请填写决定的文号或会议。",
                items=_("、").join(voted),
            )
        )
    consultation.measures = measures.strip()
    consultation.new_deadline = new_deadline
    consultation.conclusion = conclusion.strip()
    consultation.concluded_at = utcnow()
    consultation.concluded_by_id = user.id
    link = item_operations.event_link("meetings.consultation_detail", consultation_id=consultation.id)
    summary = _("会商商定措施：%(measures)s", measures=item_operations.shorten(consultation.measures))
    if new_deadline is not None:
        summary += _("；新的完成时限：%(day)s", day=new_deadline.isoformat())
    reason = _(
        "%(day)s 会商（%(place)s）商定新的完成时限",
        day=consultation.held_on.isoformat(),
        place=consultation.place or _("地点未填"),
    )
    for item in consultation.items:
        if item.id in held_elsewhere:
            continue
        if item.state is ItemState.consulting:
            item_operations.fire(user, item, "conclude_consultation", consultation_id=consultation.id)
        if item in moved:
            item_operations.amend_item(
                user, item, {"deadline": new_deadline}, item.version, reason=reason, decision=decision
            )
        item_operations.record_event(
            item, user, "consultation_record", summary=summary, link=link, consultation_id=consultation.id
        )
    db.session.flush()
    return consultation


def _deadline_moves(item: Item, new_deadline: date | None, user: User) -> bool:
    """Does concluding with this deadline amend the item's (one the presidium may still amend)?"""
    return (
        new_deadline is not None
        and item.deadline != new_deadline
        and ITEM_WORKFLOW.may_fire(item, "amend", user)
    )


# ---- liaison-station activity days (活动日座谈会) ---------------------------------------------


def record_activity_day(
    user: User,
    *,
    station: LiaisonStation,
    held_on: date,
    minutes: str,
    items: list[Item],
    offices: list[Office],
) -> ActivityDay:
    """Record a station's activity day; its minutes are linked into each discussed item's timeline."""
    township_id = user.township_id
    _require_chair(user, township_id)
    items, offices = _unique(items), _unique(offices)
    if station.township_id != township_id:
        raise DomainError(_("所选联络站必须属于本镇。"))
    if not items:
        raise DomainError(_("请至少选择一个座谈的事项。"))
    if not minutes.strip():
        raise DomainError(_("请填写座谈会纪要。"))
    if held_on > today():
        raise DomainError(_("活动日期不能晚于今天。"))
    _check_own(township_id, offices, items)
    drafts = [i for i in items if i.state is ItemState.draft]
    if drafts:
        raise DomainError(_("事项尚未列入清单：%(items)s。", items=_("、").join(i.code for i in drafts)))
    activity_day = ActivityDay(
        township_id=township_id,
        station_id=station.id,
        held_on=held_on,
        minutes=minutes.strip(),
        recorded_by_id=user.id,
        items=items,
        offices=offices,
    )
    db.session.add(activity_day)
    db.session.flush()
    link = item_operations.event_link("meetings.activity_day_detail", activity_day_id=activity_day.id)
    summary = _(
        "%(station)s（%(day)s）：%(minutes)s",
        station=station.name,
        day=held_on.isoformat(),
        minutes=item_operations.shorten(activity_day.minutes),
    )
    if offices:
        summary += _("；汇报站所：%(offices)s", offices=_("、").join(o.name for o in offices))
    for item in items:
        item_operations.record_event(
            item, user, "activity_day", summary=summary, link=link, activity_day_id=activity_day.id
        )
    db.session.flush()
    return activity_day


# ---- escalation: the presidium's own call ------------------------------------------------------


def flag_for_escalation(user: User, item: Item, note: str) -> None:
    """The presidium names an item an escalation candidate (督办预警), saying why."""
    _require_chair(user, item.township_id)
    note = note.strip()
    if not note:
        raise DomainError(_("请说明列为督办预警的理由。"))
    if len(note) > 200:
        raise DomainError(_("理由不能超过 200 字。"))
    if item.state not in UNFINISHED_STATES:
        raise DomainError(_("事项处于“%(state)s”状态，不能列为督办预警。", state=item.state.label))
    item.escalation_note = note
    item_operations.record_event(item, user, "escalation_flag", reason=note)
    db.session.flush()


def clear_escalation_flag(user: User, item: Item) -> bool:
    """Withdraw the presidium's own call on an item; False if there was none."""
    _require_chair(user, item.township_id)
    if not item.escalation_note:
        return False
    item.escalation_note = ""
    item_operations.record_event(item, user, "escalation_clear")
    db.session.flush()
    return True
