"""The signed-in side of the collection: the presidium's periods and decisions, deputies' and offices'
proposals (on the phone)."""

from __future__ import annotations

import segno
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core import idempotency
from ..core.errors import DomainError, page_refused, refusal_shows
from ..core.permissions import Role, get_visible_or_404, roles_required, visible_records
from ..core.public_urls import public_url
from ..extensions import db
from ..org.models import Township
from . import operations
from .forms import ActionForm, MergeForm, PeriodForm, ProposalForm, RejectForm
from .models import Proposal, ProposalPeriod, ProposalState
from .queries import events_of, merge_choices, periods_of, proposals_by, proposals_of, state_counts
from .vote_queries import proposal_fates, vote_origin
from .workflow import EVENT_LABELS, WORKFLOW, ProposalInput

bp = Blueprint("livelihood", __name__, url_prefix="/livelihood")

STAFF = (Role.presidium, Role.county, Role.admin)
PROPOSERS = (Role.deputy, Role.government)


def form_qr(period: ProposalPeriod) -> str:
    """The public form's address as a QR image (an SVG data URI), for posters and the period page."""
    url = public_url("livelihood_public.new_proposal", slug=period.township.slug)
    return segno.make(url, error="m").svg_data_uri(scale=6, border=2)


@bp.get("/")
@login_required
def index():
    if current_user.role in PROPOSERS:
        return redirect(url_for("livelihood.my_proposals"))
    periods = list(
        db.session.execute(
            visible_records(ProposalPeriod).order_by(ProposalPeriod.township_id, ProposalPeriod.year.desc())
        ).scalars()
    )
    form = PeriodForm(formdata=None) if current_user.role is Role.presidium else None
    return render_template("livelihood/index.html", periods=periods, form=form)


@bp.post("/periods/new")
@roles_required(Role.presidium)
def period_new():
    form = PeriodForm()
    township = db.session.get(Township, current_user.township_id)
    periods = periods_of(current_user.township_id)

    def refused(error: DomainError):
        return render_template("livelihood/index.html", periods=periods, form=form, error=error.message), 409

    if not form.validate_on_submit():
        return render_template("livelihood/index.html", periods=periods, form=form), 400
    with refusal_shows(refused):
        period = operations.create_period(
            current_user, township, form.year.data, form.starts_on.data, form.ends_on.data
        )
    flash(_("已建立%(year)s年民生实事项目征集；开始征集后，群众即可提交建议。", year=period.year), "success")
    return redirect(url_for("livelihood.period_detail", period_id=period.id))


def _period_page(period: ProposalPeriod, error: str | None = None, status: int = 200, form=None):
    state = ProposalState.from_arg(request.args.get("state"))
    proposals = proposals_of(period, state)
    return render_template(
        "livelihood/period.html",
        period=period,
        proposals=proposals,
        listed=proposal_fates(proposals),
        counts=state_counts(period),
        state=state,
        states=list(ProposalState),
        qr=form_qr(period),
        public_form_url=public_url("livelihood_public.new_proposal", slug=period.township.slug),
        action_form=ActionForm(formdata=None),
        dates_form=form or PeriodForm(formdata=None, obj=period),
        error=error,
    ), status


@bp.get("/periods/<int:period_id>")
@roles_required(*STAFF)
def period_detail(period_id: int):
    return _period_page(get_visible_or_404(ProposalPeriod, period_id))


@bp.post("/periods/<int:period_id>/<any(open, close, dates):action>")
@roles_required(Role.presidium)
def period_action(period_id: int, action: str):
    period = get_visible_or_404(ProposalPeriod, period_id)
    form = PeriodForm() if action == "dates" else ActionForm()
    if action == "dates":
        form.year.data = period.year
    if not form.validate_on_submit():
        return _period_page(
            period, _("请修改下面标红的内容后再提交。"), 400, form if action == "dates" else None
        )
    with refusal_shows(page_refused(_period_page, period)):
        if action == "open":
            operations.open_period(current_user, period)
        elif action == "close":
            operations.close_period(current_user, period)
        else:
            operations.update_period_dates(current_user, period, form.starts_on.data, form.ends_on.data)
    flash(period.status_text, "success")
    return redirect(url_for("livelihood.period_detail", period_id=period.id))


@bp.get("/periods/<int:period_id>/poster")
@roles_required(*STAFF)
def period_poster(period_id: int):
    period = get_visible_or_404(ProposalPeriod, period_id)
    url = public_url("livelihood_public.new_proposal", slug=period.township.slug)
    return render_template("livelihood/poster.html", period=period, qr=form_qr(period), url=url)


# The item page (lists, a lower layer) links a chosen item's vote and source proposals through it.
bp.add_app_template_global(vote_origin, "vote_origin")


# ---- proposing (deputies, offices) ------------------------------------------------------------------


@bp.get("/mine")
@roles_required(*PROPOSERS)
def my_proposals():
    open_periods = [p for p in periods_of(current_user.township_id) if p.is_open]
    proposals = proposals_by(current_user)
    return render_template(
        "livelihood/mine.html",
        proposals=proposals,
        listed=proposal_fates(proposals),
        period=open_periods[0] if open_periods else None,
    )


@bp.route("/periods/<int:period_id>/proposals/new", methods=["GET", "POST"])
@roles_required(*PROPOSERS)
def proposal_new(period_id: int):
    period = get_visible_or_404(ProposalPeriod, period_id)
    form = ProposalForm()

    def page(status: int = 200, error: str | None = None):
        return render_template("livelihood/proposal_form.html", period=period, form=form, error=error), status

    if request.method == "GET":
        return page()
    first = idempotency.repeated()
    if first:
        return idempotency.back_to(first)
    if not form.validate_on_submit():
        return page(400)
    with refusal_shows(page_refused(page)):
        first = idempotency.claim(form.submission_key.data)
        if first:
            return idempotency.back_to(first)
        proposal = operations.submit_proposal(period, form.text(), current_user)
    url = url_for("livelihood.proposal_detail", proposal_id=proposal.id)
    idempotency.remember(form.submission_key.data, url)
    flash(_("建议已提交，编号 %(ref)s。主席团审核后会告知结果。", ref=proposal.reference), "success")
    return redirect(url)


# ---- one proposal, the presidium's decisions -------------------------------------------------------


def _detail_page(proposal: Proposal, forms: dict | None = None, error: str | None = None, status: int = 200):
    forms = forms or {}
    merge_form = forms.get("merge") or MergeForm(formdata=None)
    merge_form.kept.choices = [("", _("请选择保留的建议"))] + [
        (p.id, str(p)) for p in merge_choices(proposal)
    ]
    return render_template(
        "livelihood/proposal.html",
        proposal=proposal,
        listed=proposal_fates([proposal]),
        events=events_of(proposal),
        event_labels=EVENT_LABELS,
        actions=WORKFLOW.available(proposal, current_user),
        action_form=forms.get("accept") or forms.get("forward") or ActionForm(formdata=None),
        reject_form=forms.get("reject") or RejectForm(formdata=None),
        merge_form=merge_form,
        # Per proposal: a deputy sees who proposed their own proposal, never the residents merged in.
        sees_proposer=lambda p: current_user.role in STAFF or p.is_proposed_by(current_user),
        error=error,
    ), status


@bp.get("/proposals/<int:proposal_id>")
@login_required
def proposal_detail(proposal_id: int):
    return _detail_page(get_visible_or_404(Proposal, proposal_id))


@bp.post("/proposals/<int:proposal_id>/actions/<action>")
@login_required
def proposal_action(proposal_id: int, action: str):
    proposal = get_visible_or_404(Proposal, proposal_id)
    transition = WORKFLOW.transition_or_abort(proposal, action, current_user)
    form = {"reject": RejectForm, "merge": MergeForm}.get(action, ActionForm)()
    if action == "merge":
        form.kept.choices = [(p.id, str(p)) for p in merge_choices(proposal)]
    if not form.validate_on_submit():
        # The reject and merge forms say it above their own fields: the page does not say it again.
        shown_by_form = action in ("reject", "merge")
        problem = _("请修改下面标红的内容后再提交。") if form.errors and not shown_by_form else None
        return _detail_page(proposal, {action: form}, problem, 409 if form.errors else 400)
    given = ProposalInput()
    if action == "reject":
        given = ProposalInput(reason=form.reason.data)
    elif action == "merge":
        kept = db.session.get(Proposal, form.kept.data)
        given = ProposalInput(
            kept=kept if kept is not None and kept.township_id == proposal.township_id else None
        )
    with refusal_shows(page_refused(_detail_page, proposal, {action: form})):
        operations.decide(current_user, proposal, action, given)
    flash(_("%(ref)s：已%(action)s。", ref=proposal.reference, action=transition.label), "success")
    return redirect(url_for("livelihood.proposal_detail", proposal_id=proposal.id))


# The vote plan's pages (初定 / 审议) live on this blueprint too.
from . import plan_views, vote_views  # noqa: E402, F401
