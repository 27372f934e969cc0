"""Pages for inspections (监督活动): the list, the phone-first form, the record with its notes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..accounts.models import User
from ..core import idempotency
from ..core.clock import today
from ..core.errors import DomainError, PermissionDenied
from ..core.fields import as_ids, as_year, keep_files, kept_file_ids
from ..core.permissions import Role, chosen_township_id, get_visible_or_404, roles_required
from ..core.spellings import natural_key
from ..extensions import db
from ..lists.models import ON_LIST_STATES, Item
from ..org.models import Deputy, DeputyGroup, LiaisonStation, Township
from ..uploads.models import Attachment
from ..uploads.storage import attachments_for, pending_uploads, store_uploads
from . import operations
from .forms import ActionForm, InspectionForm, NoteForm
from .models import AUTHOR_ROLES, READER_ROLES, Finding, Inspection, InspectionMethod, InspectionState

bp = Blueprint("inspections", __name__)

PER_PAGE = 30


def visible_inspections(user):
    """Filed inspections of the user's township(s), and the user's own drafts."""
    return select(Inspection).where(
        user.visible_township_filter(Inspection.township_id),
        or_(Inspection.state == InspectionState.filed, Inspection.author_id == user.id),
    )


# ---- the list ------------------------------------------------------------------------------------


@bp.get("/inspections/")
@roles_required(*READER_ROLES)
def inspection_list():
    query = visible_inspections(current_user).options(
        joinedload(Inspection.station),
        joinedload(Inspection.author),
        selectinload(Inspection.participants),
        selectinload(Inspection.findings).selectinload(Finding.items),
    )
    method = InspectionMethod.from_arg(request.args.get("method"))
    if method:
        query = query.where(Inspection.method == method)
    mine = request.args.get("mine") == "1"
    if mine:
        query = query.where(Inspection.author_id == current_user.id)
    # The county's view links a township's inspections of a year (held then and filed, as it counts).
    township_id, year = chosen_township_id(), as_year(request.args.get("year"))
    if township_id:
        query = query.where(Inspection.township_id == township_id)
    if year:
        query = query.where(
            Inspection.state == InspectionState.filed,
            Inspection.held_on.between(date(year, 1, 1), date(year, 12, 31)),
        )
    query = query.order_by(
        (Inspection.state == InspectionState.draft).desc(),
        Inspection.held_on.desc().nulls_last(),
        Inspection.id.desc(),
    )
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    return render_template(
        "inspections/list.html",
        page=page,
        method=method,
        mine=mine,
        township=db.session.get(Township, township_id) if township_id else None,
        year=year,
        methods=list(InspectionMethod),
        can_create=current_user.role in AUTHOR_ROLES and current_user.township_id is not None,
    )


# ---- the form ------------------------------------------------------------------------------------


def _choices(township_id: int) -> dict:
    def rows(model, order):
        return list(
            db.session.execute(
                select(model).where(model.township_id == township_id).order_by(order)
            ).scalars()
        )

    return {
        "stations": rows(LiaisonStation, LiaisonStation.name),
        # 第一, 第二, 第三…: in their numbers' order, not the characters' (一, 三, 二, 四).
        "groups": sorted(rows(DeputyGroup, DeputyGroup.id), key=lambda group: natural_key(group.name)),
        "deputies": list(
            db.session.execute(
                select(Deputy)
                .where(Deputy.township_id == township_id)
                .options(joinedload(Deputy.station))
                .order_by(Deputy.station_id.is_(None), Deputy.station_id, Deputy.name)
            ).scalars()
        ),
        "items": [
            (item_id, f"{code} {title}")
            for item_id, code, title in db.session.execute(
                select(Item.id, Item.code, Item.title)
                .where(Item.township_id == township_id, Item.state.in_(ON_LIST_STATES))
                .order_by(Item.code)
            )
        ],
    }


def _form_page(form: InspectionForm, inspection: Inspection | None, files: dict, problems=()):
    last = form.findings[-1]
    if (last.text.data or last.kept_files.data) and len(form.findings) < form.findings.max_entries:
        form.findings.append_entry()  # a fresh block for the next finding
    return render_template(
        "inspections/form.html",
        form=form,
        inspection=inspection,
        files=files,
        problems=list(problems),
        methods=list(InspectionMethod),
        **_choices(current_user.township_id),
    )


def _kept(entry, inspection: Inspection | None) -> list[Attachment]:
    """The files a finding block keeps: the user's pending uploads and, when editing, saved ones."""
    ids = set(kept_file_ids(entry.kept_files)) - set(as_ids(request.form.getlist(entry.name + "-drop")))
    kept = pending_uploads(current_user, ids)
    if inspection is not None and inspection.findings:
        saved = attachments_for("finding", [f.id for f in inspection.findings])
        kept += [a for group in saved.values() for a in group if a.id in ids]
    return sorted(kept, key=lambda a: a.id)


def _take_files(form: InspectionForm, inspection: Inspection | None) -> tuple[dict, list[str], list]:
    """Store the files sent with each finding (even when the rest of the form is not valid yet)."""
    files, refused, drafts = {}, [], []
    for entry in form.findings:
        kept = _kept(entry, inspection)
        stored, problems = store_uploads(
            request.files.getlist(entry.name + "-files"),
            user=current_user,
            township_id=current_user.township_id,
        )
        kept += stored
        refused += problems
        keep_files(entry.kept_files, kept)
        files[entry.name] = kept
        drafts.append(operations.FindingDraft(entry.text.data or "", list(entry.item_ids.data or []), kept))
    return files, refused, drafts


def _handle(form: InspectionForm, inspection: Inspection | None):
    """Save (and maybe file) from a POST; a re-shown form keeps the typing and the accepted photos.

    Re-shown forms answer 200 so the photos accepted so far are committed as the user's pending
    uploads: a refused photo or a missing date must not cost the deputy the photos that did arrive.
    """
    files, refused, drafts = _take_files(form, inspection)
    action = request.form.get("action", "draft")
    if action == "add_finding":
        form.findings.append_entry()
        return _form_page(form, inspection, files)
    if not form.validate() or refused:
        return _form_page(form, inspection, files, refused)
    participant_ids = form.participant_ids.data or []
    savepoint = db.session.begin_nested()
    try:
        if inspection is None:
            first = idempotency.claim(form.submission_key.data)
            if first:
                savepoint.rollback()
                return idempotency.back_to(first)
            inspection = operations.create_inspection(
                current_user, form.fields_dict(), participant_ids, drafts
            )
            created = url_for("inspections.detail", inspection_id=inspection.id)
            idempotency.remember(form.submission_key.data, created)
        else:
            operations.update_inspection(
                current_user, inspection, form.fields_dict(), participant_ids, drafts
            )
    except DomainError as error:
        savepoint.rollback()
        return _form_page(form, inspection, files, [error.message])
    savepoint.commit()
    if action == "file":
        missing = operations.missing_for_filing(inspection)
        if missing:
            flash(_("已保存为草稿，还不能提交：") + " ".join(missing), "warning")
            return redirect(url_for("inspections.edit", inspection_id=inspection.id))
        operations.file_inspection(current_user, inspection)
        flash(_("监督活动记录已提交。"), "success")
    else:
        flash(_("草稿已保存，可以稍后接着填写。"), "success")
    return redirect(url_for("inspections.detail", inspection_id=inspection.id))


@bp.route("/inspections/new", methods=["GET", "POST"])
@roles_required(*AUTHOR_ROLES)
def new():
    if current_user.township_id is None:
        abort(403)
    first = idempotency.repeated()
    if first:
        return idempotency.back_to(first)
    form = InspectionForm()
    if request.method == "POST":
        return _handle(form, None)
    form.held_on.data = today()
    if current_user.deputy_id:
        form.participant_ids.data = [current_user.deputy_id]
        deputy = db.session.get(Deputy, current_user.deputy_id)
        form.station_id.data = deputy.station_id if deputy else None
        form.group_id.data = deputy.group_id if deputy else None
    return _form_page(form, None, {})


@bp.route("/inspections/<int:inspection_id>/edit", methods=["GET", "POST"])
@login_required
def edit(inspection_id: int):
    inspection = get_visible_or_404(Inspection, inspection_id, roles=AUTHOR_ROLES)
    if not inspection.can_edit(current_user):
        raise DomainError(_("这次活动已经提交，不能再修改；如需更正，请在记录页追加说明。"))
    if request.method == "POST":
        return _handle(InspectionForm(), inspection)
    saved = attachments_for("finding", [f.id for f in inspection.findings])
    form = InspectionForm(
        formdata=None,
        method=inspection.method.value,
        held_on=inspection.held_on,
        place=inspection.place,
        station_id=inspection.station_id,
        group_id=inspection.group_id,
        participant_ids=[d.id for d in inspection.participants],
        notes=inspection.notes,
        residents_visited=inspection.residents_visited,
        residents_summary=inspection.residents_summary,
        findings=[
            {
                "text": f.text,
                "item_ids": [i.id for i in f.items],
                "kept_files": ",".join(str(a.id) for a in saved[f.id]),
            }
            for f in inspection.findings
        ],
    )
    files = {entry.name: saved[f.id] for entry, f in zip(form.findings, inspection.findings, strict=False)}
    return _form_page(form, inspection, files)


# ---- the record ----------------------------------------------------------------------------------


def _detail_page(inspection: Inspection, note_form: NoteForm | None = None):
    # Which sheets cite each finding, the template asks sheets_citing() (the sheets blueprint's).
    return render_template(
        "inspections/detail.html",
        inspection=inspection,
        files=attachments_for("finding", [f.id for f in inspection.findings]),
        note_form=note_form or NoteForm(formdata=None),
        action_form=ActionForm(),
        can_draft_sheet=current_user.role is Role.presidium
        and current_user.township_id == inspection.township_id
        and not inspection.is_draft
        and bool(inspection.findings),
        missing=operations.missing_for_filing(inspection) if inspection.can_edit(current_user) else [],
    )


@bp.get("/inspections/<int:inspection_id>")
@login_required
def detail(inspection_id: int):
    inspection = get_visible_or_404(Inspection, inspection_id, roles=READER_ROLES)
    return _detail_page(inspection)


def _authors_button(inspection_id: int, operation: Callable[[User, Inspection], object]) -> Inspection:
    """An author's button on a draft (file, delete): the record and the form's token checked, then done."""
    inspection = get_visible_or_404(Inspection, inspection_id, roles=AUTHOR_ROLES)
    if not ActionForm().validate_on_submit():
        abort(400)
    operation(current_user, inspection)
    return inspection


@bp.post("/inspections/<int:inspection_id>/file")
@login_required
def file_draft(inspection_id: int):
    inspection = _authors_button(inspection_id, operations.file_inspection)
    flash(_("监督活动记录已提交。"), "success")
    return redirect(url_for("inspections.detail", inspection_id=inspection.id))


@bp.post("/inspections/<int:inspection_id>/delete")
@login_required
def delete(inspection_id: int):
    _authors_button(inspection_id, operations.delete_draft)
    flash(_("草稿已删除。"), "success")
    return redirect(url_for("inspections.inspection_list"))


@bp.post("/inspections/<int:inspection_id>/notes")
@login_required
def add_note(inspection_id: int):
    inspection = get_visible_or_404(Inspection, inspection_id, roles=READER_ROLES)
    if not inspection.can_add_note(current_user):
        raise PermissionDenied(_("只有活动的记录人、参加的代表和主席团可以追加说明。"))
    form = NoteForm()
    if not form.validate_on_submit():
        return _detail_page(inspection, form), 422
    operations.add_note(current_user, inspection, form.text.data)
    flash(_("说明已追加。"), "success")
    return redirect(url_for("inspections.detail", inspection_id=inspection.id) + "#notes")
