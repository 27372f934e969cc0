"""What a deputy does in the field: photos, inspection drafts (create, update, file), feedback on
monthly reports. The same operations and checks as the pages; every write is idempotent."""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import abort

from ..core.permissions import Role, get_visible_or_404
from ..extensions import db
from ..inspections import operations as inspections
from ..inspections.models import AUTHOR_ROLES, Inspection, InspectionMethod
from ..progress import operations as progress
from ..progress.models import FeedbackVerdict, MonthlyReport
from ..uploads.models import Attachment
from ..uploads.storage import attachments_for, pending_uploads, store_uploads
from .blueprint import api_blueprint, read_operation
from .schemas import (
    FeedbackInSchema,
    FeedbackSchema,
    InspectionInSchema,
    InspectionSchema,
    InspectionUpdateSchema,
    UploadFormSchema,
    UploadSchema,
    VersionSchema,
)
from .serialize import feedback_data, inspection_data, upload_data
from .writes import as_read, write_operation

bp = api_blueprint("api_field", "Inspections (监督活动) with photos, and feedback on monthly reports.")

UPLOADERS = (Role.deputy, Role.presidium, Role.government)


@bp.post("/uploads")
@write_operation(bp, 413, roles=UPLOADERS)
@bp.arguments(UploadFormSchema, location="files")
@bp.response(201, UploadSchema)
def upload(files: dict) -> Any:
    """A photo or document, kept as the caller's pending upload until a record names its id."""
    chosen = request.files.getlist("file")
    if len(chosen) > 1:
        abort(422, messages={"files": {"file": [_("一次只能上传一个文件：请分几次上传。")]}})
    stored, refused = store_uploads(chosen, user=current_user, township_id=current_user.township_id)
    if refused or not stored:
        abort(422, messages={"files": {"file": refused or [_("请选择要上传的文件。")]}})
    return upload_data(stored[0])


def _photos(inspection: Inspection | None, findings: list[dict]) -> list[inspections.FindingDraft]:
    """The findings as typed, each with its photos: the caller's pending uploads or, when updating,
    photos the inspection already has. An id that is neither is a field error."""
    wanted = {i for f in findings for i in f["photo_ids"]}
    found: dict[int, Attachment] = {a.id: a for a in pending_uploads(current_user, wanted)}
    if inspection is not None and inspection.findings:
        saved = attachments_for("finding", [f.id for f in inspection.findings])
        found.update({a.id: a for group in saved.values() for a in group if a.id in wanted})
    unknown = sorted(wanted - set(found))
    if unknown:
        abort(422, messages={"json": {"findings": [_("照片 %(ids)s 不存在或不可用。", ids=unknown)]}})
    return [
        inspections.FindingDraft(
            f["text"], list(f["item_ids"]), [found[i] for i in dict.fromkeys(f["photo_ids"])]
        )
        for f in findings
    ]


def _fields(args: dict) -> dict[str, Any]:
    """The inspection's fields as the operations take them; a date no inspection can have been held
    on is a field error (the operations' rule, ``held_on_refusal``), as a form shows it by the field."""
    refusal = inspections.held_on_refusal(args["held_on"])
    if refusal:
        abort(422, messages={"json": {"held_on": [refusal]}})
    fields = {
        k: args[k] for k in ("held_on", "place", "station_id", "group_id", "notes", "residents_summary")
    }
    fields["method"] = InspectionMethod(args["method"])
    fields["residents_visited"] = args["residents_visited"]
    return fields


@bp.post("/inspections")
@write_operation(bp, 422, roles=AUTHOR_ROLES)
@bp.arguments(InspectionInSchema)
@bp.response(201, InspectionSchema)
def create_inspection(args: dict) -> Any:
    """Save a new inspection as the caller's draft, or file it at once.

    A draft is filed with .../file when it is complete. With ``"file": true`` it is filed in the same
    write, and a record that cannot be filed leaves no draft behind."""
    drafts = _photos(None, args["findings"])
    inspection = inspections.create_inspection(current_user, _fields(args), args["participant_ids"], drafts)
    _file_if_asked(inspection, args)
    location = url_for("api_field.inspection", inspection_id=inspection.id)
    return inspection_data(inspection), 201, {"Location": location}


@bp.get("/inspections/<int:inspection_id>")
@read_operation(bp, 403, 404)
@bp.response(200, InspectionSchema)
def inspection(inspection_id: int) -> Any:
    return inspection_data(get_visible_or_404(Inspection, inspection_id))


@bp.put("/inspections/<int:inspection_id>")
@write_operation(bp, 404, 422)
@bp.arguments(InspectionUpdateSchema)
@bp.response(200, InspectionSchema)
def update_inspection(args: dict, inspection_id: int) -> Any:
    """Replace the caller's draft with what is sent (with the version as last read).

    With ``"file": true`` it is filed in the same write, or nothing changes."""
    record = as_read(
        get_visible_or_404(Inspection, inspection_id, roles=AUTHOR_ROLES), args["version"], inspection_data
    )
    drafts = _photos(record, args["findings"])
    inspections.update_inspection(current_user, record, _fields(args), args["participant_ids"], drafts)
    _file_if_asked(record, args)
    return inspection_data(record)


def _file_if_asked(inspection: Inspection, args: dict) -> None:
    """``"file": true``: file it in the same transaction; a refusal rolls the whole write back."""
    if args["file"]:
        _file(inspection)


def _file(inspection: Inspection) -> None:
    """File the draft; what it still lacks is a 422 naming it (``missing_for_filing``)."""
    db.session.flush()
    missing = inspections.missing_for_filing(inspection) if inspection.can_edit(current_user) else []
    if missing:
        abort(422, messages={"json": {"missing_for_filing": missing}})
    inspections.file_inspection(current_user, inspection)
    db.session.flush()


@bp.post("/inspections/<int:inspection_id>/file")
@write_operation(bp, 404, 422)
@bp.arguments(VersionSchema)
@bp.response(200, InspectionSchema)
def file_inspection(args: dict, inspection_id: int) -> Any:
    """File a complete draft: from then on it is read-only and its findings show on their items."""
    record = as_read(
        get_visible_or_404(Inspection, inspection_id, roles=AUTHOR_ROLES), args["version"], inspection_data
    )
    _file(record)
    return inspection_data(record)


@bp.post("/reports/<int:report_id>/feedback")
@write_operation(bp, 404, roles=(Role.deputy,))
@bp.arguments(FeedbackInSchema)
@bp.response(201, FeedbackSchema)
def give_feedback(args: dict, report_id: int) -> Any:
    """A supervisor confirms the current version of a monthly report, or disputes it with a comment."""
    report = get_visible_or_404(MonthlyReport, report_id)
    feedback = progress.give_feedback(current_user, report, FeedbackVerdict(args["verdict"]), args["comment"])
    return feedback_data(feedback), 201
