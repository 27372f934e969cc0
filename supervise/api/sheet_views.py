"""Follow-up sheets (督办单) addressed to the caller's office: read, acknowledge (签收), answer."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..core.permissions import Role, get_visible_or_404
from ..sheets import operations
from ..sheets.models import FollowUpSheet, SheetLine, SheetState
from ..uploads.storage import pending_uploads
from .blueprint import api_blueprint, page, paged, read_operation
from .schemas import AnswerInSchema, SheetSchema, VersionSchema
from .serialize import sheet_data
from .writes import as_read, write_operation

bp = api_blueprint("api_sheets", "Follow-up sheets (督办单) addressed to the caller's office.")
CLERKS = (Role.government,)


@bp.get("/sheets")
@read_operation(bp, roles=CLERKS)
@paged(bp, SheetSchema, "SheetPage")
def sheets(args: dict) -> dict[str, Any]:
    """The issued sheets addressed to the caller's office, oldest first."""
    user = current_user
    query = (
        select(FollowUpSheet)
        .where(
            user.visible_township_filter(FollowUpSheet.township_id),
            FollowUpSheet.lead_office_id == user.office_id,
            FollowUpSheet.state != SheetState.draft,
        )
        .options(selectinload(FollowUpSheet.lines).joinedload(SheetLine.item))
    )
    rows, next_cursor = page(query, FollowUpSheet.id, args)
    return {"items": [sheet_data(s) for s in rows if s.is_visible_to(user)], "next_cursor": next_cursor}


@bp.get("/sheets/<int:sheet_id>")
@read_operation(bp, 404)
@bp.response(200, SheetSchema)
def sheet(sheet_id: int) -> dict[str, Any]:
    return sheet_data(get_visible_or_404(FollowUpSheet, sheet_id))


@bp.post("/sheets/<int:sheet_id>/acknowledge")
@write_operation(bp, 404, roles=CLERKS)
@bp.arguments(VersionSchema)
@bp.response(200, SheetSchema)
def acknowledge(args: dict, sheet_id: int) -> Any:
    """The addressed office signs for the sheet."""
    record = as_read(get_visible_or_404(FollowUpSheet, sheet_id), args["version"], sheet_data)
    operations.acknowledge_sheet(current_user, record)
    return sheet_data(record)


@bp.post("/sheets/<int:sheet_id>/answer")
@write_operation(bp, 404, roles=CLERKS)
@bp.arguments(AnswerInSchema)
@bp.response(200, SheetSchema)
def answer(args: dict, sheet_id: int) -> Any:
    """The addressed office reports the measures taken and the evidence (pending uploads by id)."""
    record = as_read(get_visible_or_404(FollowUpSheet, sheet_id), args["version"], sheet_data)
    files = pending_uploads(current_user, args["evidence_file_ids"])
    unknown = sorted(set(args["evidence_file_ids"]) - {f.id for f in files})
    if unknown:
        message = _("上传 %(ids)s 不存在或不可用。", ids=unknown)
        abort(422, messages={"json": {"evidence_file_ids": [message]}})
    operations.answer_sheet(
        current_user, record, measures=args["measures"], evidence=args["evidence"], evidence_files=files
    )
    return sheet_data(record)
