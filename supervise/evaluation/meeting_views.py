"""Setting up and running a meeting as a whole: the list, a new meeting, its page, what is rated, its
rules, the steps from roll call to closing, and the results."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from ..ballots.tally import turnout
from ..core.clock import today
from ..core.errors import form_refused, page_refused, refusal_shows
from ..core.fields import as_ids
from ..core.permissions import Role, roles_required
from ..extensions import db
from ..lists.models import Item
from . import operations
from .blueprint import (
    READERS,
    bp,
    detail_page,
    errors_of,
    expired_page,
    meeting_or_404,
    posted_meeting_or_404,
    redirect_to,
)
from .forms import ActionForm, MeetingForm, OpenVotingForm, PublishForm, RulesForm
from .models import CommentsLayout, EvaluationMeeting, MeetingState
from .overall import overall_of
from .publishing import default_title, published_result_of
from .queries import load_lines, meeting_sizes, visible_meetings
from .rules import Denominator
from .tally import results


@bp.get("/evaluation/")
@roles_required(*READERS)
def meeting_list():
    meetings = db.session.execute(visible_meetings(current_user)).scalars().all()
    return render_template(
        "evaluation/list.html",
        meetings=meetings,
        sizes=meeting_sizes([m.id for m in meetings]),
        can_create=current_user.role is Role.presidium,
        many_townships=current_user.role in (Role.county, Role.admin),
    )


def _rules_from(form: RulesForm) -> operations.MeetingRules:
    return operations.MeetingRules(
        satisfied_percent=form.satisfied_percent.data,
        basic_percent=form.basic_percent.data,
        satisfied_strict=bool(form.satisfied_strict.data),
        basic_strict=bool(form.basic_strict.data),
        denominator=Denominator(form.denominator.data),
        quorum_numerator=form.quorum_numerator.data,
        quorum_denominator=form.quorum_denominator.data,
        quorum_strict=form.quorum_strict.data,
        results_hidden_until_closed=form.results_hidden_until_closed.data,
        comments_layout=CommentsLayout(form.comments_layout.data),
    )


@bp.route("/evaluation/new", methods=["GET", "POST"])
@roles_required(Role.presidium)
def meeting_new():
    form = MeetingForm()
    if request.method == "GET":
        form.year.data = today().year
        form.held_on.data = today()
    if form.validate_on_submit():
        with refusal_shows(form_refused(form, "evaluation/form.html")):
            meeting = operations.create_meeting(
                current_user,
                year=form.year.data,
                held_on=form.held_on.data,
                place=form.place.data,
                rules=_rules_from(form),
            )
        flash(_("评议会已创建：%(title)s。", title=meeting.title), "success")
        return redirect_to(meeting)
    return render_template("evaluation/form.html", form=form), 400 if form.errors else 200


@bp.get("/evaluation/<int:meeting_id>")
@roles_required(*READERS)
def meeting_detail(meeting_id: int):
    return detail_page(meeting_or_404(meeting_id))


ACTIONS = {
    "start_roll_call": (operations.start_roll_call, "evaluation.roll_call", _l("已开始点名。")),
    "close_voting": (operations.close_voting, "evaluation.results_page", _l("投票已结束，账目平衡。")),
}


@bp.post("/evaluation/<int:meeting_id>/actions/open_voting")
@roles_required(Role.presidium)
def open_voting(meeting_id: int):
    """Open the vote; before the meeting's date only as an explicit early start with its reason."""
    meeting = meeting_or_404(meeting_id)
    form = OpenVotingForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            return expired_page(meeting)
        return detail_page(meeting, " ".join(errors_of(form)), 400, open_form=form)
    reason = form.early_reason.data if form.start_early.data else ""
    with refusal_shows(page_refused(detail_page, meeting, open_form=form)):
        operations.open_voting(current_user, meeting, early_reason=reason)
    flash(_("投票已开始。"), "success")
    return redirect_to(meeting, "evaluation.ballots")


@bp.post("/evaluation/<int:meeting_id>/actions/<action>")
@roles_required(Role.presidium)
def meeting_action(meeting_id: int, action: str):
    meeting = meeting_or_404(meeting_id)
    form = ActionForm()
    if action not in ACTIONS and action != "apply_results":
        return detail_page(meeting, _("未知的操作。"), 404)
    if not form.validate_on_submit():
        return expired_page(meeting)
    with refusal_shows(page_refused(detail_page, meeting)):
        if action == "apply_results":
            applied, _waiting = operations.apply_results(current_user, meeting)
        else:
            operation, endpoint, message = ACTIONS[action]
            operation(current_user, meeting)
    if action == "apply_results":
        # Each item left waiting is named with its reason on the results page itself.
        flash(_("已将 %(n)d 个事项的测评结果登记到事项。", n=applied), "success")
        return redirect_to(meeting, "evaluation.results_page")
    flash(str(message), "success")
    return redirect_to(meeting, endpoint)


@bp.post("/evaluation/<int:meeting_id>/lines")
@roles_required(Role.presidium)
def meeting_lines(meeting_id: int):
    meeting = posted_meeting_or_404(meeting_id)
    return _change_lines(
        meeting,
        as_ids(request.form.getlist("remove")),
        operations.remove_lines,
        _("请先勾选要移出测评的项目。"),
        lambda n: _("已移出 %(n)d 项。", n=n),
    )


@bp.post("/evaluation/<int:meeting_id>/items")
@roles_required(Role.presidium)
def meeting_items(meeting_id: int):
    """Rate more of the township's items (any year) than the default, while the meeting is prepared."""
    meeting = posted_meeting_or_404(meeting_id)
    ids = as_ids(request.form.getlist("item"))
    items = (
        db.session.execute(select(Item).where(Item.id.in_(ids), Item.township_id == meeting.township_id))
        .scalars()
        .all()
        if ids
        else []
    )
    return _change_lines(
        meeting,
        items,
        operations.add_item_lines,
        _("请先勾选要加入测评的事项。"),
        lambda n: _("已加入 %(n)d 项测评内容。", n=n),
    )


def _change_lines(meeting: EvaluationMeeting, chosen: list, change, nothing_chosen: str, done):
    """Remove or add rated lines: nothing chosen is a 400; else changed, and how many flashed."""
    if not chosen:
        return detail_page(meeting, nothing_chosen, 400)
    with refusal_shows(page_refused(detail_page, meeting)):
        count = change(current_user, meeting, chosen)
    flash(done(count), "success")
    return redirect_to(meeting)


@bp.route("/evaluation/<int:meeting_id>/rules", methods=["GET", "POST"])
@roles_required(Role.presidium)
def meeting_rules(meeting_id: int):
    """The chair edits the grade rule, the quorum and when results show, while preparing."""
    meeting = meeting_or_404(meeting_id)
    if not meeting.is_run_by(current_user):
        return detail_page(meeting, _("只有本镇主席团可以主持民主评议会。"), 403)
    form = RulesForm(obj=meeting) if request.method == "GET" else RulesForm()
    if request.method == "GET" and meeting.state is not MeetingState.preparing:
        return redirect_to(meeting)
    if form.validate_on_submit():
        with refusal_shows(form_refused(form, "evaluation/form.html", meeting=meeting)):
            operations.update_rules(current_user, meeting, _rules_from(form))
        flash(_("评定规则已保存。"), "success")
        return redirect_to(meeting)
    return render_template("evaluation/form.html", form=form, meeting=meeting), 400 if form.errors else 200


@bp.get("/evaluation/<int:meeting_id>/results")
@roles_required(*READERS)
def results_page(meeting_id: int):
    return results_view(meeting_or_404(meeting_id))


def results_view(
    meeting: EvaluationMeeting,
    publish_form: PublishForm | None = None,
    error: str | None = None,
    status: int = 200,
):
    """The results page; ``publish_form`` as typed and ``error`` when publishing was refused."""
    load_lines(meeting)
    numbers = turnout(meeting)
    rows = results(meeting, numbers) if meeting.results_visible else None
    return render_template(
        "evaluation/results.html",
        meeting=meeting,
        numbers=numbers,
        results=rows,
        # Once voting is closed: the overall rate against the year before, as the summary prints it.
        overall=overall_of(meeting, rows)
        if rows is not None and meeting.state is MeetingState.closed
        else None,
        can_run=meeting.is_run_by(current_user),
        form=ActionForm(),
        published=published_result_of(meeting) if meeting.state is MeetingState.closed else None,
        not_recorded=_not_recorded(meeting),
        publish_form=publish_form or _publish_form(meeting),
        error=error,
    ), status


def _publish_form(meeting: EvaluationMeeting) -> PublishForm:
    form = PublishForm(formdata=None)
    if meeting.state is MeetingState.closed:
        form.title.data = default_title(meeting)
    return form


def _not_recorded(meeting: EvaluationMeeting) -> dict[int, str]:
    """Why a closed meeting's rated items have no result recorded yet: {line id: reason}."""
    if meeting.state is not MeetingState.closed:
        return {}
    return {
        r.line.id: problem
        for r in results(meeting)
        if r.line.item is not None
        and r.line.applied_at is None
        and (problem := operations.result_problem(meeting, r.line.item, r))
    }
