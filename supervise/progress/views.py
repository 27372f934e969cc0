"""Pages of the monthly cycle: the report form, feedback, what each office and deputy owes, the
presidium's month grid, and notifications."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..core import idempotency
from ..core.clock import today
from ..core.dates import month_of, parse_month
from ..core.errors import DomainError
from ..core.fields import as_id, as_ids, chosen_year, keep_files, kept_file_ids
from ..core.permissions import Role, chosen_township_id, get_visible_or_404, roles_required
from ..extensions import db
from ..lists.models import Item
from ..org.models import Township
from ..org.scoping import visible_townships
from . import operations, queries
from .calendar import MonthStatus, report_due_on
from .disputes import year_disputes
from .forms import FeedbackForm, MarkReadForm, ReportForm
from .grid import grid_page, townships_grid_statuses
from .models import FeedbackVerdict, MonthlyReport, Notification
from .summary import deputy_counts, office_counts, presidium_counts
from .verdicts import current_verdicts

bp = Blueprint("progress", __name__)

NOTIFICATIONS_SHOWN = 100
DISPUTES_PER_PAGE = 50


def _files_for(report_ids) -> dict[int, list]:
    from ..uploads.storage import attachments_for

    return attachments_for("monthly_report", report_ids)


# ---- entry --------------------------------------------------------------------------------------


@bp.get("/progress/")
@login_required
def index():
    """Each role's page of the monthly cycle."""
    if current_user.role is Role.government:
        return redirect(url_for("progress.office_dues"))
    if current_user.role is Role.deputy:
        return redirect(url_for("progress.deputy_dues"))
    return redirect(url_for("progress.grid"))


# ---- the report form ------------------------------------------------------------------------------


def _report_page(item: Item, form: ReportForm, month: date, months: list[date], previous, files, status=200):
    earlier = operations.earlier_report(item.id, month)
    if earlier:
        form.percent.description = _(
            "0 到 100 的整数；上次月报（%(month)s）为 %(percent)s%%。",
            month=f"{earlier.month.year}-{earlier.month.month:02d}",
            percent=earlier.percent,
        )
    # The reason field shows for a correction, and once the percent typed is below the earlier
    # month's (the first submit was refused with that month's percent; the second gives the reason).
    lower = form.percent.data is not None and operations.lower_than_earlier(earlier, form.percent.data)
    if lower and not previous:
        form.correction_reason.label.text = _("下调理由")
        form.correction_reason.description = _("完成进度低于上次月报时必填：说明为何下调。")
    return (
        render_template(
            "progress/report_form.html",
            item=item,
            form=form,
            month=month,
            months=months,
            previous=previous,
            asks_reason=bool(previous or lower),
            files=files,
            due_on=report_due_on(month, item.township.report_due_day),
        ),
        status,
    )


@bp.route("/progress/items/<int:item_id>/report", methods=["GET", "POST"])
@login_required  # another township's item is a 404 before any role check: get_visible_or_404
def report_form(item_id: int):
    item = get_visible_or_404(Item, item_id)
    if not item.is_lead_clerk(current_user):
        abort(403)
    first = idempotency.repeated()  # the report was sent, the answer lost: it is not sent again
    if first:
        return idempotency.back_to(first)
    day = today()
    months = sorted(operations.owed_months(item, day), reverse=True)
    if not months:
        flash(_("这个事项目前不需要报送月报。"), "warning")
        return redirect(url_for("lists.item_detail", item_id=item.id))
    month = parse_month(request.values.get("month")) or months[0]
    if month not in months:
        abort(404)
    previous = operations.latest_version(item.id, month)
    form = ReportForm(is_correction=previous is not None)
    if request.method == "GET" and previous is not None:
        form.percent.data = previous.percent
        form.done.data = previous.done
        form.problems.data = previous.problems
        form.funds_spent.data = previous.funds_spent
    if request.method == "GET":
        return _report_page(item, form, month, months, previous, [])
    from ..uploads.storage import pending_uploads, store_uploads

    dropped = set(as_ids(request.form.getlist("drop")))
    kept = [a for a in pending_uploads(current_user, kept_file_ids(form.kept_files)) if a.id not in dropped]
    stored, refused = store_uploads(
        request.files.getlist("files"), user=current_user, township_id=item.township_id
    )
    files = kept + stored
    keep_files(form.kept_files, files)
    valid = form.validate()
    for message in refused:
        flash(message, "warning")
    # Re-shown forms answer 200, so the photos accepted so far are committed as the clerk's pending
    # uploads (as on the inspection form): a typing error must not cost the photos that arrived.
    if not valid:
        return _report_page(item, form, month, months, previous, files)
    savepoint = db.session.begin_nested()
    try:
        first = idempotency.claim(form.submission_key.data)
        if first:
            savepoint.rollback()
            return idempotency.back_to(first)
        operations.submit_report(
            current_user,
            item,
            month,
            percent=form.percent.data,
            done=form.done.data,
            problems=form.problems.data,
            funds_spent=form.funds_spent.data,
            correction_reason=form.correction_reason.data,
            attachments=files,
        )
    except DomainError as error:
        savepoint.rollback()
        form.form_errors.append(error.message)
        return _report_page(item, form, month, months, previous, files)
    savepoint.commit()
    url = url_for("lists.item_detail", item_id=item.id, _anchor="progress")
    idempotency.remember(form.submission_key.data, url)
    flash(_("%(month)s 月报已报送。", month=f"{month.year}-{month.month:02d}"), "success")
    return redirect(url)


# ---- feedback -------------------------------------------------------------------------------------


def _feedback_page(report: MonthlyReport, form: FeedbackForm, status=200):
    return (
        render_template(
            "progress/feedback_form.html",
            report=report,
            item=report.item,
            form=form,
            files=_files_for([report.id]).get(report.id, []),
            ended=None if report.takes_feedback else operations.feedback_ended_message(report.item),
            # What a new verdict will replace: the form says so before it is sent.
            mine=current_verdicts(report.feedback).get(current_user.deputy_id),
        ),
        status,
        # Back after submitting shows the page afresh (with the verdict just given to be replaced),
        # not the browser's copy with the earlier choice and comment still filled in.
        {"Cache-Control": "no-store"},
    )


@bp.route("/progress/reports/<int:report_id>/feedback", methods=["GET", "POST"])
@login_required  # another township's report is a 404 before any role check
def feedback_form(report_id: int):
    report = get_visible_or_404(MonthlyReport, report_id)
    if not current_user.supervises(report.item):
        abort(403)
    form = FeedbackForm()
    if request.method == "GET":
        return _feedback_page(report, form)
    if not form.validate():
        return _feedback_page(report, form, 422)
    try:
        operations.give_feedback(current_user, report, FeedbackVerdict(form.verdict.data), form.comment.data)
    except DomainError as error:
        form.form_errors.append(error.message)
        return _feedback_page(report, form, 409)
    flash(_("反馈已提交。"), "success")
    return redirect(url_for("progress.deputy_dues"))


# ---- what is owed ---------------------------------------------------------------------------------


@bp.get("/progress/office")
@roles_required(Role.government)
def office_dues():
    township = current_user.township
    day = today()
    if current_user.office_id is None:
        current, earlier = [], []
    else:
        current, earlier = queries.office_dues(township, current_user.office_id, day)
    return render_template(
        "progress/office.html",
        office=current_user.office,
        current=current,
        earlier=earlier,
        month=month_of(day),
        due_on=report_due_on(month_of(day), township.report_due_day),
        day=day,
        MonthStatus=MonthStatus,
    )


@bp.get("/progress/mine")
@roles_required(Role.deputy)
def deputy_dues():
    day = today()
    waiting, unreported = queries.deputy_dues(current_user.deputy_id, current_user.township, day)
    return render_template(
        "progress/deputy.html", waiting=waiting, unreported=unreported, day=day, MonthStatus=MonthStatus
    )


@bp.get("/progress/grid")
@roles_required(Role.presidium, Role.county, Role.admin)
def grid():
    day = today()
    townships = visible_townships(current_user)
    wanted = chosen_township_id()  # another county's township (or township's) is not found
    year, year_problem = chosen_year(request.args.get("year"), day.year)
    every: dict[int, dict[int, list[MonthStatus]]] | None = None  # each township's rows of the year
    if current_user.role is Role.presidium:
        township = current_user.township
    else:
        every = townships_grid_statuses(townships, year, day)
        # Unchosen: the township with the most rows (the first listed of equals), not the first
        # by name, which may have none.
        busiest = max(townships, key=lambda t: len(every.get(t.id, {})), default=None)
        township = next((t for t in townships if t.id == wanted), busiest)
    if township is None or wanted not in (None, township.id):
        abort(404)
    having = MonthStatus.from_arg(request.args.get("status"))
    page = grid_page(
        township, year, day, having=having, statuses=None if every is None else every.get(township.id, {})
    )
    # The picker's count of each township is its grid's rows, as the grid counts them.
    counts = {township_id: len(rows) for township_id, rows in (every or {}).items()}
    return render_template(
        "progress/grid.html",
        township=township,
        townships=townships,
        counts=counts,
        year=year,
        year_problem=year_problem,
        having=having,
        rows=page.items,
        page=page,
        totals=page.totals,
        MonthStatus=MonthStatus,
        this_month=month_of(day),
    )


@bp.get("/progress/disputes")
@roles_required(Role.presidium, Role.county, Role.admin)
def disputes():
    """Supervisors' disputes (监督员异议) on a year's reports, of one township when chosen: the list
    behind the county view's count."""
    township_id = chosen_township_id()
    year, year_problem = chosen_year(request.args.get("year"), today().year)
    return render_template(
        "progress/disputes.html",
        page=year_disputes(current_user, township_id, year, DISPUTES_PER_PAGE),
        township=db.session.get(Township, township_id) if township_id else None,
        townships=visible_townships(current_user),
        year=year,
        year_problem=year_problem,
    )


# ---- notifications (提醒) ---------------------------------------------------------------------------


@bp.get("/notifications")
@login_required
def notifications():
    rows = (
        db.session.execute(
            select(Notification)
            .where(Notification.user_id == current_user.id)
            .options(joinedload(Notification.item))
            .order_by(Notification.read_at.is_not(None), Notification.id.desc())
            .limit(NOTIFICATIONS_SHOWN)
        )
        .scalars()
        .all()
    )
    return render_template("progress/notifications.html", notifications=rows, form=MarkReadForm())


@bp.post("/notifications/read")
@login_required
def notifications_read():
    form = MarkReadForm()
    if not form.validate():
        abort(400)
    wanted = request.form.get("id")
    if wanted is not None and as_id(wanted) is None:
        abort(400)
    operations.mark_read(current_user, None if wanted is None else [as_id(wanted)])
    return redirect(url_for("progress.notifications"))


@bp.app_context_processor
def unread_notifications():
    """The navbar's bell: how many unread notifications the signed-in user has (one small query)."""

    def count() -> int:
        if not current_user or not current_user.is_authenticated:
            return 0
        return db.session.execute(
            select(func.count(Notification.id)).where(
                Notification.user_id == current_user.id, Notification.read_at.is_(None)
            )
        ).scalar_one()

    return {"unread_notification_count": count}


# Feedback lists mark each verdict its supervisor has since replaced (progress/_macros.html).
bp.add_app_template_global(current_verdicts, "current_verdicts")


# ---- the item page's part ---------------------------------------------------------------------------


@bp.app_template_global()
def item_progress(item: Item) -> dict:
    """What the item page shows of the monthly cycle: every report version with its feedback."""
    history = queries.item_history(item)
    report_ids = [r.id for versions in history.values() for r in versions]
    return {
        "history": history,
        "files": _files_for(report_ids) if report_ids else {},
        "can_report": item.is_lead_clerk(current_user) and bool(operations.owed_months(item, today())),
        "is_supervisor": current_user.supervises(item),
    }


@bp.app_template_global()
def progress_summary() -> dict:
    """The home page's line about this month's reports, for the signed-in user's role."""
    day = today()
    summary = {"month": month_of(day), "role": current_user.role.value}
    if current_user.role is Role.government and current_user.office_id is not None:
        summary.update(office_counts(current_user.township, current_user.office_id, day))
    elif current_user.role is Role.deputy and current_user.deputy_id is not None:
        summary.update(deputy_counts(current_user.township, current_user.deputy_id, day))
    elif current_user.role is Role.presidium:
        summary.update(presidium_counts(current_user.township, day))
    return summary
