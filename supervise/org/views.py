"""Management pages for the organisation: one set of generic pages driven by registry.KINDS."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from ..core.downloads import send_document
from ..core.enums import LabeledEnum
from ..core.exports import workbook_response
from ..core.permissions import ORG_MANAGERS, Role, roles_required
from ..core.xlsx import XLSX_MIMETYPE
from ..extensions import db
from . import importing, template_document
from .forms import MAX_ID, ImportForm, optional_int
from .models import County, DeputyGroup, LiaisonStation, Township
from .registry import KINDS, Kind
from .scoping import township_choices, visible_townships

bp = Blueprint("org", __name__, url_prefix="/manage")

PER_PAGE = 50


def _kind_or_404(key: str) -> Kind:
    kind = KINDS.get(key)
    if kind is None:
        abort(404)
    if current_user.role not in kind.roles:
        abort(403)
    return kind


def _visible_query(kind: Kind):
    model = kind.model
    query = select(model)
    if kind.scope == "township":
        query = query.where(current_user.visible_township_filter(model.township_id))
    elif kind.scope == "county":
        query = query.where(current_user.visible_township_filter(model.id))
    return query


def _record_or_404(kind: Kind, record_id: int):
    record = db.session.get(kind.model, record_id) if record_id <= MAX_ID else None
    if record is None:
        abort(404)
    if kind.scope in ("township", "county") and not current_user.can_see_township(record.township_id):
        abort(404)
    return record


def _form(kind: Kind, record=None):
    """The kind's form with its choices; presidium records always go to its own township."""
    form = kind.form(obj=record if request.method == "GET" else None)
    # A record stays in its township: moving an office or a deputy would strand what links to it.
    if (current_user.role is Role.presidium or record is not None) and "township_id" in form:
        del form.township_id
    townships = visible_townships(current_user)
    if "township_id" in form:
        form.township_id.choices = township_choices(townships)
    if "county_id" in form:
        counties = db.session.execute(select(County).order_by(County.name)).scalars().all()
        if current_user.role is not Role.admin:
            counties = [c for c in counties if c.id == current_user.county_id]
        form.county_id.choices = [(c.id, c.name) for c in counties]
    if "station_id" in form:
        ids = [t.id for t in townships]
        multi = len(townships) > 1
        names = {t.id: t.name for t in townships}
        for field, model in ((form.station_id, LiaisonStation), (form.group_id, DeputyGroup)):
            # A deactivated station stays choosable for the deputy already linked to it.
            linked_id = getattr(record, field.name, None)
            records = db.session.execute(
                select(model)
                .where(model.township_id.in_(ids), or_(model.is_active, model.id == linked_id))
                .order_by(model.name)
            ).scalars()
            field.choices = [("", "—")] + [
                (r.id, f"{names[r.township_id]} · {r.name}" if multi else r.name) for r in records
            ]
    return form


def _target_township_id(form) -> int | None:
    if current_user.role is Role.presidium:
        return current_user.township_id
    return form.township_id.data


def _manages_township(township_id: int | None) -> bool:
    return bool(
        township_id
        and db.session.get(Township, township_id) is not None
        and current_user.can_see_township(township_id)
    )


def _problems(kind: Kind, form, record, township_id: int | None) -> list[str]:
    """Checks that need the database: scope, same-township links, unique names."""
    problems = []
    if kind.scope == "township":
        if not _manages_township(township_id):
            problems.append(_("请选择一个您管理的镇。"))
            return problems
        for name in ("station_id", "group_id"):
            linked_id = form[name].data if name in form else None
            if linked_id:
                model = LiaisonStation if name == "station_id" else DeputyGroup
                linked = db.session.get(model, linked_id)
                if linked is None or linked.township_id != township_id:
                    problems.append(_("所选的联络站或代表小组不属于这个镇。"))
    if kind.scope == "county":
        if form.county_id.data not in dict(form.county_id.choices):
            problems.append(_("请选择一个您管理的县。"))
    for column in kind.unique:
        value = form[column].data
        query = select(kind.model.id).where(getattr(kind.model, column) == value)
        if kind.scope == "township":
            query = query.where(kind.model.township_id == township_id)
        if record is not None:
            query = query.where(kind.model.id != record.id)
        if db.session.execute(query).first():
            label = form[column].label.text
            problems.append(_("%(label)s“%(value)s”已经存在。", label=label, value=value))
    return problems


def _apply(kind: Kind, form, record, township_id: int | None) -> None:
    for name in kind.fields:
        value = form[name].data
        column_type = getattr(kind.model, name).type
        enum_cls = getattr(column_type, "enum_class", None)
        if enum_cls and issubclass(enum_cls, LabeledEnum):
            value = enum_cls(value)
        setattr(record, name, value)
    if kind.scope == "township":
        record.township_id = township_id


@bp.get("/<kind_key>/")
@login_required
def record_list(kind_key: str):
    kind = _kind_or_404(kind_key)
    townships = visible_townships(current_user)
    query = _visible_query(kind)
    township_id = request.args.get("township", type=optional_int)
    if township_id and kind.scope == "township":
        query = query.where(kind.model.township_id == township_id)
    show_inactive = request.args.get("inactive") == "1"
    if not show_inactive:
        query = query.where(kind.model.is_active)
    search = request.args.get("q", "").replace("\x00", "").strip()
    if search:
        query = query.where(kind.model.name.contains(search, autoescape=True))
    if kind.scope == "township":
        query = query.options(*kind.load, db.joinedload(kind.model.township))
    else:
        query = query.options(*kind.load)
    page = db.paginate(query.order_by(kind.model.name), per_page=PER_PAGE, error_out=False)
    return render_template(
        "org/list.html",
        kind=kind,
        page=page,
        townships=townships,
        township_id=township_id,
        show_inactive=show_inactive,
        search=search,
    )


@bp.route("/<kind_key>/new", methods=["GET", "POST"])
@login_required
def record_new(kind_key: str):
    kind = _kind_or_404(kind_key)
    form = _form(kind)
    if request.method == "GET" and "township_id" in form:
        form.township_id.data = request.args.get("township", type=optional_int) or current_user.township_id
    if form.validate_on_submit():
        township_id = _target_township_id(form) if kind.scope == "township" else None
        problems = _problems(kind, form, None, township_id)
        if not problems:
            record = kind.model()
            _apply(kind, form, record, township_id)
            db.session.add(record)
            db.session.flush()
            flash(_("%(kind)s“%(name)s”已添加。", kind=kind.title, name=record.name), "success")
            return redirect(url_for("org.record_list", kind_key=kind.key))
        form.form_errors.extend(problems)
    return render_template("org/form.html", kind=kind, form=form, record=None)


@bp.route("/<kind_key>/<int:record_id>/edit", methods=["GET", "POST"])
@login_required
def record_edit(kind_key: str, record_id: int):
    kind = _kind_or_404(kind_key)
    record = _record_or_404(kind, record_id)
    form = _form(kind, record)
    if form.validate_on_submit():
        township_id = record.township_id if kind.scope == "township" else None
        problems = _problems(kind, form, record, township_id)
        if not problems:
            _apply(kind, form, record, township_id)
            db.session.flush()
            flash(_("%(kind)s“%(name)s”已保存。", kind=kind.title, name=record.name), "success")
            return redirect(url_for("org.record_list", kind_key=kind.key))
        form.form_errors.extend(problems)
    return render_template("org/form.html", kind=kind, form=form, record=record)


@bp.post("/<kind_key>/<int:record_id>/active")
@login_required
def record_set_active(kind_key: str, record_id: int):
    kind = _kind_or_404(kind_key)
    record = _record_or_404(kind, record_id)
    record.is_active = request.form.get("active") == "1"
    db.session.flush()
    if record.is_active:
        flash(_("%(kind)s“%(name)s”已启用。", kind=kind.title, name=record.name), "success")
    else:
        flash(_("%(kind)s“%(name)s”已停用。", kind=kind.title, name=record.name), "warning")
    return redirect(url_for("org.record_list", kind_key=kind.key))


# ---- deputies from Excel ------------------------------------------------------------------


@bp.get("/deputies/import/template.xlsx")
@roles_required(*ORG_MANAGERS)
def deputy_import_template():
    # Made by a worker (org/template_document.py): the stored file when current, else a progress page.
    return workbook_response(
        template_document.KIND,
        template_document.TEMPLATE,
        lambda data: send_document(data, XLSX_MIMETYPE, "代表名单模板.xlsx", "deputies-template.xlsx"),
    )


@bp.route("/deputies/import", methods=["GET", "POST"])
@roles_required(*ORG_MANAGERS)
def deputy_import():
    form = ImportForm()
    if current_user.role is Role.presidium:
        del form.township_id
    else:
        form.township_id.choices = township_choices(visible_townships(current_user))
    result = None
    if form.validate_on_submit():
        township_id = _target_township_id(form)
        if not _manages_township(township_id):
            form.township_id.errors.append(_("请选择一个您管理的镇。"))
        else:
            township = db.session.get(Township, township_id)
            result = importing.import_deputies(
                form.file.data.read(), township, current_app.config["IMPORT_MAX_ROWS"]
            )
            if result.ok:
                flash(_("已导入 %(n)d 名代表。", n=result.imported), "success")
                return redirect(url_for("org.record_list", kind_key="deputies", township=township.id))
            db.session.rollback()
    return render_template("org/import.html", form=form, result=result)
