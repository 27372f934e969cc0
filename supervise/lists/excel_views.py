"""Importing a list's items from Excel or Word: the template download, the upload and its preview,
and the confirmed, all-or-nothing import.

The export of a filtered item list lives with the item list (lists.item_export).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SubmitField

from ..core import idempotency
from ..core.downloads import send_document
from ..core.exports import workbook_response
from ..core.permissions import Role, get_visible_or_404
from ..core.word import DOCX_MIMETYPE
from ..core.xlsx import XLSX_MIMETYPE
from ..extensions import db
from . import import_pending, import_preview, importing, template_document
from .import_writing import hold_list, write_import
from .models import SupervisionList

bp = Blueprint("lists_excel", __name__)


class ItemImportForm(FlaskForm):
    file = FileField(
        _l("清单事项（Excel .xlsx 或 Word .docx）"),
        validators=[FileRequired(_l("请选择要导入的 .xlsx 或 .docx 文件。"))],
        render_kw={"accept": f".xlsx,.docx,{XLSX_MIMETYPE},{DOCX_MIMETYPE}"},
    )
    submit = SubmitField(_l("检查并预览"))


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
    """Upload: the file is checked and kept, and the preview shows what it will create; nothing is
    written before the user confirms it (item_import_confirm)."""
    supervision_list = get_visible_or_404(SupervisionList, list_id, roles=(Role.presidium,))
    form = ItemImportForm()
    result = filename = None
    if form.validate_on_submit():
        upload = form.file.data
        filename, data = upload.filename or "", upload.read()
        result = importing.parse_items(data, supervision_list, import_preview.max_rows())
        if result.ok:
            token = import_pending.keep_upload(current_user, list_id, filename, data)
            pending = import_pending.PendingUpload(token, filename, b"")
            return import_preview.preview_page(supervision_list, pending, result)
        db.session.rollback()
    return _import_page(form, supervision_list, result, filename)


def _import_page(form, supervision_list, result, filename):
    return render_template(
        "lists/import.html",
        form=form,
        supervision_list=supervision_list,
        result=result,
        filename=filename,
        headers=importing.template_headers(supervision_list.kind),
    )


@bp.post("/lists/<int:list_id>/import/<token>")
@login_required
def item_import_confirm(list_id: int, token: str):
    """The confirmed preview: the kept file is checked again as the database is now, and its offices
    and items are written all or nothing."""
    supervision_list = get_visible_or_404(SupervisionList, list_id, roles=(Role.presidium,))
    hold_list(supervision_list)
    pending = import_pending.pending_upload(current_user, list_id, token)
    if pending is None:
        flash(_("这次上传已过期或已导入，请重新上传文件。"), "warning")
        return redirect(url_for("lists_excel.item_import", list_id=list_id))
    result = importing.parse_items(pending.data, supervision_list, import_preview.max_rows())
    if not result.ok:
        import_pending.drop_upload(current_user, token)
        return _import_page(ItemImportForm(formdata=None), supervision_list, result, pending.filename)
    choices, error = import_preview.read_choices(supervision_list, result)
    if error:
        return import_preview.preview_page(supervision_list, pending, result, error), 409
    # The upload's token is the submission's key: of two confirmations at once (a double click; on
    # SQLite the list's row lock does not hold them apart), the second leads to what the first wrote.
    first = idempotency.claim(token)
    if first:
        return idempotency.back_to(first)
    result.codes = write_import(current_user, supervision_list, result, choices)
    idempotency.remember(token, url_for("lists.list_detail", list_id=list_id))
    import_pending.drop_upload(current_user, token)
    if len(result.codes) == 1:
        message = _("已导入 1 个事项（%(code)s）。", code=result.codes[0])
    else:
        message = _(
            "已导入 %(n)d 个事项（%(first)s 至 %(last)s）。",
            n=len(result.codes),
            first=result.codes[0],
            last=result.codes[-1],
        )
    if result.created_offices:
        message += _("新建单位：%(names)s。", names="、".join(result.created_offices))
    flash(message, "success")
    return redirect(url_for("lists.list_detail", list_id=list_id))
