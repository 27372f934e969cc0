"""The item page (事项详情) and what is done from it: the workflow's actions and a suggestion's answer."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..core.clock import today
from ..core.errors import DomainError, form_refused, refusal_shows
from ..core.permissions import Role
from ..extensions import db
from ..org.models import Deputy
from . import operations
from .blueprint import bp, item_or_404, office_and_deputy_choices, records
from .forms import ActionForm, AnswerForm
from .models import ON_LIST_STATES, AnswerClass, Item, ItemEvent, Rating, SupervisorAssignment
from .queries import supervised_item_counts
from .workflow import TRANSITIONS, WORKFLOW

# Actions that need more than a click: they get a form page first.
ACTIONS_WITH_FORM = {
    "assign",
    "report_done",
    "confirm_done",
    "reject",
    "record_result",
    "withdraw",
    "carry_over",
}


@bp.app_template_global()
def item_transition(action: str):
    """A row of the item workflow by name, for pages of other domains that show its buttons (销号
    on the evaluation's results): its label, style and confirmation come from the one table."""
    return TRANSITIONS[action]


@bp.app_template_global()
def item_may(item: Item, action: str) -> bool:
    """Whether the signed-in user may fire this item action now, as the item's own panel says."""
    return WORKFLOW.may_fire(item, action, current_user)


@bp.get("/items/<int:item_id>")
@login_required
def item_detail(item_id: int):
    item = (
        db.session.execute(
            select(Item)
            .where(Item.id == item_id)
            .options(
                joinedload(Item.supervision_list),
                joinedload(Item.lead_office),
                selectinload(Item.assisting_offices),
                selectinload(Item.joint_lead_offices),
                selectinload(Item.proposers),
                selectinload(Item.assignments).joinedload(SupervisorAssignment.deputy),
                selectinload(Item.events).joinedload(ItemEvent.actor),
            )
        )
        .unique()
        .scalar_one_or_none()
    )
    if item is None or not current_user.can_see_township(item.township_id):
        abort(404)
    return render_template(
        "lists/item_detail.html",
        item=item,
        actions=WORKFLOW.available(item, current_user),
        actions_with_form=ACTIONS_WITH_FORM,
        can_edit=WORKFLOW.may_fire(item, "amend", current_user),
        can_answer=WORKFLOW.may_fire(item, "answer", current_user),
        # The presidium can turn a problem with the item into a follow-up sheet (督办单) from here.
        can_draft_sheet=current_user.is_presidium_of(item.township_id) and item.state in ON_LIST_STATES,
        today=today(),
        transitions=TRANSITIONS,
    )


def _action_context(form: ActionForm, item: Item) -> dict:
    # Keep duplicates and refuse unknown ids, so the engine's guard judges exactly what was chosen.
    chosen = form.deputy_ids.data or []
    found = {d.id: d for d in records(Deputy, chosen)}
    if any(deputy_id not in found for deputy_id in chosen):
        raise DomainError(_("所选的代表不存在。"))
    deputies = [found[deputy_id] for deputy_id in chosen]
    return {
        "reason": form.reason.data or "",
        "decision": form.decision.data or "",
        "deputies": deputies,
        "report": form.report.data or "",
        "evidence": form.evidence.data or "",
        "comment": form.comment.data or "",
        "rating": Rating(form.rating.data) if form.rating.data else None,
    }


@bp.route("/items/<int:item_id>/actions/<action>", methods=["GET", "POST"])
@login_required
def item_action(item_id: int, action: str):
    item = item_or_404(item_id)
    transition = WORKFLOW.transition_or_abort(item, action, current_user, panel_only=True)
    form = ActionForm()
    office_and_deputy_choices(form, item.township_id)
    if action == "assign":
        _with_supervised_counts(form, item)
    if request.method == "GET":
        form.deputy_ids.data = [d.id for d in item.supervisors]
    if form.validate_on_submit():
        if action not in ACTIONS_WITH_FORM:  # a one-click action: the 409 page explains a refusal
            operations.fire(current_user, item, action, **_action_context(form, item))
        else:
            with refusal_shows(
                form_refused(form, "lists/action_form.html", item=item, transition=transition)
            ):
                operations.fire(current_user, item, action, **_action_context(form, item))
        flash(_("已完成：%(action)s。", action=transition.label), "success")
        return redirect(url_for("lists.item_detail", item_id=item_id))
    if action not in ACTIONS_WITH_FORM and request.method == "GET":
        return redirect(url_for("lists.item_detail", item_id=item_id))
    return render_template("lists/action_form.html", form=form, item=item, transition=transition)


def _with_supervised_counts(form: ActionForm, item: Item) -> None:
    """Beside each deputy, how many live items of the item's year they supervise now, so that the
    chair can spread the work (one query for all deputies). The item's year, not today's: next
    year's list is assigned in December."""
    year = item.supervision_list.year
    counts = supervised_item_counts(item.township_id, year)
    form.deputy_ids.choices = [
        (
            deputy_id,
            _("%(deputy)s · %(year)d 年监督 %(n)d 项", deputy=label, year=year, n=counts.get(deputy_id, 0)),
        )
        for deputy_id, label in form.deputy_ids.choices
    ]


@bp.route("/items/<int:item_id>/answer", methods=["GET", "POST"])
@login_required
def item_answer(item_id: int):
    item = item_or_404(item_id, roles=(Role.government,))
    if not WORKFLOW.is_allowed(item, "answer", current_user):
        abort(403)
    form = AnswerForm(obj=item if request.method == "GET" and item.answer_class else None)
    if form.validate_on_submit():
        with refusal_shows(form_refused(form, "lists/answer_form.html", item=item)):
            operations.answer_suggestion(
                current_user, item, AnswerClass(form.answer_class.data), form.answer_text.data
            )
        flash(_("答复已提交。"), "success")
        return redirect(url_for("lists.item_detail", item_id=item_id))
    return render_template("lists/answer_form.html", form=form, item=item)
