"""The meeting's documents: the government's report, the printed documents (blank sheets, result
summary), publishing the results, and the year's assessment table (年度考核)."""

from __future__ import annotations

import re

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.clock import today
from ..core.documents import document_response
from ..core.downloads import send_document
from ..core.errors import page_refused, refusal_shows
from ..core.exports import Export, export_response
from ..core.permissions import Role, roles_required
from ..core.xlsx import XLSX_MIMETYPE
from ..extensions import db
from ..uploads.storage import store_uploads
from . import documents, operations
from .assessment import EXPORT_KIND, assessment_rows, headers
from .blueprint import (
    EXPIRED,
    READERS,
    bp,
    detail_page,
    errors_of,
    meeting_or_404,
    posted_meeting_or_404,
    redirect_to,
)
from .forms import PublishForm
from .meeting_views import results_view
from .models import MeetingState
from .publishing import publish_results


@bp.post("/evaluation/<int:meeting_id>/report")
@roles_required(Role.presidium)
def report_upload(meeting_id: int):
    meeting = posted_meeting_or_404(meeting_id)
    if meeting.state is MeetingState.closed:
        return detail_page(meeting, _("投票已结束，不能再附加政府工作报告。"), 409)
    files = [f for f in request.files.getlist("report_files") if f and f.filename]
    if not files:
        return detail_page(meeting, _("请选择政府工作报告的文件（PDF、Word 或照片）。"), 400)
    stored, refused = store_uploads(files, user=current_user, township_id=meeting.township_id)
    if refused:
        db.session.rollback()
        return detail_page(meeting, " ".join(refused) + " " + _("请重新选择文件后再提交。"), 400)
    with refusal_shows(page_refused(detail_page, meeting)):
        count = operations.attach_report(current_user, meeting, stored)
    flash(_("已附上政府工作报告 %(n)d 个文件。", n=count), "success")
    return redirect_to(meeting)


def _pdf(meeting, kind: str):
    return document_response(
        documents.KIND_OF[kind],
        meeting,
        lambda pdf: send_document(
            pdf,
            "application/pdf",
            documents.file_name(meeting, kind),
            documents.ascii_file_name(meeting, kind),
            as_attachment=request.args.get("download") == "1",
        ),
    )


@bp.get("/evaluation/<int:meeting_id>/sheets.pdf")
@roles_required(*READERS)
def sheets_pdf(meeting_id: int):
    """The blank assessment sheets: one numbered A4 sheet per roster deputy, in one PDF."""
    return _pdf(meeting_or_404(meeting_id), documents.SHEETS)


@bp.get("/evaluation/<int:meeting_id>/summary.pdf")
@roles_required(*READERS)
def summary_pdf(meeting_id: int):
    """The result summary (测评结果汇总表); before closing, its results table is left blank."""
    return _pdf(meeting_or_404(meeting_id), documents.SUMMARY)


@bp.post("/evaluation/<int:meeting_id>/publish")
@roles_required(Role.presidium)
def publish(meeting_id: int):
    """Publish the results under the title typed; a refusal shows the results page with it kept."""
    meeting = meeting_or_404(meeting_id)
    form = PublishForm()
    if not form.validate_on_submit():
        # An expired page too is shown again with the title as typed.
        problem = _(EXPIRED) if "csrf_token" in form.errors else " ".join(errors_of(form))
        return results_view(meeting, form, problem, 400)
    with refusal_shows(page_refused(results_view, meeting, form)):
        published = publish_results(current_user, meeting, form.title.data)
    flash(_("测评结果已在公示栏公布。"), "success")
    return redirect(url_for("evaluation_public.result", slug=meeting.township.slug, result_id=published.id))


YEAR = re.compile(r"[0-9]{4}")


def _year() -> int:
    """The year asked for (four ASCII digits, 2000-2100), else this year: never a 500 on '²²²²'."""
    value = request.args.get("year", "")
    if YEAR.fullmatch(value) and 2000 <= int(value) <= 2100:
        return int(value)
    return today().year


@bp.get("/evaluation/assessment")
@roles_required(*READERS)
def assessment():
    year = _year()
    return render_template(
        "evaluation/assessment.html",
        year=year,
        rows=assessment_rows(current_user, year),
        headers=headers(),
        many_townships=current_user.role in (Role.county, Role.admin),
    )


@bp.get("/evaluation/assessment.xlsx")
@roles_required(*READERS)
def assessment_xlsx():
    # Written now when short; else made by a worker (evaluation/assessment.py): the stored file
    # when current, else a progress page.
    year = _year()
    wanted = Export.asked(EXPORT_KIND, current_user._get_current_object(), request.args)
    return export_response(
        wanted,
        lambda data: send_document(
            data, XLSX_MIMETYPE, _("%(year)s年度考核表.xlsx", year=year), f"assessment-{year}.xlsx"
        ),
    )
