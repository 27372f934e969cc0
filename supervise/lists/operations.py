"""Everything that changes a list or an item: check, change, write the event, flush. Never commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import flag_modified

from ..core.clock import today, utcnow
from ..core.dates import add_months_clamped
from ..core.errors import DomainError, PermissionDenied
from ..core.history import add_event
from ..extensions import db
from ..org.models import Deputy, Office
from .answer_rules import fresh_handling_changed
from .changes import EDITABLE_FIELDS, EditConflict, incoming, normalise, shown
from .item_rules import offices_problem
from .models import (
    AnswerClass,
    Item,
    ItemEvent,
    ItemState,
    ListKind,
    Rating,
    SupervisionList,
    SupervisorAssignment,
)
from .queries import township_list
from .workflow import WORKFLOW, ItemInput, deadline_year_problem, end_year_problem, list_defaults_for

if TYPE_CHECKING:
    from ..accounts.models import User

SUMMARY_LENGTH = 120


def event_link(endpoint: str, **values: Any) -> str:
    """A path for an item event's 'link' to a record; demo data and the CLI have no request, so make one."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context():
        return url_for(endpoint, **values)


def shorten(text: str) -> str:
    """Text for an item event's summary: one line, at most SUMMARY_LENGTH characters."""
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"


def record_event(
    item: Item,
    user: User | None,
    action: str,
    from_state: ItemState | None = None,
    to_state: ItemState | None = None,
    reason: str = "",
    **details: Any,
) -> ItemEvent:
    # The event carries the version the item will have once this change is flushed.
    bumps = item in db.session.dirty and db.session.is_modified(item, include_collections=False)
    version = item.version + 1 if bumps else item.version
    return add_event(
        ItemEvent, user, action, from_state, to_state, reason, details, item=item, item_version=version
    )


def _touch(item: Item) -> None:
    """Move the item's version on even when only its supervisors or offices change.

    The UPDATE then carries ``WHERE version = <the version this session read>``, so of two
    concurrent changes to one item the second fails instead of silently overwriting the first.
    """
    flag_modified(item, "state")


# ---- lists and items -------------------------------------------------------------------------


def create_list(user: User | None, township_id: int, year: int, kind: ListKind) -> SupervisionList:
    if township_list(township_id, year, kind):
        raise DomainError(_("%(year)d 年的“%(kind)s”清单已经存在。", year=year, kind=kind.label))
    supervision_list = SupervisionList(township_id=township_id, year=year, kind=kind)
    db.session.add(supervision_list)
    db.session.flush()
    return supervision_list


def list_of_year(user: User | None, township_id: int, year: int, kind: ListKind) -> SupervisionList:
    """The township's list of ``kind`` for ``year``, created (empty, a draft) when it has none yet."""
    return township_list(township_id, year, kind) or create_list(user, township_id, year, kind)


def next_item_number(supervision_list: SupervisionList) -> int:
    # Lock the list row so two clerks adding items at once cannot take the same number.
    db.session.execute(
        select(SupervisionList.id).where(SupervisionList.id == supervision_list.id).with_for_update()
    )
    current = db.session.execute(
        select(func.max(Item.number)).where(Item.list_id == supervision_list.id)
    ).scalar_one()
    return (current or 0) + 1


def item_code(supervision_list: SupervisionList, number: int) -> str:
    township = supervision_list.township
    return f"{township.slug}-{supervision_list.year}-{supervision_list.kind.letter}-{number:03d}"


def create_item(
    user: User | None,
    supervision_list: SupervisionList,
    fields: dict,
    assisting: Iterable[Office] = (),
    proposers: Iterable[Deputy] = (),
    carried_from: Item | None = None,
    *,
    joint_leads: Iterable[Office] = (),
) -> Item:
    """Add an item to a list; items start as drafts until the list is confirmed."""
    if user is not None and not user.is_presidium_of(supervision_list.township_id):
        raise PermissionDenied(_("只有本镇主席团可以编辑清单。"))
    assisting, proposers, joint_leads = list(assisting), list(proposers), list(joint_leads)
    _check_links(supervision_list, fields, assisting, proposers, joint_leads)
    number = next_item_number(supervision_list)
    item = Item(
        supervision_list=supervision_list,
        township_id=supervision_list.township_id,
        number=number,
        code=item_code(supervision_list, number),
        # Every new item starts as a draft, also in a confirmed list: it is listed when the list
        # page confirms it, so the listing checks (office, deadline, target) always apply.
        state=ItemState.draft,
        carried_from=carried_from,
        **{name: fields[name] for name in EDITABLE_FIELDS if name in fields},
    )
    item.assisting_offices = assisting
    item.joint_lead_offices = joint_leads
    item.proposers = proposers
    if problem := end_year_problem(item):
        raise DomainError(problem)  # the request rolls back whole, the number taken with it
    return WORKFLOW.start(item, user, write_event=record_event)


def _check_links(
    supervision_list: SupervisionList,
    fields: dict,
    assisting: list[Office],
    proposers: list[Deputy],
    joint_leads: list[Office],
    category_now: str = "",
) -> None:
    township_id = supervision_list.township_id
    office_id = fields.get("lead_office_id")
    if office_id is not None:
        office = db.session.get(Office, office_id)
        if office is None or office.township_id != township_id:
            raise DomainError(_("主办单位必须是本镇的站所。"))
    if any(o.township_id != township_id for o in assisting):
        raise DomainError(_("协办单位必须是本镇的站所。"))
    if any(o.township_id != township_id for o in joint_leads):
        raise DomainError(_("联合牵头单位必须是本镇的站所。"))
    names = {o.id: o.name for o in (*joint_leads, *assisting)}
    problem = offices_problem(
        office_id, [o.id for o in joint_leads], [o.id for o in assisting], lambda i: names.get(i, "")
    )
    if problem:
        raise DomainError(problem)
    if any(d.township_id != township_id for d in proposers):
        raise DomainError(_("提出建议的代表必须是本镇代表。"))
    category = fields.get("category") or ""
    if category and category != category_now and category not in supervision_list.categories:
        raise DomainError(_("分类“%(category)s”不是这份清单的分类。", category=category))


def amend_item(
    user: User,
    item: Item,
    fields: dict,
    seen_version: int,
    reason: str = "",
    assisting: list[Office] | None = None,
    proposers: list[Deputy] | None = None,
    *,
    joint_leads: list[Office] | None = None,
    decision: str = "",
) -> dict:
    """Change an item's fields. After listing every change is an event with old and new values; a
    project the deputies chose by vote changes only by a congress decision (文号或会议), recorded."""
    if not WORKFLOW.is_allowed(item, "amend", user):
        raise PermissionDenied(_("只有本镇主席团可以修改事项。"))
    # A stale page first: what changed meanwhile (perhaps the state) explains any refusal below.
    if item.version != seen_version:
        raise EditConflict(item, seen_version)
    if item.state not in WORKFLOW["amend"].sources:
        raise DomainError(_("事项处于“%(state)s”状态，不能再修改。", state=item.state.label))
    _check_links(
        item.supervision_list, fields, assisting or [], proposers or [], joint_leads or [], item.category
    )
    changes = {}
    for name in EDITABLE_FIELDS:
        if name not in fields:
            continue
        new = incoming(name, fields[name])
        if normalise(getattr(item, name)) != normalise(new):
            changes[name] = [shown(name, getattr(item, name)), shown(name, new)]
            setattr(item, name, new)
    if "deadline" in changes:
        item.deadline_text = ""  # the list's wording ("6月底") described the deadline replaced
    linked = (("joint_lead_offices", joint_leads), ("assisting_offices", assisting), ("proposers", proposers))
    for name, new in linked:
        if new is not None:
            old_names, new_names = shown(name, getattr(item, name)), shown(name, new)
            if old_names != new_names:
                changes[name] = [old_names, new_names]
                setattr(item, name, list(new))
    if not changes:
        return changes
    if item.state is not ItemState.draft and not reason.strip():
        raise DomainError(_("事项已列入清单，修改须填写理由。"))
    if item.chosen_by_vote and item.state is not ItemState.draft and not decision.strip():
        raise DomainError(_("这个项目由代表票决产生，修改须依据人大的决定：请填写决定的文号或会议。"))
    # A draft's deadline is checked when its list is confirmed; a listed item keeps the rule at
    # every edit, and an end year before the list's is wrong whatever the state.
    problem = end_year_problem(item) or (item.state is not ItemState.draft and deadline_year_problem(item))
    if problem:
        raise DomainError(problem)
    _touch(item)
    details = {"changes": changes, **({"decision": decision.strip()} if decision.strip() else {})}
    record_event(item, user, "amend", item.state, item.state, reason, **details)
    db.session.flush()
    return changes


def answer_suggestion(user: User, item: Item, answer_class: AnswerClass, text: str) -> None:
    """The lead office answers a deputy's suggestion (class A/B/C/D)."""
    if item.kind is not ListKind.suggestion:
        raise DomainError(_("只有代表建议需要答复。"))
    if not WORKFLOW.is_allowed(item, "answer", user):
        raise PermissionDenied(_("只有主办单位可以答复这条建议。"))
    if item.state not in WORKFLOW["answer"].sources:
        raise DomainError(_("事项处于“%(state)s”状态，不能答复。", state=item.state.label))
    if not text.strip():
        raise DomainError(_("请填写答复内容。"))
    item.answer_class = answer_class
    item.answer_text = text.strip()
    item.answered_at = utcnow()
    # A fresh answer after a proposer's 不满意 (重新办理) ends the fresh handling.
    details: dict[str, Any] = {"answer_class": answer_class.value, "text": text.strip()}
    fresh = item.reanswer_due is not None
    if fresh:
        details["fresh"] = True
    item.reanswer_due = None
    record_event(item, user, "answer", item.state, item.state, **details)
    db.session.flush()
    if fresh:
        fresh_handling_changed(item, started=False)


# ---- transitions -------------------------------------------------------------------------------


def fire(user: User, item: Item, action: str, **given: Any) -> Item:
    """Fire one transition of the item workflow with its input given by keyword (ItemInput's fields)."""
    effect = EFFECTS.get(action)
    WORKFLOW.fire(item, action, user, ItemInput(**given), effect=effect, write_event=write_transition_event)
    return item


def write_transition_event(
    item: Item,
    user: User,
    action: str,
    from_state: ItemState | None,
    to_state: ItemState | None,
    reason: str,
    **details: Any,
) -> ItemEvent:
    """The event of a transition (WORKFLOW.fire's writer): the item's version moves with it."""
    _touch(item)
    return record_event(item, user, action, from_state, to_state, reason, **details)


def _assign(user: User, item: Item, given: ItemInput) -> dict:
    chosen = {d.id: d for d in given.deputies}
    now = utcnow()
    for assignment in item.assignments:
        if assignment.ended_at is None and assignment.deputy_id not in chosen:
            assignment.ended_at = now
    current = {a.deputy_id for a in item.assignments if a.ended_at is None}
    for deputy_id, deputy in chosen.items():
        if deputy_id not in current:
            item.assignments.append(SupervisorAssignment(deputy=deputy, assigned_at=now))
    return {"supervisors": [d.name for d in chosen.values()]}


def _report_done(user: User, item: Item, given: ItemInput) -> dict:
    item.completion_report = given.report.strip()
    item.completion_evidence = given.evidence.strip()
    item.completed_at = utcnow()
    for assignment in item.assignments:
        assignment.confirmed_at = None
    return {"report": item.completion_report, "evidence": item.completion_evidence}


def _confirm_done(user: User, item: Item, given: ItemInput) -> dict:
    for assignment in item.assignments:
        if assignment.ended_at is None and assignment.deputy_id == user.deputy_id:
            assignment.confirmed_at = utcnow()
    return {"comment": given.comment.strip()}


def _record_result(user: User, item: Item, given: ItemInput) -> dict:
    rating = given.rating
    assert rating is not None  # the guard saw to it
    # The evaluation meeting (supervise.evaluation) passes its tally as ``evaluation`` (meeting id,
    # summary, link) and its date as ``rated_on``; without them the result is recorded by hand.
    evaluation = given.evaluation
    item.result = rating
    item.result_is_manual = evaluation is None
    item.result_on = given.rated_on or today()
    details = {
        "rating": rating.value,
        "rated_on": item.result_on.isoformat(),
        **(evaluation or {"manual": True}),
    }
    if rating is Rating.dissatisfied:  # the table's branch sends it back to supervising
        item.rerate_deadline = add_months_clamped(given.rated_on or today(), 3)
        return {**details, "rerate_deadline": item.rerate_deadline.isoformat()}
    item.rerate_deadline = None  # a good result ends any pending re-rating
    return details


def _withdraw(user: User, item: Item, given: ItemInput) -> dict:
    item.withdrawn_reason = given.reason.strip()
    item.congress_decision = given.decision.strip()
    return {"decision": item.congress_decision}


def _carry_over(user: User, item: Item, given: ItemInput) -> dict:
    old_list = item.supervision_list
    # Next year's list, also for a multi-year item: carried over, its copy replaces it on the years
    # it still spans (queries.in_year_condition leaves carried-over items out).
    next_list = list_of_year(user, item.township_id, old_list.year + 1, old_list.kind)
    fields = {name: getattr(item, name) for name in EDITABLE_FIELDS}
    if item.category and item.category not in next_list.categories:
        next_list.categories = [*next_list.categories, item.category]
    # In next year's list a deadline of a past year is no deadline: the presidium sets a new one
    # before confirming that list (it names the item), and a span ending this year has ended.
    if fields.get("deadline") is not None and fields["deadline"].year < next_list.year:
        fields["deadline"] = None
    if fields.get("end_year") is not None and fields["end_year"] <= next_list.year:
        fields["end_year"] = None
    new_item = create_item(
        user,
        next_list,
        fields,
        item.assisting_offices,
        item.proposers,
        carried_from=item,
        joint_leads=item.joint_lead_offices,
    )
    return {"new_item": new_item.code}


def _confirm(user: User, item: Item, given: ItemInput) -> dict:
    """Listing takes the list's defaults for what the item leaves implied (the guard allowed them)."""
    defaults = list_defaults_for(item)
    for name, value in defaults.items():
        setattr(item, name, value)
    return {"defaults": sorted(defaults)} if defaults else {}


def _with_consultation(user: User, item: Item, given: ItemInput) -> dict:
    return {"consultation_id": given.consultation_id} if given.consultation_id is not None else {}


EFFECTS = {
    "confirm": _confirm,
    "assign": _assign,
    "report_done": _report_done,
    "confirm_done": _confirm_done,
    "record_result": _record_result,
    "withdraw": _withdraw,
    "carry_over": _carry_over,
    "open_consultation": _with_consultation,
    "conclude_consultation": _with_consultation,
}


def confirm_list(user: User, supervision_list: SupervisionList) -> int:
    """Confirm a list: every draft item must be complete; all become listed together."""
    if not user.is_presidium_of(supervision_list.township_id):
        raise PermissionDenied(_("只有本镇主席团可以确认清单。"))
    drafts = [i for i in supervision_list.items if i.state is ItemState.draft]
    if not drafts:
        raise DomainError(_("清单中没有待确认的事项。"))
    problems = [p for p in (WORKFLOW["confirm"].guard(i, ItemInput(whole_list=True)) for i in drafts) if p]
    if problems:
        raise DomainError(" ".join(problems))
    for item in drafts:
        fire(user, item, "confirm", whole_list=True)
    supervision_list.confirmed_at = supervision_list.confirmed_at or utcnow()
    supervision_list.confirmed_by_id = supervision_list.confirmed_by_id or user.id
    db.session.flush()
    return len(drafts)
