"""The evaluation blueprint (``evaluation.*``) and what its view modules share: the meeting looked up
for the current user, the way back to a meeting's page, and the meeting's page itself (the page a
refused step on it shows again).

The routes live in one module per activity (meeting_views, document_views) and the hall's pages are
the engine's (ballots/hall_views.py); views.py registers them all on the blueprint.
"""

from __future__ import annotations

from flask import Blueprint, abort, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..ballots.tally import reconcile, turnout
from ..core.clock import today
from ..core.enums import N_
from ..core.permissions import Role, get_visible_or_404
from ..uploads.storage import attachments_for
from .forms import ActionForm, OpenVotingForm
from .models import GRADES, HALL_STATES, REPORT_OWNER, VOTED_STATES, EvaluationMeeting, Mark, MeetingState
from .operations import quorum_problem, result_problem
from .queries import item_candidates, load_lines
from .rules import percent

bp = Blueprint("evaluation", __name__)
READERS = (Role.presidium, Role.county, Role.admin)


@bp.app_template_filter("rate")
def _rate(value) -> str:
    return percent(value)


@bp.context_processor
def _marks():
    return {
        "GRADES": GRADES,
        "Mark": Mark,
        "MeetingState": MeetingState,
        "HALL_STATES": HALL_STATES,
        # Asked before recording the results on the items, on the meeting page and the results page.
        "CONFIRM_APPLY": _(
            "测评结果将登记到每个测评事项：已报完成或已核实的“不满意”事项退回监督，登记后不能撤回。确定登记吗？"
        ),
    }


def meeting_or_404(meeting_id: int) -> EvaluationMeeting:
    """The meeting, if the current user may see its township; else a 404."""
    return get_visible_or_404(EvaluationMeeting, meeting_id)


def posted_meeting_or_404(meeting_id: int) -> EvaluationMeeting:
    """The meeting a button posts to; when the button's form has expired, its page again (a 400)."""
    meeting = meeting_or_404(meeting_id)
    if not ActionForm().validate_on_submit():
        abort(make_response(expired_page(meeting)))
    return meeting


def redirect_to(meeting: EvaluationMeeting, endpoint: str = "evaluation.meeting_detail", **args):
    """A redirect to one of the meeting's pages (its detail page unless ``endpoint`` says another)."""
    return redirect(url_for(endpoint, meeting_id=meeting.id, **args))


def detail_page(
    meeting: EvaluationMeeting,
    error: str | None = None,
    status: int = 200,
    open_form: OpenVotingForm | None = None,
):
    """The meeting's page: its state, numbers and buttons; ``error`` says why a step was refused
    (``open_form``: the open-voting form as typed, shown again)."""
    load_lines(meeting)  # each line's item state and problems are shown: one query for all
    running = meeting.state in VOTED_STATES
    can_run = meeting.is_run_by(current_user)
    find = request.args.get("find", "")[:40] if can_run and meeting.state is MeetingState.preparing else ""
    return render_template(
        "evaluation/detail.html",
        meeting=meeting,
        numbers=turnout(meeting),
        quorum_problem=quorum_problem(meeting) if meeting.state is MeetingState.roll_call else None,
        check=reconcile(meeting) if running else None,
        can_run=can_run,
        form=ActionForm(),
        error=error,
        report_files=attachments_for(REPORT_OWNER, [meeting.id])[meeting.id],
        find=find,
        candidates=item_candidates(meeting, find),
        line_problems=_line_problems(meeting),
        open_form=open_form or OpenVotingForm(formdata=None),
        opens_early=today() < meeting.held_on,
    ), status


def _line_problems(meeting: EvaluationMeeting) -> dict[int, str]:
    """Before voting closes, the rated items whose result could not be recorded: {line id: why}."""
    if meeting.state is MeetingState.closed:
        return {}
    return {
        line.id: problem
        for line in meeting.lines
        if line.item is not None and (problem := result_problem(meeting, line.item))
    }


EXPIRED = N_("页面已过期，请刷新后重试。")


def expired_page(meeting: EvaluationMeeting):
    """The meeting's page again when a button's form did not validate: its CSRF token has expired."""
    return detail_page(meeting, _(EXPIRED), 400)


def errors_of(form) -> list[str]:
    """Every message of a form that did not validate, in field order."""
    return [str(message) for messages in form.errors.values() for message in messages]
