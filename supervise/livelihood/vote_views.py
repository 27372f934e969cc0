"""The vote's pages on the livelihood blueprint: setting up the vote on a fixed plan, a round's page
(its course: roll call, voting, closing; the hall's pages are the engine's, registered below),
the results, a run-off, publishing, and the printed ballot papers and result report."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..ballots import hall
from ..ballots.approval import PassBase
from ..ballots.hall_views import register_hall
from ..ballots.models import HALL_STATES, MeetingState
from ..ballots.tally import reconcile, turnout
from ..core.clock import today
from ..core.documents import document_response
from ..core.downloads import send_document
from ..core.errors import form_refused, page_refused, refusal_shows
from ..core.permissions import Role, get_visible_or_404, roles_required
from . import vote_documents as documents
from . import vote_operations as ops
from .plan_forms import ButtonForm
from .plan_models import PlanState, VotePlan
from .views import bp
from .vote_forms import QUORUMS, OpenVotingForm, VoteSetupForm
from .vote_models import VoteRound
from .vote_queries import published_result

READERS = (Role.presidium, Role.county, Role.admin, Role.deputy, Role.government)


def round_or_404(meeting_id: int) -> VoteRound:
    """A round of a vote, if the current user may see its township; else a 404."""
    return get_visible_or_404(VoteRound, meeting_id)


def _vote_page(
    plan: VotePlan, form: VoteSetupForm | None = None, error: str | None = None, status: int = 200
):
    rounds = ops.rounds_of(plan)
    can_run = current_user.is_presidium_of(plan.township_id)
    if form is None and can_run and not rounds and plan.state is PlanState.FIXED:
        form = VoteSetupForm(formdata=None)
    settled = ops.outcome(plan)
    return render_template(
        "livelihood/vote.html",
        plan=plan,
        rounds=rounds,
        outcome=settled,
        titles={c.id: c.title for c in plan.candidates},
        published=published_result(plan.township_id, plan.year),
        can_run=can_run,
        form=form,
        button_form=ButtonForm(formdata=None),
        last_closed=bool(rounds) and rounds[-1].state is MeetingState.closed,
        error=error,
    ), status


@bp.get("/plans/<int:plan_id>/vote")
@login_required
def vote_overview(plan_id: int):
    return _vote_page(get_visible_or_404(VotePlan, plan_id))


@bp.post("/plans/<int:plan_id>/vote")
@roles_required(Role.presidium)
def vote_setup(plan_id: int):
    plan = get_visible_or_404(VotePlan, plan_id)
    form = VoteSetupForm()
    if not form.validate_on_submit():
        return _vote_page(plan, form, None, 400)  # the form says it once, above its fields
    numerator, denominator, strict = QUORUMS.get(form.quorum.data, QUORUMS["two_thirds"])
    setup = ops.VoteSetup(
        held_on=form.held_on.data,
        place=form.place.data or "",
        quorum_numerator=numerator,
        quorum_denominator=denominator,
        quorum_strict=strict,
        pass_base=PassBase(form.pass_base.data),
        runoffs=form.runoffs.data if form.runoffs.data is not None else 1,
        results_hidden_until_closed=not form.live_results.data,
    )
    with refusal_shows(form_refused(form, lambda status: _vote_page(plan, form, None, status))):
        vote = ops.create_vote(current_user, plan, setup)
    flash(_("已组织票决：%(title)s。", title=vote.title), "success")
    return redirect(url_for("livelihood.meeting_detail", meeting_id=vote.id))


def _round_page(vote: VoteRound, error: str | None = None, status: int = 200, open_form=None):
    numbers = turnout(vote)
    shown = ops.round_result(vote) if vote.results_visible else None
    check = reconcile(vote) if vote.state is MeetingState.voting else None
    # A refused close already lists what the reconciliation finds off: the page says it once.
    told = bool(error and check and check.problems and all(p in error for p in check.problems))
    return render_template(
        "livelihood/vote_round.html",
        meeting=vote,
        vote=vote,
        plan=vote.plan,
        numbers=numbers,
        result=shown.result if shown else None,
        titles=shown.titles if shown else {},
        can_run=vote.is_run_by(current_user),
        quorum_problem=hall.quorum_problem(vote) if vote.state in HALL_STATES else None,
        reconciliation=check,
        reconciliation_told=told,
        form=ButtonForm(formdata=None),
        open_form=open_form or OpenVotingForm(formdata=None),
        opens_early=today() < vote.held_on,
        today=today(),
        error=error,
    ), status


@bp.get("/votes/<int:meeting_id>")
@roles_required(*READERS)
def meeting_detail(meeting_id: int):
    return _round_page(round_or_404(meeting_id))


@bp.get("/votes/<int:meeting_id>/results")
@roles_required(*READERS)
def results_page(meeting_id: int):
    return redirect(url_for("livelihood.meeting_detail", meeting_id=round_or_404(meeting_id).id) + "#results")


@bp.post("/votes/<int:meeting_id>/actions/<any(start_roll_call, close_voting):action>")
@roles_required(Role.presidium)
def meeting_action(meeting_id: int, action: str):
    vote = round_or_404(meeting_id)
    if not ButtonForm().validate_on_submit():
        return _round_page(vote, _("页面已过期，请刷新后重试。"), 400)
    with refusal_shows(page_refused(_round_page, vote)):
        if action == "start_roll_call":
            ops.start_roll_call(current_user, vote)
            flash(_("开始点名。"), "success")
        else:
            ops.close_round(current_user, vote)
            flash(_("投票已结束，结果见下。"), "success")
    return redirect(url_for("livelihood.meeting_detail", meeting_id=vote.id))


@bp.post("/votes/<int:meeting_id>/open")
@roles_required(Role.presidium)
def open_voting(meeting_id: int):
    vote = round_or_404(meeting_id)
    form = OpenVotingForm()
    if not form.validate_on_submit():
        return _round_page(vote, _("页面已过期，请刷新后重试。"), 400, form)
    reason = (form.early_reason.data or "") if form.start_early.data else ""
    with refusal_shows(page_refused(_round_page, vote, open_form=form)):
        hall.open_voting(current_user, vote, reason)
    flash(_("投票开始。"), "success")
    return redirect(url_for("livelihood.meeting_detail", meeting_id=vote.id))


def _posted_plan(plan_id: int) -> VotePlan:
    """The plan a one-click button posts to; a 400 when the button's form has expired."""
    plan = get_visible_or_404(VotePlan, plan_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    return plan


@bp.post("/plans/<int:plan_id>/runoff")
@roles_required(Role.presidium)
def vote_runoff(plan_id: int):
    plan = _posted_plan(plan_id)
    with refusal_shows(page_refused(_vote_page, plan)):
        vote = ops.create_runoff(current_user, plan)
    flash(_("已安排另行投票：%(n)d 个候选项目，选出 %(p)d 个。", n=len(vote.lines), p=vote.places), "success")
    return redirect(url_for("livelihood.meeting_detail", meeting_id=vote.id))


@bp.post("/plans/<int:plan_id>/publish")
@roles_required(Role.presidium)
def vote_publish(plan_id: int):
    plan = _posted_plan(plan_id)
    with refusal_shows(page_refused(_vote_page, plan)):
        result = ops.publish_result(current_user, plan)
    flash(
        _(
            "票决结果已公布：当选 %(n)d 个项目，已列入%(year)s年民生实事项目清单。",
            n=result.chosen,
            year=plan.year,
        ),
        "success",
    )
    return redirect(url_for("livelihood.vote_overview", plan_id=plan.id))


@bp.get("/votes/<int:meeting_id>/sheets.pdf")
@roles_required(Role.presidium, Role.admin)
def vote_sheets_pdf(meeting_id: int):
    vote = round_or_404(meeting_id)
    return document_response(
        ops.SHEETS_KIND,
        vote,
        lambda pdf: send_document(
            pdf,
            "application/pdf",
            documents.file_name(vote.plan, _("表决票")),
            f"ballots-{vote.year}-{vote.number}.pdf",
            as_attachment=request.args.get("download") == "1",
        ),
    )


@bp.get("/plans/<int:plan_id>/result.pdf")
@login_required
def vote_report_pdf(plan_id: int):
    plan = get_visible_or_404(VotePlan, plan_id)
    if not ops.closed_rounds(plan):
        abort(404)
    return document_response(
        ops.REPORT_KIND,
        plan,
        lambda pdf: send_document(
            pdf,
            "application/pdf",
            documents.file_name(plan, _("票决结果报告")),
            f"vote-result-{plan.year}.pdf",
            as_attachment=request.args.get("download") == "1",
        ),
    )


# The hall (roll call, hand-out, paper entry, the big screen) is the engine's, as the evaluation's is.
register_hall(bp, "/votes", round_or_404, (Role.presidium, Role.county, Role.admin))
