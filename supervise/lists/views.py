"""Pages for the three lists and their items: lists per year, the item list, the item page, actions."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from ..core import idempotency
from ..core.cache import cached_fragment, fragment_key
from ..core.clock import today
from ..core.downloads import send_document
from ..core.errors import DomainError, flashed_back_to, form_refused, refusal_shows
from ..core.exports import Export, export_response
from ..core.fields import as_id
from ..core.permissions import Role, roles_required, visible_records
from ..core.response_cache import cache_whole_page
from ..core.xlsx import XLSX_MIMETYPE
from ..extensions import db
from ..org.models import Deputy, Office
from ..org.scoping import township_choices, visible_townships
from . import (
    answer_views,  # noqa: F401  (a suggestion's answer as its proposers judge it, same blueprint)
    export,
    item_views,  # noqa: F401  (the item page and its actions, on the same blueprint)
    list_views,  # noqa: F401  (a list's categories and defaults, on the same blueprint)
    operations,
)
from .blueprint import bp, category_choices, item_or_404, list_or_404, office_and_deputy_choices, records
from .changes import EditConflict, fields_to_take_over
from .filters import filter_choices, visible_townships_and_versions
from .forms import ItemForm, ListForm
from .grouping import by_category, spanning_into
from .models import Item, ItemEvent, ItemLevel, ItemState, ListKind, SupervisionList
from .queries import FLAGS, SORTS, ItemFilters, item_query, item_rows_page, state_counts, table_rows
from .workflow import list_defaults_for

PER_PAGE = 50


@bp.get("/lists/")
@login_required
def list_index():
    query = (
        visible_records(SupervisionList)
        .options(joinedload(SupervisionList.township))
        .order_by(SupervisionList.year.desc(), SupervisionList.township_id, SupervisionList.kind)
    )
    township_id = as_id(request.args.get("township"))
    if township_id:
        query = query.where(SupervisionList.township_id == township_id)
    lists = db.session.execute(query).scalars().all()
    years: dict[int, list[SupervisionList]] = {}
    for supervision_list in lists:
        years.setdefault(supervision_list.year, []).append(supervision_list)
    return render_template(
        "lists/index.html",
        years=years,
        counts=state_counts([sl.id for sl in lists]),
        states=list(ItemState),
        townships=visible_townships(current_user),
        township_id=township_id,
    )


@bp.route("/lists/new", methods=["GET", "POST"])
@roles_required(Role.presidium)
def list_new():
    form = ListForm()
    form.township_id.choices = township_choices(visible_townships(current_user))
    if request.method == "GET":
        form.year.data = today().year
    if form.validate_on_submit():
        with refusal_shows(form_refused(form, "lists/list_form.html")):
            created = operations.create_list(
                current_user, current_user.township_id, form.year.data, ListKind(form.kind.data)
            )
        flash(_("已创建清单：%(title)s。", title=created.title), "success")
        return redirect(url_for("lists.list_detail", list_id=created.id))
    return render_template("lists/list_form.html", form=form)


@bp.get("/lists/<int:list_id>")
@login_required
def list_detail(list_id: int):
    supervision_list = list_or_404(list_id)
    items = (
        db.session.execute(item_query(current_user, ItemFilters(list_id=supervision_list.id)))
        .unique()
        .scalars()
        .all()
    )
    drafts = [i for i in items if i.state is ItemState.draft]
    spanning = spanning_into(supervision_list)
    return render_template(
        "lists/list_detail.html",
        supervision_list=supervision_list,
        groups=by_category([*items, *spanning], supervision_list.categories),
        drafts=len(drafts),
        # Which drafts confirming will give the list's default deadline or target (按清单默认).
        defaulted=[(item, list_defaults_for(item)) for item in drafts if list_defaults_for(item)],
        can_manage=current_user.role is Role.presidium,
    )


@bp.post("/lists/<int:list_id>/confirm")
@login_required
def list_confirm(list_id: int):
    supervision_list = list_or_404(list_id, roles=(Role.presidium,))
    back = url_for("lists.list_detail", list_id=list_id)
    defaults = {
        item.code: list_defaults_for(item) for item in supervision_list.items if item.state is ItemState.draft
    }
    with refusal_shows(flashed_back_to(back)):
        count = operations.confirm_list(current_user, supervision_list)
    flash(_("清单已确认，%(n)d 个事项列入清单。", n=count), "success")
    comma = _("、")
    if by_deadline := [code for code, given in defaults.items() if "deadline" in given]:
        flash(_("按清单默认完成时限的事项：%(items)s。", items=comma.join(by_deadline)), "info")
    if by_title := [code for code, given in defaults.items() if "target" in given]:
        flash(_("以事项名称为目标的事项：%(items)s。", items=comma.join(by_title)), "info")
    return redirect(back)


def _item_fields(form: ItemForm) -> dict:
    fields = {name: getattr(form, name).data for name in operations.EDITABLE_FIELDS}
    fields["level"] = ItemLevel(fields["level"]) if fields["level"] else None
    fields["category"] = fields["category"] or ""
    # The wording only means something for an approximate amount: an exact one is written alone.
    fields["planned_funds_about"] = bool(fields["planned_funds_approx"] and fields["planned_funds_about"])
    return fields


@bp.route("/lists/<int:list_id>/items/new", methods=["GET", "POST"])
@login_required
def item_new(list_id: int):
    supervision_list = list_or_404(list_id, roles=(Role.presidium,))
    first = idempotency.repeated()
    if first:
        return idempotency.back_to(first)
    form = ItemForm()
    office_and_deputy_choices(form, supervision_list.township_id)
    category_choices(form, supervision_list)
    if form.validate_on_submit():
        page = form_refused(form, "lists/item_form.html", supervision_list=supervision_list, item=None)
        with refusal_shows(page):
            first = idempotency.claim(form.submission_key.data)
            if first:
                return idempotency.back_to(first)
            item = operations.create_item(
                current_user,
                supervision_list,
                _item_fields(form),
                records(Office, form.assisting_office_ids.data),
                records(Deputy, form.proposer_ids.data),
                joint_leads=records(Office, form.joint_lead_office_ids.data),
            )
        url = url_for("lists.list_detail", list_id=list_id)
        idempotency.remember(form.submission_key.data, url)
        flash(_("已添加事项 %(code)s。", code=item.code), "success")
        return redirect(url)
    return render_template("lists/item_form.html", form=form, supervision_list=supervision_list, item=None)


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def item_edit(item_id: int):
    item = item_or_404(item_id, roles=(Role.presidium,))
    if request.method == "GET":
        form = ItemForm(obj=item)
        form.version.data = item.version
        form.assisting_office_ids.data = [o.id for o in item.assisting_offices]
        form.joint_lead_office_ids.data = [o.id for o in item.joint_lead_offices]
        form.proposer_ids.data = [d.id for d in item.proposers]
        form.level.data = item.level.value if item.level else ""
    else:
        form = ItemForm()
    office_and_deputy_choices(form, item.township_id)
    category_choices(form, item.supervision_list, item.category)
    if form.validate_on_submit():
        seen = form.version.data
        if seen is None:  # the form was not one this page sent
            abort(400)
        try:
            changes = operations.amend_item(
                current_user,
                item,
                _item_fields(form),
                seen,
                form.reason.data or "",
                records(Office, form.assisting_office_ids.data),
                records(Deputy, form.proposer_ids.data),
                joint_leads=records(Office, form.joint_lead_office_ids.data),
                decision=form.decision.data or "",
            )
        except EditConflict as conflict:
            db.session.rollback()
            return _conflict_page(form, item_id, conflict.seen_version)
        except StaleDataError:
            db.session.rollback()
            return _conflict_page(form, item_id, seen)
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            flash(_("已保存。") if changes else _("没有修改任何内容。"), "success" if changes else "info")
            return redirect(url_for("lists.item_detail", item_id=item.id))
    return render_template(
        "lists/item_form.html", form=form, supervision_list=item.supervision_list, item=item
    )


def _conflict_page(form: ItemForm, item_id: int, seen_version: int):
    """409: show what others changed since this user loaded the item, with their input kept."""
    item = db.session.get(Item, item_id)
    db.session.refresh(item)
    _take_over_others_changes(form, item, seen_version)
    events = (
        db.session.execute(
            select(ItemEvent)
            .where(ItemEvent.item_id == item_id, ItemEvent.item_version > seen_version)
            .options(joinedload(ItemEvent.actor))
            .order_by(ItemEvent.id)
        )
        .scalars()
        .all()
    )
    form.version.data = item.version  # saving again applies this user's input over the new version
    office_and_deputy_choices(form, item.township_id)
    category_choices(form, item.supervision_list, item.category)
    return (
        render_template(
            "lists/conflict.html", form=form, item=item, events=events, supervision_list=item.supervision_list
        ),
        409,
    )


def _take_over_others_changes(form: ItemForm, item: Item, seen_version: int) -> None:
    """Fields only the others changed show their new values, so saving again keeps both changes."""
    sent = {
        **_item_fields(form),
        "assisting_offices": records(Office, form.assisting_office_ids.data),
        "joint_lead_offices": records(Office, form.joint_lead_office_ids.data),
        "proposers": records(Deputy, form.proposer_ids.data),
    }
    collections = {
        "assisting_offices": ("assisting_office_ids", [o.id for o in item.assisting_offices]),
        "joint_lead_offices": ("joint_lead_office_ids", [o.id for o in item.joint_lead_offices]),
        "proposers": ("proposer_ids", [d.id for d in item.proposers]),
    }
    for name in fields_to_take_over(item, seen_version, sent):
        field_name, value = collections.get(name) or (name, getattr(item, name))
        if name == "level":
            value = value.value if value else ""
        field = getattr(form, field_name)
        field.raw_data, field.data = None, value  # raw_data would win when the field is rendered
        if name == "end_year":  # the mark goes with the year, or saving again would drop it
            form.spans_years.raw_data, form.spans_years.data = None, value is not None


# The items table (templates/_macros/items.html) shows Items and ItemRows alike through this filter.
bp.add_app_template_filter(table_rows, "item_rows")


@bp.get("/items/")
@cache_whole_page(lambda: today())  # its overdue badges follow the day
@login_required
def item_list():
    # The list below the navbar is cached under everything it is made of; the navbar (user, CSRF
    # tokens, flashed messages) is rendered for each request.
    townships, versions = visible_townships_and_versions(current_user)  # before any item is read
    wanted = as_id(request.args.get("township"))
    if wanted is not None and wanted not in {t.id for t in townships}:
        abort(404)  # another county's township is not found, as its items are
    day = today()
    key = fragment_key(
        "lists.item_list",
        current_user.role.value,
        current_user.township_id,
        current_user.county_id,
        str(get_locale()),
        day.isoformat(),
        request.script_root,
        request.query_string,
        versions,
    )
    body = cached_fragment(key, lambda: _item_list_body(townships, day))
    return render_template("lists/item_list.html", body=body)


def _item_list_body(townships, day) -> str:
    filters = ItemFilters.from_args(request.args)
    offices, supervisors = filter_choices([t.id for t in townships])
    # The items of one list are grouped by its categories (分类), in its order.
    one_list = db.session.get(SupervisionList, filters.list_id) if filters.list_id else None
    categories = (
        one_list.categories if one_list and current_user.can_see_township(one_list.township_id) else None
    )
    page = item_rows_page(current_user, filters, PER_PAGE, categories)
    return render_template(
        "lists/_item_list_body.html",
        page=page,
        groups=by_category(page.items, categories) if categories is not None else None,
        filters=filters,
        townships=townships,
        offices=offices,
        supervisors=supervisors,
        kinds=list(ListKind),
        states=list(ItemState),
        flags=FLAGS,
        sorts=SORTS,
        day=day,
    )


@bp.get("/items/export.xlsx")
@login_required
def item_export():
    # Written now when short; else made by a worker (lists/export.py, core/exports.py): the stored
    # file when current, else a progress page.
    day = today().isoformat()
    wanted = Export.asked(export.EXPORT_KIND, current_user._get_current_object(), request.args)
    return export_response(
        wanted,
        lambda data: send_document(data, XLSX_MIMETYPE, f"清单事项-{day}.xlsx", f"items-{day}.xlsx"),
    )
