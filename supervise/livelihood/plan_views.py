"""The vote plan's pages on the livelihood blueprint: the plan with its candidates, surplus check and
remarks; the candidate form (government, presidium); the remark form (deputies, presidium); the
candidate sheet's PDF."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..core import idempotency
from ..core.clock import today
from ..core.documents import document_response
from ..core.downloads import send_document
from ..core.errors import form_refused, page_refused, refusal_shows
from ..core.permissions import Role, get_visible_or_404, roles_required
from ..extensions import db
from ..org.models import Deputy, Office, Township
from . import plan_operations as ops
from .models import ProposalPeriod
from .plan_documents import file_name
from .plan_forms import ButtonForm, CandidateForm, PlacesForm, PlanForm, RemarkForm
from .plan_models import Candidate, PlanState, VotePlan
from .plan_queries import plan_with_candidates, remarks_of, township_deputies, visible_plans
from .plan_workflow import WORKFLOW
from .queries import periods_of
from .views import bp

EDITORS = (Role.government, Role.presidium)
REMARKERS = (Role.deputy, Role.presidium)


def _plan_form(form: PlanForm | None = None) -> PlanForm:
    form = form or PlanForm(formdata=None)
    periods = periods_of(current_user.township_id)
    form.period_id.choices = [("", _("（不依据征集）"))] + [
        (p.id, _("%(year)s年民生实事项目征集", year=p.year)) for p in periods
    ]
    if form.year.data is None and not form.year.raw_data:
        form.year.data, form.period_id.data = _next_plan(periods)
    return form


def _next_plan(periods: list[ProposalPeriod]) -> tuple[int, int | None]:
    """The year a new plan is most likely for, and its collection: the newest collection whose
    year has no plan yet; else the year after the newest plan, drawing on no collection (never
    silently on a year the congress has already decided)."""
    planned = {plan.year for plan in visible_plans() if plan.township_id == current_user.township_id}
    fresh = next((p for p in periods if p.year not in planned), None)
    if fresh is not None:
        return fresh.year, fresh.id
    return max(max(planned, default=0), today().year) + 1, None


def _plans_page(form: PlanForm | None = None, status: int = 200):
    if current_user.role is Role.presidium:
        form = _plan_form(form)
    return render_template("livelihood/plans.html", plans=visible_plans(), form=form), status


@bp.get("/plans/")
@login_required
def plans():
    return _plans_page()


@bp.post("/plans/new")
@roles_required(Role.presidium)
def plan_new():
    form = _plan_form(PlanForm())
    if not form.validate_on_submit():
        return _plans_page(form, 400)
    period = db.session.get(ProposalPeriod, form.period_id.data) if form.period_id.data else None
    township = db.session.get(Township, current_user.township_id)
    with refusal_shows(form_refused(form, lambda status: _plans_page(form, status))):
        plan = ops.create_plan(
            current_user, township, form.year.data, period, form.places.data, form.surplus_percent.data
        )
    flash(_("已建立%(year)s年民生实事项目票决方案。", year=plan.year), "success")
    return redirect(url_for("livelihood.plan_detail", plan_id=plan.id))


def _plan_page(plan: VotePlan, error: str | None = None, status: int = 200, places_form=None):
    is_presidium = current_user.is_presidium_of(plan.township_id)
    if places_form is None and is_presidium:
        places_form = PlacesForm(formdata=None, obj=plan)
    return render_template(
        "livelihood/plan.html",
        plan=plan,
        candidates=plan_with_candidates(plan),
        check=plan.surplus,
        remarks=remarks_of(plan),
        actions=WORKFLOW.available(plan, current_user),
        button_form=ButtonForm(formdata=None),
        places_form=places_form if is_presidium and plan.state is PlanState.DRAFTING else None,
        can_edit=plan.can_edit_candidates(current_user),
        can_remark=plan.can_remark(current_user),
        error=error,
    ), status


@bp.get("/plans/<int:plan_id>")
@login_required
def plan_detail(plan_id: int):
    return _plan_page(get_visible_or_404(VotePlan, plan_id))


@bp.post("/plans/<int:plan_id>/places")
@roles_required(Role.presidium)
def plan_places(plan_id: int):
    plan = get_visible_or_404(VotePlan, plan_id)
    form = PlacesForm()
    if not form.validate_on_submit():
        return _plan_page(plan, _("请修改下面标红的内容后再提交。"), 400, form)
    with refusal_shows(page_refused(_plan_page, plan, places_form=form)):
        ops.set_places(current_user, plan, form.places.data, form.surplus_percent.data)
    flash(plan.surplus.text, "success" if plan.surplus.ok else "warning")
    return redirect(url_for("livelihood.plan_detail", plan_id=plan.id))


@bp.post("/plans/<int:plan_id>/actions/<action>")
@login_required
def plan_action(plan_id: int, action: str):
    plan = get_visible_or_404(VotePlan, plan_id)
    transition = WORKFLOW.transition_or_abort(plan, action, current_user, panel_only=True)
    if not ButtonForm().validate_on_submit():
        abort(400)
    with refusal_shows(page_refused(_plan_page, plan)):
        ops.fire(current_user, plan, action)
    flash(_("票决方案：已%(action)s。", action=transition.label), "success")
    return redirect(url_for("livelihood.plan_detail", plan_id=plan.id))


@bp.get("/plans/<int:plan_id>/sheet.pdf")
@login_required
def plan_sheet(plan_id: int):
    plan = get_visible_or_404(VotePlan, plan_id)
    return document_response(
        ops.SHEET_KIND,
        plan,
        lambda pdf: send_document(
            pdf,
            "application/pdf",
            file_name(plan),
            f"candidates-{plan.year}.pdf",
            as_attachment=request.args.get("download") == "1",
        ),
    )


# ---- candidates ---------------------------------------------------------------------------------


def _candidate_choices(form: CandidateForm, plan: VotePlan) -> None:
    offices = db.session.execute(
        select(Office).where(Office.township_id == plan.township_id, Office.is_active).order_by(Office.name)
    ).scalars()
    names = [(o.id, o.name) for o in offices]
    form.lead_office_id.choices = [("", "—"), *names]
    form.joint_lead_office_ids.choices = names
    form.proposal_ids.choices = [(p.id, str(p)) for p in ops.offered_proposals(plan)]


def _candidate_page(plan: VotePlan, form: CandidateForm, candidate: Candidate | None, status: int = 200):
    _candidate_choices(form, plan)
    return render_template(
        "livelihood/candidate_form.html",
        plan=plan,
        form=form,
        candidate=candidate,
        editable=plan.can_edit_candidates(current_user),
    ), status


@bp.route("/plans/<int:plan_id>/candidates/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def candidate_new(plan_id: int):
    plan = get_visible_or_404(VotePlan, plan_id)
    form = CandidateForm()
    if not plan.can_edit_candidates(current_user):
        form.form_errors.append(_("候选项目已确定，不能再新增；如需修改，请主席团先退回修改。"))
        return _candidate_page(plan, form, None, 409 if request.method == "POST" else 200)
    if request.method == "GET":
        return _candidate_page(plan, form, None)
    first = idempotency.repeated()
    if first:
        return idempotency.back_to(first)
    if not form.validate_on_submit():
        return _candidate_page(plan, form, None, 400)
    with refusal_shows(form_refused(form, lambda status: _candidate_page(plan, form, None, status))):
        first = idempotency.claim(form.submission_key.data)
        if first:
            return idempotency.back_to(first)
        candidate = ops.create_candidate(current_user, plan, form.text())
    url = url_for("livelihood.plan_detail", plan_id=plan.id)
    idempotency.remember(form.submission_key.data, url)
    flash(_("已新增候选项目：%(title)s。", title=candidate.title), "success")
    return redirect(url)


@bp.route("/candidates/<int:candidate_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def candidate_edit(candidate_id: int):
    candidate = get_visible_or_404(Candidate, candidate_id)
    plan = candidate.plan
    form = CandidateForm(obj=candidate) if request.method == "GET" else CandidateForm()
    if request.method == "GET":
        form.lead_office_id.data = candidate.lead_office_id
        form.joint_lead_office_ids.data = [o.id for o in candidate.joint_lead_offices]
        form.proposal_ids.data = [p.id for p in candidate.proposals]
        return _candidate_page(plan, form, candidate)
    if not form.validate_on_submit():
        return _candidate_page(plan, form, candidate, 400)
    with refusal_shows(form_refused(form, lambda status: _candidate_page(plan, form, candidate, status))):
        ops.update_candidate(current_user, candidate, form.text())
    flash(_("已保存候选项目：%(title)s。", title=candidate.title), "success")
    return redirect(url_for("livelihood.plan_detail", plan_id=plan.id))


@bp.post("/candidates/<int:candidate_id>/<any(withdraw, restore, up, down):action>")
@roles_required(*EDITORS)
def candidate_action(candidate_id: int, action: str):
    candidate = get_visible_or_404(Candidate, candidate_id)
    plan = candidate.plan
    if not ButtonForm().validate_on_submit():
        abort(400)
    with refusal_shows(page_refused(_plan_page, plan)):
        if action in ("withdraw", "restore"):
            ops.withdraw_candidate(current_user, candidate, action == "withdraw")
            flash(
                _("已撤回候选项目：%(title)s。", title=candidate.title)
                if action == "withdraw"
                else _("已恢复候选项目：%(title)s。", title=candidate.title),
                "success",
            )
        else:
            ops.move_candidate(current_user, candidate, -1 if action == "up" else 1)
    return redirect(url_for("livelihood.plan_detail", plan_id=plan.id, _anchor=f"candidate-{candidate.id}"))


# ---- deliberation remarks -----------------------------------------------------------------------


def _remark_page(plan: VotePlan, form: RemarkForm, status: int = 200):
    form.candidate_id.choices = [("", _("（对候选项目整体）"))] + [
        (c.id, f"{n}. {c.title}") for n, c in enumerate(plan.ballot_candidates, start=1)
    ]
    form.deputy_id.choices = [("", _("请选择代表"))] + [
        (d.id, d.name) for d in township_deputies(plan.township_id)
    ]
    return render_template(
        "livelihood/remark_form.html", plan=plan, form=form, for_deputy=current_user.role is Role.presidium
    ), status


@bp.route("/plans/<int:plan_id>/remarks/new", methods=["GET", "POST"])
@roles_required(*REMARKERS)
def remark_new(plan_id: int):
    plan = get_visible_or_404(VotePlan, plan_id)
    form = RemarkForm()
    if request.method == "GET":
        form.candidate_id.data = form.candidate_id.data or request.args.get("candidate", type=int)
        return _remark_page(plan, form)
    if not form.validate_on_submit():
        return _remark_page(plan, form, 400)
    candidate = db.session.get(Candidate, form.candidate_id.data) if form.candidate_id.data else None
    # A deputy's remark is their own; the presidium names the deputy who spoke.
    chosen = form.deputy_id.data if current_user.role is Role.presidium else None
    deputy = db.session.get(Deputy, chosen) if chosen else None
    with refusal_shows(form_refused(form, lambda status: _remark_page(plan, form, status))):
        ops.add_remark(current_user, plan, form.text.data, candidate, deputy)
    flash(_("审议意见已记录。"), "success")
    return redirect(url_for("livelihood.plan_detail", plan_id=plan.id, _anchor="remarks"))


@bp.get("/plans/<int:plan_id>/remarks")
@login_required
def plan_remarks(plan_id: int):
    """The remarks as a list to print (审议意见汇总)."""
    plan = get_visible_or_404(VotePlan, plan_id)
    return render_template("livelihood/remarks_print.html", plan=plan, remarks=remarks_of(plan))
