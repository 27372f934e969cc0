"""Records as the API writes them out (plain dicts for the schemas of ``schemas.py``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from flask import Response
from flask_login import current_user

from ..inspections.models import Inspection
from ..inspections.operations import missing_for_filing
from ..lists.models import ON_LIST_STATES, Item
from ..org.models import Township
from ..progress.models import ReportFeedback
from ..sheets.models import FollowUpSheet
from ..sheets.workflow import WORKFLOW as SHEET_WORKFLOW
from ..uploads.models import Attachment
from ..uploads.storage import attachments_for


def attributes(record: Any, names: Iterable[str]) -> dict[str, Any]:
    """The record's attributes of these names, under the same names: an answer that shows a record
    (a published snapshot, its lines) as it is stored."""
    return {name: getattr(record, name) for name in names}


def township_data(township: Township) -> dict[str, Any]:
    return {"id": township.id, "name": township.name, "slug": township.slug}


def item_summary(item: Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "code": item.code,
        "title": item.title,
        "kind": item.kind.value,
        "year": item.supervision_list.year,
        "state": item.state.value,
        "state_label": item.state.label,
        "lead_office": item.lead_office.name if item.lead_office else None,
        "deadline": item.deadline,
        "version": item.version,
        "supervisor_ids": [a.deputy_id for a in item.assignments if a.ended_at is None],
        "takes_findings": item.state in ON_LIST_STATES,
    }


def feedback_data(feedback: ReportFeedback) -> dict[str, Any]:
    return {
        "id": feedback.id,
        "report_id": feedback.report_id,
        "deputy_id": feedback.deputy_id,
        "verdict": feedback.verdict.value,
        "comment": feedback.comment,
        "at": feedback.at,
    }


def inspection_data(inspection: Inspection) -> dict[str, Any]:
    photos = attachments_for("finding", [f.id for f in inspection.findings])
    return {
        "id": inspection.id,
        "state": inspection.state.value,
        "method": inspection.method.value,
        "held_on": inspection.held_on,
        "place": inspection.place,
        "station_id": inspection.station_id,
        "group_id": inspection.group_id,
        "notes": inspection.notes,
        "residents_visited": inspection.residents_visited,
        "residents_summary": inspection.residents_summary,
        "participant_ids": [d.id for d in inspection.participants],
        "findings": [
            {
                "text": f.text,
                "item_ids": [i.id for i in f.items],
                "photo_ids": [a.id for a in photos.get(f.id, [])],
            }
            for f in inspection.findings
        ],
        "version": inspection.version,
        "created_at": inspection.created_at,
        "filed_at": inspection.filed_at,
        "missing_for_filing": missing_for_filing(inspection) if inspection.is_draft else [],
    }


def upload_data(upload: Attachment) -> dict[str, Any]:
    return {
        "id": upload.id,
        "filename": upload.original_name,
        "content_type": upload.mimetype,
        "size": upload.size,
    }


def sheet_data(sheet: FollowUpSheet) -> dict[str, Any]:
    return {
        "id": sheet.id,
        "document_number": sheet.document_number or "",
        "title": sheet.title,
        "state": sheet.state.value,
        "state_label": sheet.state.label,
        "deadline": sheet.deadline,
        "issued_at": sheet.issued_at,
        "version": sheet.version,
        "lines": [
            {
                "item_id": line.item_id,
                "item_code": line.item.code if line.item else None,
                "findings": line.findings,
            }
            for line in sheet.lines
        ],
        "actions": [t.action for t in SHEET_WORKFLOW.available(sheet, current_user)],
    }


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):  # stored naive UTC
        return value.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """The answer written straight from plain data already in its schema's shape (dates as ISO 8601,
    times in UTC with Z): list answers skip marshmallow's dump, which cost more than their queries.
    The schema still documents the answer, and the contract test checks the two agree."""
    body = json.dumps(data, default=_plain, ensure_ascii=False, separators=(",", ":"))
    return Response(body, status=status, headers=headers, mimetype="application/json")
