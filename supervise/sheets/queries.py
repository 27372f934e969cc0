"""Questions about sheets that other pages ask: the sheets waiting for the government or for the
presidium's verification (home pages), which sheets cite an inspection's findings (inspection page),
the findings no sheet cites yet; the conditions the sheet list and the county's figures share."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload, selectinload

from ..core.fields import as_id, as_year
from ..core.permissions import Role, chosen_township_id
from ..extensions import db
from ..inspections.models import Finding, Inspection, InspectionState
from ..lists.models import Item
from .models import (
    AWAITING_ANSWER_STATES,
    ExtensionDecision,
    FollowUpSheet,
    SheetExtension,
    SheetLine,
    SheetState,
)


def answered_in_time_condition():
    """Sheets answered by their deadline (any answered sheet without one)."""
    return and_(
        FollowUpSheet.answered_at.isnot(None),
        # date() of a timestamp is a date in PostgreSQL and 'YYYY-MM-DD' text in SQLite: both compare.
        func.date(FollowUpSheet.answered_at) <= func.coalesce(FollowUpSheet.deadline, date.max),
    )


def overdue_condition(day: date):
    """Sheets still awaiting the government's answer after their deadline (逾期未答复)."""
    return and_(
        FollowUpSheet.state.in_(list(AWAITING_ANSWER_STATES)),
        FollowUpSheet.deadline.isnot(None),
        FollowUpSheet.deadline < day,
    )


def filtered_sheets(query, args, day: date):
    """The sheet list's filters on ``query``: state, lead office, township (another county's is not
    found), year, answered in time, overdue on ``day``. Returns the query and the filters chosen."""
    chosen = {
        "state": SheetState.from_arg(args.get("state")),
        "office_id": as_id(args.get("office")),
        "township_id": chosen_township_id(),  # the county's view links a township's sheets
        "year": as_year(args.get("year")),
        "in_time": args.get("answered") == "in_time",
        "overdue": args.get("overdue") == "1",
    }
    conditions = {
        "state": lambda: FollowUpSheet.state == chosen["state"],
        "office_id": lambda: FollowUpSheet.lead_office_id == chosen["office_id"],
        "township_id": lambda: FollowUpSheet.township_id == chosen["township_id"],
        "year": lambda: FollowUpSheet.year == chosen["year"],
        "in_time": answered_in_time_condition,
        "overdue": lambda: overdue_condition(day),
    }
    for name, condition in conditions.items():
        if chosen[name]:
            query = query.where(condition())
    return query, chosen


def sheets_to_handle(user) -> list[FollowUpSheet]:
    """Sheets addressed to this clerk's office (all the township's, for the government as a whole)
    that still wait for acknowledgement or an answer, the earliest deadline first."""
    if user.role is not Role.government:
        return []
    query = select(FollowUpSheet).where(
        FollowUpSheet.township_id == user.township_id, FollowUpSheet.state.in_(AWAITING_ANSWER_STATES)
    )
    if user.office_id is not None:
        query = query.where(FollowUpSheet.lead_office_id == user.office_id)
    query = query.options(
        joinedload(FollowUpSheet.lead_office), selectinload(FollowUpSheet.extensions)
    ).order_by(FollowUpSheet.deadline, FollowUpSheet.id)
    return list(db.session.execute(query).scalars())


def sheets_to_verify(user) -> list[FollowUpSheet]:
    """The presidium's answered sheets waiting for its verification (核实), the longest waiting first."""
    if not user.is_presidium_of(user.township_id):
        return []
    query = (
        select(FollowUpSheet)
        .where(FollowUpSheet.township_id == user.township_id, FollowUpSheet.state == SheetState.answered)
        .options(
            joinedload(FollowUpSheet.lead_office),
            joinedload(FollowUpSheet.township),
            selectinload(FollowUpSheet.extensions),
        )
        .order_by(FollowUpSheet.answered_at, FollowUpSheet.id)
    )
    return list(db.session.execute(query).scalars())


def extensions_to_decide(user) -> list[FollowUpSheet]:
    """The presidium's sheets with an extension request (延期申请) waiting for its decision, the
    longest waiting first."""
    if not user.is_presidium_of(user.township_id):
        return []
    query = (
        select(FollowUpSheet)
        .join(SheetExtension, SheetExtension.sheet_id == FollowUpSheet.id)
        .where(
            FollowUpSheet.township_id == user.township_id,
            SheetExtension.decision == ExtensionDecision.pending,
        )
        .options(joinedload(FollowUpSheet.lead_office), selectinload(FollowUpSheet.extensions))
        .order_by(SheetExtension.requested_at, FollowUpSheet.id)
    )
    return list(db.session.execute(query).scalars())


def first_item_with_a_lead_office(item_ids: list[int], township_id: int) -> Item | None:
    """Of these items of the township, in this order, the first that has a lead office (主办单位)."""
    found = {
        item.id: item
        for item in db.session.execute(
            select(Item)
            .where(Item.id.in_(item_ids), Item.township_id == township_id, Item.lead_office_id.is_not(None))
            .options(joinedload(Item.lead_office))
        ).scalars()
    }
    return next((found[i] for i in item_ids if i in found), None)


def sheets_citing(findings: Iterable[Finding], user) -> dict[int, list[FollowUpSheet]]:
    """The sheets this user may read that cite each of these findings: finding id → sheets."""
    finding_ids = [f.id for f in findings]
    cited: dict[int, list[FollowUpSheet]] = {}
    if not finding_ids:
        return cited
    rows = db.session.execute(
        select(SheetLine.finding_id, FollowUpSheet)
        .join(FollowUpSheet)
        .where(SheetLine.finding_id.in_(finding_ids))
        .options(joinedload(FollowUpSheet.township))
    )
    for finding_id, sheet in rows:
        if sheet.is_visible_to(user):
            cited.setdefault(finding_id, []).append(sheet)
    return cited


def uncited_finding_count(township_id: int) -> int:
    """Findings of filed inspections that no follow-up sheet cites yet."""
    cited = select(SheetLine.finding_id).where(SheetLine.finding_id.is_not(None))
    return db.session.execute(
        select(func.count())
        .select_from(Finding)
        .join(Inspection)
        .where(
            Inspection.township_id == township_id,
            Inspection.state == InspectionState.filed,
            Finding.id.not_in(cited),
        )
    ).scalar_one()
