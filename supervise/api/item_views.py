"""The caller, their items with their monthly reports, and one item with its timeline."""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import Any

from flask import Response, g
from flask_login import current_user
from sqlalchemy import Connection, Select, bindparam, select
from sqlalchemy.orm import joinedload

from ..core.clock import today
from ..core.database import in_ids_param
from ..core.dates import month_of, shift_month
from ..core.permissions import Role, get_visible_or_404
from ..extensions import db
from ..lists.models import (
    ENDED_STATES,
    ON_LIST_STATES,
    Item,
    ItemEvent,
    SupervisionList,
    SupervisorAssignment,
)
from ..lists.queries import led_by_office_condition, supervised_by_condition
from ..lists.timeline import EVENT_LABELS
from ..org.models import Office
from ..progress.models import MonthlyReport, ReportFeedback
from ..progress.verdicts import current_verdict_condition
from .answers import Caller, kept_answer
from .blueprint import api_blueprint, page, paged, read_operation
from .schemas import ItemSchema, MeSchema, MyItemSchema
from .serialize import item_summary, json_response, township_data

bp = api_blueprint("api_items", "The caller and their items (deputy: supervised; government clerk: led).")

REPORT_MONTHS = 12  # the reports shown with "my items": the last year's current versions


@bp.get("/me")
@read_operation(bp)
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
        "township": township_data(township) if township else None,
        "office": {"id": user.office.id, "name": user.office.name} if user.office else None,
        "deputy_id": user.deputy_id,
        "token_name": g.api_token.name,
        "token_scope": g.api_token.scope.value,
    }


REPORT_COLUMNS = (
    MonthlyReport.id,
    MonthlyReport.item_id,
    MonthlyReport.month,
    MonthlyReport.version,
    MonthlyReport.percent,
    MonthlyReport.done,
    MonthlyReport.problems,
    MonthlyReport.funds_spent,
    MonthlyReport.submitted_at,
    MonthlyReport.correction_reason,
)
FEEDBACK_COLUMNS = (
    ReportFeedback.id,
    ReportFeedback.report_id,
    ReportFeedback.deputy_id,
    ReportFeedback.verdict,
    ReportFeedback.comment,
    ReportFeedback.at,
)
# Rows become dicts by these names: Row._asdict() cost more than the statements' rows themselves.
REPORT_KEYS = tuple(column.key for column in REPORT_COLUMNS)
FEEDBACK_KEYS = tuple(column.key for column in FEEDBACK_COLUMNS)


@cache
def _statements() -> tuple[Select, Select, Select]:
    """The supervisors, reports and feedback of a page of items: built once (building them cost
    more than running them), the page's ids given with each execution."""
    supervisors = (
        select(SupervisorAssignment.item_id, SupervisorAssignment.deputy_id)
        .where(in_ids_param(SupervisorAssignment.item_id, "ids"), SupervisorAssignment.ended_at.is_(None))
        .order_by(SupervisorAssignment.id)
    )
    reports = (
        select(*REPORT_COLUMNS)
        .where(in_ids_param(MonthlyReport.item_id, "ids"), MonthlyReport.month >= bindparam("since"))
        .order_by(MonthlyReport.item_id, MonthlyReport.month.desc(), MonthlyReport.version.desc())
    )
    feedback = (
        select(*FEEDBACK_COLUMNS)
        .where(in_ids_param(ReportFeedback.report_id, "ids"), current_verdict_condition())
        .order_by(ReportFeedback.id)
    )
    return supervisors, reports, feedback


def _reports_of(item_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The current version of each month's report of these items for the last REPORT_MONTHS months,
    newest month first, with each supervisor's current verdict on them: bare columns, three
    statements for a whole page."""
    _supervisors, statement, feedback_statement = _statements()
    since = shift_month(month_of(today()), -REPORT_MONTHS)
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    seen: set[tuple[int, Any]] = set()
    reports: dict[int, dict[str, Any]] = {}
    for row in db.session.execute(statement, {"ids": item_ids, "since": since}):
        if (row.item_id, row.month) not in seen:
            seen.add((row.item_id, row.month))
            report = dict(zip(REPORT_KEYS, row, strict=True))
            report["feedback"] = []
            reports[row.id] = report
            found[row.item_id].append(report)
    if reports:
        for row in db.session.execute(feedback_statement, {"ids": list(reports)}):
            given = dict(zip(FEEDBACK_KEYS, row, strict=True))
            given["verdict"] = row.verdict.value
            reports[row.report_id]["feedback"].append(given)
    return found


def _my_items_made_of(caller: Caller | None, _connection: Connection) -> object:
    # Who asks and the data versions of their townships are the caller's; the reports shown start
    # REPORT_MONTHS before this month. Without a token: the view's 401.
    return None if caller is None else month_of(today())


@bp.get("/me/items")
@kept_answer(_my_items_made_of)
@read_operation(bp, roles=(Role.deputy, Role.government))
@paged(bp, MyItemSchema, "MyItemPage")
def my_items(args: dict) -> Response:
    """A deputy's supervised items or a clerk's office's led items, with their monthly reports."""
    user = current_user
    if user.role is Role.deputy:
        mine = supervised_by_condition(user.deputy_id) if user.deputy_id else Item.id.is_(None)
    else:
        mine = led_by_office_condition(user.office_id) if user.office_id else Item.id.is_(None)
    query = (
        select(
            Item.id,
            Item.code,
            Item.title,
            SupervisionList.kind,
            SupervisionList.year,
            Item.state,
            Office.name.label("lead_office"),
            Item.deadline,
            Item.version,
        )
        .join(SupervisionList, SupervisionList.id == Item.list_id)
        .outerjoin(Office, Office.id == Item.lead_office_id)
        .where(user.visible_township_filter(Item.township_id), mine)
    )
    items, next_cursor = page(query, Item.id, args, columns=True)
    ids = [row.id for row in items]
    supervisors = defaultdict(list)
    reports: dict[int, list[dict[str, Any]]] = {}
    if ids:
        for item_id, deputy_id in db.session.execute(_statements()[0], {"ids": ids}):
            supervisors[item_id].append(deputy_id)
        reports = _reports_of(ids)
    labels = {state: state.label for state in {row.state for row in items}}  # translated once each
    # Feedback is given by supervisors while the supervision lasts (as give_feedback checks).
    gives_feedback = user.role is Role.deputy
    rows = [
        {
            **row._asdict(),
            "kind": row.kind.value,
            "state": row.state.value,
            "state_label": labels[row.state],
            "supervisor_ids": supervisors[row.id],
            "takes_findings": row.state in ON_LIST_STATES,
            "takes_feedback": gives_feedback and row.state not in ENDED_STATES,
            "reports": reports.get(row.id, []),
        }
        for row in items
    ]
    return json_response({"items": rows, "next_cursor": next_cursor})


@bp.get("/items/<int:item_id>")
@read_operation(bp, 404)
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
