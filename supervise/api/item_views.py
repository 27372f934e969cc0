"""The caller, their items with their monthly reports, and one item with its timeline."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask import g
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..accounts.tokens import TokenScope
from ..core.clock import today
from ..core.dates import month_of, shift_month
from ..core.permissions import Role, get_visible_or_404
from ..extensions import db
from ..lists.models import Item, ItemEvent
from ..lists.queries import led_by_office_condition, supervised_by_condition
from ..lists.timeline import EVENT_LABELS
from ..progress.models import MonthlyReport
from .auth import token_required
from .blueprint import BEARER, api_blueprint, errors, page
from .schemas import ItemSchema, MeSchema, MyItemSchema, PageArgsSchema, page_of
from .serialize import item_summary, report_data

bp = api_blueprint("api_items", "The caller and their items (deputy: supervised; government clerk: led).")

REPORT_MONTHS = 12  # the reports shown with "my items": the last year's current versions


@bp.get("/me")
@bp.doc(security=BEARER)
@errors(bp, 401)
@token_required(TokenScope.read)
@bp.response(200, MeSchema)
def me() -> dict[str, Any]:
    """The token's user: role, township, office or deputy, and the token's name and scope."""
    user = current_user
    township = user.township
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role.value,
        "township": {"id": township.id, "name": township.name, "slug": township.slug} if township else None,
        "office": {"id": user.office.id, "name": user.office.name} if user.office else None,
        "deputy_id": user.deputy_id,
        "token_name": g.api_token.name,
        "token_scope": g.api_token.scope.value,
    }


def _reports_of(item_ids: list[int]) -> dict[int, list[MonthlyReport]]:
    """The current version of each month's report of these items, for the last REPORT_MONTHS months."""
    since = shift_month(month_of(today()), -REPORT_MONTHS)
    found: dict[int, list[MonthlyReport]] = defaultdict(list)
    seen: set[tuple[int, Any]] = set()
    rows = db.session.execute(
        select(MonthlyReport)
        .where(MonthlyReport.item_id.in_(item_ids), MonthlyReport.month >= since)
        .options(selectinload(MonthlyReport.feedback))
        .order_by(MonthlyReport.item_id, MonthlyReport.month.desc(), MonthlyReport.version.desc())
    ).scalars()
    for report in rows:
        if (report.item_id, report.month) not in seen:
            seen.add((report.item_id, report.month))
            found[report.item_id].append(report)
    return found


@bp.get("/me/items")
@bp.doc(security=BEARER)
@errors(bp, 401, 403)
@token_required(TokenScope.read, roles=(Role.deputy, Role.government))
@bp.arguments(PageArgsSchema, location="query")
@bp.response(200, page_of(MyItemSchema, "MyItemPage"))
def my_items(args: dict) -> dict[str, Any]:
    """A deputy's supervised items or a clerk's office's led items, with their monthly reports."""
    user = current_user
    if user.role is Role.deputy:
        mine = supervised_by_condition(user.deputy_id) if user.deputy_id else Item.id.is_(None)
    else:
        mine = led_by_office_condition(user.office_id) if user.office_id else Item.id.is_(None)
    query = (
        select(Item)
        .where(user.visible_township_filter(Item.township_id), mine)
        .options(
            joinedload(Item.supervision_list),
            joinedload(Item.lead_office),
            selectinload(Item.assignments),
        )
    )
    items, next_cursor = page(query, Item.id, args)
    reports = _reports_of([item.id for item in items])
    rows = [
        {**item_summary(item), "reports": [report_data(r) for r in reports.get(item.id, [])]}
        for item in items
    ]
    return {"items": rows, "next_cursor": next_cursor}


@bp.get("/items/<int:item_id>")
@bp.doc(security=BEARER)
@errors(bp, 401, 404)
@token_required(TokenScope.read)
@bp.response(200, ItemSchema)
def item(item_id: int) -> dict[str, Any]:
    """An item of the caller's township(s) with its timeline, as the item's page shows it."""
    found = get_visible_or_404(Item, item_id)
    events = db.session.execute(
        select(ItemEvent)
        .where(ItemEvent.item_id == found.id)
        .options(joinedload(ItemEvent.actor))
        .order_by(ItemEvent.at, ItemEvent.id)
    ).scalars()
    return {
        **item_summary(found),
        "description": found.description,
        "target": found.target,
        "area": found.area,
        "timeline": [
            {
                "id": event.id,
                "at": event.at,
                "action": event.action,
                "label": str(EVENT_LABELS.get(event.action, event.action)),
                "from_state": event.from_state.value if event.from_state else None,
                "to_state": event.to_state.value if event.to_state else None,
                "reason": event.reason or "",
                "summary": str((event.details or {}).get("summary", "")),
                "actor": event.actor.display_name if event.actor else None,
            }
            for event in events
        ],
    }
