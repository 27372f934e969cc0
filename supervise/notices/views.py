"""The presidium's side of public notices: review a month, publish it, correct it, moderate opinions.

The public pages themselves are in supervise/public/views.py.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..core.clock import today
from ..core.dates import month_of, parse_month, shift_month
from ..core.documents import document_response
from ..core.downloads import send_document
from ..core.errors import DomainError, refusal_shows
from ..core.fields import as_ids
from ..core.permissions import Role, get_visible_or_404, roles_required
from ..extensions import db
from ..org.forms import NoticeSettingsForm
from ..org.models import Township
from ..progress.status import TOLERANCE as STATUS_TOLERANCE
from . import operations
from .batches import KIND as COUNTY_KIND
from .batches import CountyMonth
from .forms import CorrectionForm, ModerationForm, PublishForm
from .models import Opinion, OpinionState, PublicNotice
from .queries import (
    latest_notice,
    line_counts,
    line_groups,
    lines_context,
    listed_not_in_notice,
    notices_of,
    snapshot_lines,
)
from .text import part_heading, reader_labels

bp = Blueprint("notices", __name__, url_prefix="/notices")

MONTHS_OFFERED = 12
OPINIONS_PER_PAGE = 50


def _own_record_or_404(model, record_id: int):
    """A notice or opinion the presidium of its township acts on: another township's is a 404 (even for
    a user of another role), one of a visible township a 403 for anyone but its presidium."""
    record = get_visible_or_404(model, record_id)
    if current_user.role is not Role.presidium or current_user.township_id != record.township_id:
        abort(403)
    return record


def _own_notice_or_404(notice_id: int) -> PublicNotice:
    return _own_record_or_404(PublicNotice, notice_id)


def _own_opinion_or_404(opinion_id: int) -> Opinion:
    return _own_record_or_404(Opinion, opinion_id)


def _months() -> list:
    this_month = month_of(today())
    return [shift_month(this_month, -n) for n in range(MONTHS_OFFERED)]


@bp.get("/")
@roles_required(Role.presidium)
def notice_list():
    notices = notices_of(current_user.township_id)
    pending = db.session.execute(
        select(func.count(Opinion.id)).where(
            Opinion.township_id == current_user.township_id, Opinion.state == OpinionState.pending
        )
    ).scalar_one()
    return render_template(
        "notices/list.html",
        notices=notices,
        counts=line_counts([n.id for n in notices]),
        pending=pending,
        months=_months(),
    )


def _preview_page(month, form: PublishForm, status: int = 200, error: str | None = None):
    township_id = current_user.township_id
    published = latest_notice(township_id, month)
    lines = snapshot_lines(township_id, month) if month <= month_of(today()) else []
    form.month.data = f"{month.year}-{month.month:02d}"
    return render_template(
        "notices/preview.html",
        month=month,
        months=_months(),
        lines=lines,
        not_supervised=listed_not_in_notice(township_id, month),
        published=published,
        form=form,
        error=error,
    ), status


@bp.route("/settings", methods=["GET", "POST"])
@roles_required(Role.presidium)
def settings():
    """The objection period and contact printed on the township's notices (公示设置)."""
    township = db.session.get_one(Township, current_user.township_id)
    form = NoticeSettingsForm(obj=township if request.method == "GET" else None)
    if request.method == "POST":
        if not form.validate_on_submit():
            return render_template("notices/settings.html", form=form, township=township), 400
        try:
            operations.update_notice_settings(
                current_user,
                township,
                objection_days=form.notice_objection_days.data,
                contact_person=form.contact_person.data,
                contact_phone=form.contact_phone.data,
                contact_address=form.contact_address.data,
            )
        except DomainError as error:
            form.form_errors.append(error.message)
            return render_template("notices/settings.html", form=form, township=township), error.status_code
        flash(_("公示设置已保存，下次发布的公示将使用新的设置。"), "success")
        return redirect(url_for("notices.notice_list"))
    return render_template("notices/settings.html", form=form, township=township)


@bp.get("/preview")
@roles_required(Role.presidium)
def preview():
    wanted = request.args.get("month")
    month = parse_month(wanted) if wanted else month_of(today())
    if month is None or month > month_of(today()):
        flash(_("月份不正确，已显示本月。"), "warning")
        month = month_of(today())
    return _preview_page(month, PublishForm(formdata=None))


def _refused_page(month, form: PublishForm, error: DomainError):
    """The preview with the refusal; while reports are missing, the step that asks to confirm them."""
    if not isinstance(error, operations.ReportsMissing):
        return _preview_page(month, form, error.status_code, error.message)
    form.month.data = f"{month.year}-{month.month:02d}"
    form.missing_confirmed.data = ",".join(str(item.id) for item in error.missing)
    return render_template(
        "notices/confirm_publish.html", month=month, form=form, missing=error.missing, message=error.message
    )


@bp.post("/publish")
@roles_required(Role.presidium)
def publish():
    form = PublishForm()
    month = parse_month(form.month.data)
    if not form.validate_on_submit() or month is None:
        # The month is a hidden field: its error is the page's message, nothing else shows it.
        error = " ".join(str(e) for e in form.month.errors) or _("请修改下面标红的内容后再提交。")
        return _preview_page(month or month_of(today()), form, 400, error)
    with refusal_shows(lambda error: _refused_page(month, form, error)):
        notice = operations.publish_notice(
            current_user,
            current_user.township_id,
            month,
            form.title.data or "",
            missing_confirmed=as_ids([form.missing_confirmed.data or ""]),
        )
    flash(_("公示已发布：%(number)s %(title)s", number=notice.document_number, title=notice.title), "success")
    return redirect(url_for("public.notice", slug=current_user.township.slug, notice_id=notice.id))


@bp.route("/<int:notice_id>/correct", methods=["GET", "POST"])
@login_required  # role checked after the record: another township's is a 404
def correct(notice_id: int):
    notice = _own_notice_or_404(notice_id)
    form = CorrectionForm()
    if request.method == "GET":
        form = CorrectionForm(formdata=None, title=notice.title)
    status, error = 200, None
    if form.validate_on_submit():
        try:
            correction = operations.publish_correction(
                current_user, notice, form.reason.data, form.title.data or ""
            )
        except DomainError as failure:
            db.session.rollback()
            notice = _own_notice_or_404(notice_id)
            status, error = failure.status_code, failure.message
        else:
            flash(_("更正公示已发布：%(title)s", title=correction.title), "success")
            return redirect(
                url_for("public.notice", slug=current_user.township.slug, notice_id=correction.id)
            )
    elif request.method == "POST":
        status = 400
    return render_template(
        "notices/correct.html",
        notice=notice,
        form=form,
        lines=snapshot_lines(notice.township_id, notice.month),
        error=error,
    ), status


# ---- residents' opinions (群众意见) ---------------------------------------------------------------


def _opinions_page(state: str, failed: tuple[int, ModerationForm, str] | None = None, status: int = 200):
    """The moderation page; ``failed`` re-shows one opinion's form with the typed answer and the error."""
    query = (
        select(Opinion)
        .where(Opinion.township_id == current_user.township_id, Opinion.state == OpinionState(state))
        .options(joinedload(Opinion.notice), joinedload(Opinion.line))
        .order_by(Opinion.submitted_at.desc(), Opinion.id.desc())
    )
    page = db.paginate(query, per_page=OPINIONS_PER_PAGE, error_out=False)
    return render_template(
        "notices/opinions.html",
        page=page,
        state=state,
        states=list(OpinionState),
        failed_id=failed[0] if failed else None,
        failed_form=failed[1] if failed else None,
        error=failed[2] if failed else None,
    ), status


@bp.get("/opinions")
@roles_required(Role.presidium)
def opinion_list():
    state = request.args.get("state", "pending")
    if state not in OpinionState.__members__:
        state = "pending"
    return _opinions_page(state)


@bp.post("/opinions/<int:opinion_id>/<action>")
@login_required  # role checked after the record: another township's is a 404
def moderate(opinion_id: int, action: str):
    opinion = _own_opinion_or_404(opinion_id)
    steps = {
        "approve": (operations.approve_opinion, _("意见已公开。")),
        "reject": (operations.reject_opinion, _("意见不予公开。")),
        "answer": (operations.answer_opinion, _("答复已公开。")),
    }
    if action not in steps:
        abort(404)
    shown_state = opinion.state.value
    form = ModerationForm()
    if not form.validate_on_submit():
        problem = " ".join(error for errors in form.errors.values() for error in errors)
        return _opinions_page(shown_state, (opinion.id, form, problem or _("请刷新页面后重试。")), 400)
    operation, message = steps[action]
    with refusal_shows(
        lambda error: _opinions_page(shown_state, (opinion_id, form, error.message), error.status_code)
    ):
        if action == "reject":
            operation(current_user, opinion)
        else:
            operation(current_user, opinion, form.answer.data or "")
    flash(message, "success")
    return redirect(url_for("notices.opinion_list", state=shown_state))


bp.add_app_template_global(reader_labels, "notice_labels")
# The preview and the correction page group and count their (unsaved) lines as the notice will.
bp.add_app_template_global(line_groups, "notice_line_groups")
bp.add_app_template_global(part_heading, "part_heading")
bp.add_app_template_global(lambda lines: lines_context(lines, STATUS_TOLERANCE), "notice_lines_context")


@bp.app_template_global()
def notices_summary() -> dict:
    """The presidium home page's line about notices: this month published yet, opinions waiting."""
    township_id = current_user.township_id
    month = month_of(today())
    published = latest_notice(township_id, month) is not None
    pending = db.session.execute(
        select(func.count(Opinion.id)).where(
            Opinion.township_id == township_id, Opinion.state == OpinionState.pending
        )
    ).scalar_one()
    return {"month": month, "published": published, "pending": pending}


@bp.get("/county.zip")
@roles_required(Role.county)
def county_notices():
    """Every notice published for ``month`` (YYYY-MM, default last month) across the county, as one zip
    of their PDFs: made by a worker, with a progress page meanwhile."""
    month = parse_month(request.args.get("month")) or shift_month(month_of(today()), -1)
    batch = CountyMonth(current_user.county, month)
    return document_response(
        COUNTY_KIND,
        batch,
        lambda data: send_document(
            data,
            "application/zip",
            f"{batch.county.name}{month.year}年{month.month}月公示.zip",
            f"notices-{batch.ident}.zip",
        ),
    )
