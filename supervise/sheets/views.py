"""Pages for follow-up sheets (督办单): the list, drafting, the sheet with its history, its PDF."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..core import idempotency
from ..core.clock import today
from ..core.documents import document_response
from ..core.downloads import send_document
from ..core.errors import DomainError, page_refused, refusal_shows
from ..core.fields import as_ids, keep_files, kept_file_ids
from ..core.permissions import Role, get_visible_or_404, roles_required
from ..extensions import db
from ..inspections.models import Finding, Inspection, InspectionState
from ..lists.models import ON_LIST_STATES, Item
from ..org.models import Office, Township
from ..uploads.storage import attachments_for, pending_uploads, store_uploads
from . import operations, queries
from .documents import KIND, file_name
from .forms import (
    ACTION_FORMS,
    SPARE_LINES,
    ActionForm,
    AnswerForm,
    SheetForm,
    given_contact,
    without_known_contact,
)
from .models import FollowUpSheet, SheetEvent, SheetLine, SheetState
from .workflow import EVENT_LABELS, WORKFLOW, latest_deadline

bp = Blueprint("sheets", __name__)

PER_PAGE = 50


@bp.app_template_global()
def sheets_citing(findings, user) -> dict[int, list[FollowUpSheet]]:
    """For the inspection page, which does not import sheets: the sheets citing each finding."""
    return queries.sheets_citing(findings, user)


def visible_sheets(user):
    """A query of the sheets this user may see (drafts are the presidium's own)."""
    query = select(FollowUpSheet).where(user.visible_township_filter(FollowUpSheet.township_id))
    if user.role is not Role.presidium:
        query = query.where(FollowUpSheet.state != SheetState.draft)
    if user.role is Role.government and user.office_id is not None:
        query = query.where(FollowUpSheet.lead_office_id == user.office_id)
    return query


def _offices(township_id: int) -> list[Office]:
    return list(
        db.session.execute(
            select(Office).where(Office.township_id == township_id, Office.is_active).order_by(Office.name)
        ).scalars()
    )


def _item_choices(township_id: int) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Item.id, Item.code, Item.title)
        .where(Item.township_id == township_id, Item.state.in_(ON_LIST_STATES))
        .order_by(Item.code)
    )
    return [(item_id, f"{code} {title}") for item_id, code, title in rows]


# ---- the list ------------------------------------------------------------------------------------


@bp.get("/sheets/")
@login_required
def sheet_list():
    query = visible_sheets(current_user).options(
        joinedload(FollowUpSheet.township),
        joinedload(FollowUpSheet.lead_office),
        selectinload(FollowUpSheet.lines).joinedload(SheetLine.item),
        selectinload(FollowUpSheet.extensions),
    )
    query, chosen = queries.filtered_sheets(query, request.args, today())
    query = query.order_by(
        FollowUpSheet.issued_at.is_(None).desc(),
        FollowUpSheet.year.desc(),
        FollowUpSheet.number.desc(),
        FollowUpSheet.id.desc(),
    )
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    offices = _offices(current_user.township_id) if current_user.township_id else []
    return render_template(
        "sheets/list.html",
        page=page,
        **chosen,
        township=db.session.get(Township, chosen["township_id"]) if chosen["township_id"] else None,
        offices=offices,
        states=list(SheetState) if current_user.role is Role.presidium else list(SheetState)[1:],
        many_townships=current_user.role in (Role.county, Role.admin),
        can_draft=current_user.role is Role.presidium,
        today=today(),
    )


# ---- drafting ------------------------------------------------------------------------------------


def _open_findings(township_id: int) -> list[Finding]:
    """Findings of the township's filed inspections that no sheet cites yet, newest visit first."""
    cited = select(SheetLine.finding_id).where(SheetLine.finding_id.is_not(None))
    return list(
        db.session.execute(
            select(Finding)
            .join(Inspection)
            .where(
                Inspection.township_id == township_id,
                Inspection.state == InspectionState.filed,
                Finding.id.not_in(cited),
            )
            .options(selectinload(Finding.items), joinedload(Finding.inspection))
            .order_by(Inspection.held_on.desc(), Finding.position)
            .limit(100)
        ).scalars()
    )


def _add_findings(form: SheetForm, finding_ids) -> None:
    """Append a line per chosen finding (per item it concerns), skipping those already on the form."""
    present = {entry.finding_id.data for entry in form.lines}
    wanted = [i for i in dict.fromkeys(finding_ids) if i and i not in present]
    if not wanted:
        return
    findings = db.session.execute(
        select(Finding)
        .join(Inspection)
        .where(
            Finding.id.in_(wanted),
            Inspection.township_id == current_user.township_id,
            Inspection.state == InspectionState.filed,
        )
    ).scalars()
    # Fill blank lines first, then add new ones.
    blanks = [e for e in form.lines if not (e.item_id.data or e.findings.data or e.finding_id.data)]
    for finding in sorted(findings, key=lambda f: wanted.index(f.id)):
        for item in finding.items or [None]:
            entry = blanks.pop(0) if blanks else form.lines.append_entry()
            entry.item_id.data = item.id if item else None
            entry.findings.data = finding.text
            entry.finding_id.data = finding.id
    _office_from_items(form)


def _office_from_items(form: SheetForm) -> None:
    """A draft made from items or findings is addressed, unless the chair chose already, to the lead
    office of its first item that has one, with that item's responsible leader (else the office's)."""
    if form.lead_office_id.data:
        return
    chosen = [entry.item_id.data for entry in form.lines if entry.item_id.data]
    item = queries.first_item_with_a_lead_office(chosen, current_user.township_id)
    if item is not None and item.lead_office is not None:
        form.lead_office_id.data = item.lead_office_id
        if not (form.leader_name.data or "").strip():
            form.leader_name.data = item.leader_name or item.lead_office.leader_name


def _draft_page(form: SheetForm, sheet: FollowUpSheet | None, status: int = 200):
    township_id = current_user.township_id
    while len(form.lines) < len(form.chosen_lines()) + SPARE_LINES:
        form.lines.append_entry()
    on_form = {entry.finding_id.data for entry in form.lines}
    cited = {entry.finding_id.data: entry for entry in form.lines if entry.finding_id.data}
    sources = {
        f.id: f for f in db.session.execute(select(Finding).where(Finding.id.in_(list(cited)))).scalars()
    }
    return render_template(
        "sheets/form.html",
        form=form,
        sheet=sheet,
        offices=_offices(township_id),
        item_choices=_item_choices(township_id),
        open_findings=[f for f in _open_findings(township_id) if f.id not in on_form],
        sources=sources,
    ), status


def _save(form: SheetForm, sheet: FollowUpSheet | None):
    """Create or update the draft from a validated form; a DomainError becomes the form's error."""
    chosen = form.chosen_lines()
    wanted = {item_id for item_id, _findings, _finding in chosen if item_id}
    items = {i.id: i for i in db.session.execute(select(Item).where(Item.id.in_(wanted))).scalars()}
    if len(items) != len(wanted):
        raise DomainError(_("所选的事项不存在，请刷新页面后重新选择。"))
    office = db.session.get(Office, form.lead_office_id.data) if form.lead_office_id.data else None
    if form.lead_office_id.data and office is None:
        raise DomainError(_("所选的承办单位不存在。"))
    fields = {
        "title": form.title.data,
        "requirements": form.requirements.data,
        "leader_name": form.leader_name.data,
        "deadline": form.deadline.data,
    }
    cited = {finding_id for _item, _text, finding_id in chosen if finding_id}
    found = {f.id: f for f in db.session.execute(select(Finding).where(Finding.id.in_(cited))).scalars()}
    if len(found) != len(cited):
        raise DomainError(_("所选的发现不存在，请刷新页面后重新选择。"))
    lines = [
        (items.get(item_id) if item_id else None, findings, found.get(finding_id))
        for item_id, findings, finding_id in chosen
    ]
    if sheet is None:
        return operations.create_sheet(current_user, fields, office, lines)
    return operations.update_sheet(current_user, sheet, fields, office, lines)


@bp.route("/sheets/new", methods=["GET", "POST"])
@roles_required(Role.presidium)
def sheet_new():
    first = idempotency.repeated()
    if first:
        return idempotency.back_to(first)
    form = SheetForm()
    if request.method == "GET":
        form.deadline.data = None
        for index, item_id in enumerate(as_ids(request.args.getlist("item"))):
            if index >= len(form.lines):
                form.lines.append_entry()
            form.lines[index].item_id.data = item_id
        _add_findings(form, as_ids(request.args.getlist("finding")))
        _office_from_items(form)
    return _draft_answer(form, None)


@bp.route("/sheets/<int:sheet_id>/edit", methods=["GET", "POST"])
@login_required
def sheet_edit(sheet_id: int):
    sheet = get_visible_or_404(FollowUpSheet, sheet_id, roles=(Role.presidium,))
    if sheet.state is not SheetState.draft:
        raise DomainError(_("督办单已经下发，不能再修改。"))
    form = SheetForm()
    if request.method == "GET":
        form = SheetForm(
            formdata=None,
            title=sheet.title,
            requirements=sheet.requirements,
            lead_office_id=sheet.lead_office_id,
            leader_name=sheet.leader_name,
            deadline=sheet.deadline,
            lines=[
                {"item_id": line.item_id, "findings": line.findings, "finding_id": line.finding_id}
                for line in sheet.lines
            ],
        )
    return _draft_answer(form, sheet)


def _draft_answer(form: SheetForm, sheet: FollowUpSheet | None):
    """The answer to the draft form (new or this draft): its page, or the draft saved."""
    if request.method == "POST" and request.form.get("action") == "add_findings":
        # The form has parsed what was typed; nothing is saved yet, nothing is checked yet.
        _add_findings(form, form.pick_findings.data or [])
        return _draft_page(form, sheet)
    if form.validate_on_submit():
        # Findings ticked but not yet added with "加入所选发现" are saved with the draft too.
        _add_findings(form, form.pick_findings.data or [])
        key = form.submission_key.data if sheet is None else None  # a new draft: created once
        with refusal_shows(lambda error: _refused_draft(form, sheet, error)):
            first = idempotency.claim(key)
            if first:
                return idempotency.back_to(first)
            saved = _save(form, sheet)
        url = url_for("sheets.sheet_detail", sheet_id=saved.id)
        idempotency.remember(key, url)
        flash(_("督办单草稿已保存。"), "success")
        return redirect(url)
    return _draft_page(form, sheet)


# ---- the sheet and its steps ---------------------------------------------------------------------


def _detail_page(
    sheet: FollowUpSheet,
    forms: dict | None = None,
    error: str | None = None,
    status=200,
    kept_files=(),
):
    forms = forms or {}
    events = (
        db.session.execute(
            select(SheetEvent)
            .where(SheetEvent.sheet_id == sheet.id)
            .options(joinedload(SheetEvent.actor))
            .order_by(SheetEvent.id)
        )
        .scalars()
        .all()
    )
    actions = WORKFLOW.available(sheet, current_user)
    # The latest day an extension may reach, said beside its forms only (it reads every item's list).
    extending = any(t.action in ("request_extension", "grant_extension") for t in actions)
    return render_template(
        "sheets/detail.html",
        sheet=sheet,
        answer_files=attachments_for("sheet_answer", [e.id for e in events if e.action == "answer"]),
        finding_files=attachments_for(
            "finding", [line.finding_id for line in sheet.lines if line.finding_id]
        ),
        events=events,
        actions=actions,
        action_form=forms.get("action") or ActionForm(),
        action_forms={name: forms.get(name) or _blank(name, sheet) for name in ACTION_FORMS},
        kept_evidence=list(kept_files),
        event_labels=EVENT_LABELS,
        latest_deadline=latest_deadline(sheet) if extending else None,
        error=error,
        today=today(),
    ), status


def _blank(action: str, sheet: FollowUpSheet):
    """An action's empty form; granting an extension starts from the day the office asked for."""
    asked = sheet.open_extension.asked_deadline if sheet.open_extension else None
    data = {"new_deadline": asked} if action == "grant_extension" else None
    return without_known_contact(ACTION_FORMS[action](formdata=None, data=data), sheet.lead_office)


@bp.get("/sheets/<int:sheet_id>")
@login_required
def sheet_detail(sheet_id: int):
    return _detail_page(get_visible_or_404(FollowUpSheet, sheet_id))


@bp.post("/sheets/<int:sheet_id>/actions/<action>")
@login_required
def sheet_action(sheet_id: int, action: str):
    sheet = get_visible_or_404(FollowUpSheet, sheet_id)
    transition = WORKFLOW.transition_or_abort(sheet, action, current_user)
    if action == "answer":
        return _answer(sheet, transition)
    form = ACTION_FORMS.get(action, ActionForm)()
    if not form.validate_on_submit():
        problem = _("请修改下面标红的内容后再提交。") if form.errors else None
        return _detail_page(sheet, {action: form}, problem, 409 if problem else 400)
    given = {name: getattr(form, name).data for name in transition.inputs}
    with refusal_shows(page_refused(_detail_page, sheet, {action: form})):
        operations.fire(current_user, sheet, action, **given)
    return _done(sheet, transition)


def _done(sheet: FollowUpSheet, transition):
    flash(_("%(number)s：已%(action)s。", number=sheet.document_number, action=transition.label), "success")
    return redirect(url_for("sheets.sheet_detail", sheet_id=sheet.id))


def _answer(sheet: FollowUpSheet, transition):
    """The office's answer. Files are stored before anything is judged, and a re-shown form answers
    200 so the files accepted so far are committed as the clerk's pending uploads: a refused file
    or a missing field must not cost the clerk the files that did arrive."""
    form = without_known_contact(AnswerForm(), sheet.lead_office)
    if not form.validate_on_submit() and "csrf_token" in form.errors:
        return _detail_page(sheet, {"answer": form}, None, 400)
    dropped = set(as_ids(request.form.getlist("evidence_drop")))
    kept = pending_uploads(current_user, set(kept_file_ids(form.kept_files)) - dropped)
    stored, refused = store_uploads(
        request.files.getlist("evidence_files"), user=current_user, township_id=sheet.township_id
    )
    kept += stored
    keep_files(form.kept_files, kept)
    if refused:
        problem = " ".join(refused) + " " + _("已收到的文件保留在下面，请重新选择未能上传的文件后再提交。")
        return _detail_page(sheet, {"answer": form}, problem, kept_files=kept)
    if form.errors:
        return _detail_page(sheet, {"answer": form}, _("请修改下面标红的内容后再提交。"), kept_files=kept)
    savepoint = db.session.begin_nested()
    try:
        operations.fire(
            current_user,
            sheet,
            "answer",
            measures=form.measures.data,
            evidence=form.evidence.data,
            evidence_files=kept,
            **given_contact(form),
        )
    except DomainError as error:
        savepoint.rollback()
        db.session.refresh(sheet)
        # Still answerable (something was missing): the form again, files kept. Otherwise the sheet
        # moved on meanwhile and there is nothing left to answer.
        status = 200 if WORKFLOW.may_fire(sheet, "answer", current_user) else error.status_code
        return _detail_page(sheet, {"answer": form}, error.message, status, kept_files=kept)
    savepoint.commit()
    return _done(sheet, transition)


def _refused_draft(form: SheetForm, sheet: FollowUpSheet | None, error: DomainError):
    form.form_errors.append(error.message)
    return _draft_page(form, sheet, error.status_code)


@bp.post("/sheets/<int:sheet_id>/delete")
@login_required
def sheet_delete(sheet_id: int):
    sheet = get_visible_or_404(FollowUpSheet, sheet_id, roles=(Role.presidium,))
    if not ActionForm().validate_on_submit():
        abort(400)
    operations.delete_draft_sheet(current_user, sheet)
    flash(_("督办单草稿已删除，其中引用的发现可以重新选用。"), "success")
    return redirect(url_for("sheets.sheet_list"))


@bp.get("/sheets/<int:sheet_id>/pdf")
@login_required
def sheet_pdf_download(sheet_id: int):
    sheet = get_visible_or_404(FollowUpSheet, sheet_id)
    ascii_name = (
        f"follow-up-sheet-{sheet.year}-{sheet.number}.pdf"
        if sheet.number
        else f"follow-up-sheet-draft-{sheet.id}.pdf"
    )
    return document_response(
        KIND,
        sheet,
        lambda pdf: send_document(
            pdf,
            "application/pdf",
            file_name(sheet),
            ascii_name,
            as_attachment=request.args.get("download") == "1",
        ),
    )
