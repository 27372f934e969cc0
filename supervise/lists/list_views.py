"""A list's settings page (分类与默认值): its categories and the defaults confirming it applies."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.errors import flashed_back_to, page_refused, refusal_shows
from ..core.permissions import Role
from . import list_settings as settings
from .blueprint import bp, list_or_404
from .forms import CategoryForm, ListDefaultsForm
from .models import SupervisionList


def _page(supervision_list: SupervisionList, category_form=None, defaults_form=None, error: str = ""):
    if defaults_form is None:
        defaults_form = ListDefaultsForm(obj=supervision_list)
    return render_template(
        "lists/list_settings.html",
        supervision_list=supervision_list,
        counts=settings.category_counts(supervision_list),
        category_form=category_form or CategoryForm(formdata=None),
        defaults_form=defaults_form,
        error=error,
    )


@bp.get("/lists/<int:list_id>/settings")
@login_required
def list_settings(list_id: int):
    return _page(list_or_404(list_id, roles=(Role.presidium,)))


@bp.post("/lists/<int:list_id>/categories")
@login_required
def list_category_save(list_id: int):
    """Add a category, or rename one (the form's ``old``)."""
    supervision_list = list_or_404(list_id, roles=(Role.presidium,))
    form = CategoryForm()
    if not form.validate():
        return _page(supervision_list, category_form=form), 200
    with refusal_shows(page_refused(_page, supervision_list, category_form=form)):
        if form.old.data:
            name = settings.rename_category(current_user, supervision_list, form.old.data, form.name.data)
            flash(_("分类“%(old)s”已改名为“%(new)s”。", old=form.old.data, new=name), "success")
        else:
            name = settings.add_category(current_user, supervision_list, form.name.data)
            flash(_("已添加分类“%(category)s”。", category=name), "success")
    return redirect(url_for("lists.list_settings", list_id=list_id))


@bp.post("/lists/<int:list_id>/categories/<action>")
@login_required
def list_category_action(list_id: int, action: str):
    """Move a category up or down, or remove an unused one (one-click buttons)."""
    supervision_list = list_or_404(list_id, roles=(Role.presidium,))
    name = request.form.get("name", "")
    back = url_for("lists.list_settings", list_id=list_id)
    with refusal_shows(flashed_back_to(back)):
        if action in ("up", "down"):
            settings.move_category(current_user, supervision_list, name, -1 if action == "up" else 1)
        elif action == "remove":
            settings.remove_category(current_user, supervision_list, name)
            flash(_("已删除分类“%(category)s”。", category=name), "success")
        else:
            abort(404)
    return redirect(back)


@bp.post("/lists/<int:list_id>/defaults")
@login_required
def list_defaults_save(list_id: int):
    supervision_list = list_or_404(list_id, roles=(Role.presidium,))
    form = ListDefaultsForm()
    if not form.validate():
        return _page(supervision_list, defaults_form=form), 200
    with refusal_shows(page_refused(_page, supervision_list, defaults_form=form)):
        settings.set_list_defaults(
            current_user, supervision_list, form.default_deadline.data, bool(form.title_is_target.data)
        )
    flash(_("清单默认值已保存。"), "success")
    return redirect(url_for("lists.list_settings", list_id=list_id))
