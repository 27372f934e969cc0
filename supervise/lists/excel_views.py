"""Importing a list's items from Excel: the template download and the all-or-nothing upload.

The export of a filtered item list lives with the item list (lists.item_export).
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SubmitField

from ..core.downloads import send_document
from ..core.exports import workbook_response
from ..core.permissions import Role, get_visible_or_404
from ..core.xlsx import XLSX_MIMETYPE
from ..extensions import db
from . import importing, template_document
from .models import SupervisionList

bp = Blueprint("lists_excel", __name__)


class ItemImportForm(FlaskForm):
    file = FileField(
        _l("清单事项（.xlsx）"),
        validators=[FileRequired(_l("请选择要导入的 .xlsx 文件。"))],
        render_kw={"accept": f".xlsx,{XLSX_MIMETYPE}"},
    )
    submit = SubmitField(_l("检查并导入"))


@bp.get("/lists/<int:list_id>/import/template.xlsx")
@login_required
def import_template(list_id: int):
    supervision_list = get_visible_or_404(SupervisionList, list_id, roles=(Role.presidium,))
    township, year, kind = supervision_list.township.name, supervision_list.year, supervision_list.kind.label
    # Made by a worker (lists/template_document.py): the stored file when current, else a progress page.
    return workbook_response(
        template_document.KIND,
        supervision_list,
        lambda data: send_document(
            data,
            XLSX_MIMETYPE,
            f"{township}{year}年{kind}-导入模板.xlsx",
            f"import-template-{year}-{supervision_list.kind.value}.xlsx",
        ),
    )


@bp.route("/lists/<int:list_id>/import", methods=["GET", "POST"])
@login_required
def item_import(list_id: int):
    supervision_list = get_visible_or_404(SupervisionList, list_id, roles=(Role.presidium,))
    form = ItemImportForm()
    result = filename = None
    if form.validate_on_submit():
        upload = form.file.data
        filename = upload.filename
        result = importing.import_items(
            current_user, upload.read(), supervision_list, current_app.config["IMPORT_MAX_ROWS"]
        )
        if result.ok:
            flash(
                _(
                    "已导入 %(n)d 个事项（%(first)s 至 %(last)s）。",
                    n=result.imported,
                    first=result.codes[0],
                    last=result.codes[-1],
                ),
                "success",
            )
            return redirect(url_for("lists.list_detail", list_id=list_id))
        db.session.rollback()
    return render_template(
        "lists/import.html",
        form=form,
        supervision_list=supervision_list,
        result=result,
        filename=filename,
        headers=importing.template_headers(supervision_list.kind),
    )
