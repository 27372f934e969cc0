"""A suggestion's answer as its proposers judge it: the opinion page (made for a deputy's phone) and
the presidium's new deadline for fresh handling (重新办理)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.clock import today
from ..core.errors import form_refused, refusal_shows
from . import answers
from .answer_rules import reanswer_window
from .blueprint import bp, item_or_404
from .forms import AnswerOpinionForm, ReanswerDueForm
from .models import Item, ListKind, Rating
from .workflow import WORKFLOW


def _render(item: Item, status: int, form: AnswerOpinionForm | None = None, due_form=None):
    return render_template("lists/opinion.html", **_page(item, form, due_form)), status


def _page(item: Item, form: AnswerOpinionForm | None = None, due_form: ReanswerDueForm | None = None):
    return dict(
        item=item,
        form=form or AnswerOpinionForm(formdata=None),
        due_form=due_form or ReanswerDueForm(formdata=None, data={"due_on": item.reanswer_due}),
        can_judge=WORKFLOW.may_fire(item, "answer_opinion", current_user),
        can_move_due=WORKFLOW.may_fire(item, "reanswer_deadline", current_user),
        window=reanswer_window(item),
        grades=list(Rating),
        today=today(),
    )


def _suggestion_or_404(item_id: int) -> Item:
    item = item_or_404(item_id)
    if item.kind is not ListKind.suggestion:
        abort(404)
    return item


@bp.route("/items/<int:item_id>/opinion", methods=["GET", "POST"])
@login_required
def item_opinion(item_id: int):
    """The proposers' opinions of the answer; a proposer gives theirs here."""
    item = _suggestion_or_404(item_id)
    form = AnswerOpinionForm()
    if form.is_submitted():
        if not WORKFLOW.is_allowed(item, "answer_opinion", current_user):
            abort(403)
        if form.validate_on_submit():
            with refusal_shows(form_refused(form, lambda status: _render(item, status, form=form))):
                opinion = Rating(form.opinion.data) if form.opinion.data else None
                answers.give_answer_opinion(current_user, item, opinion, form.comment.data or "")
            if item.reanswer_due is not None:
                flash(
                    _("意见已提交。建议将重新办理，承办单位须于 %(day)s 前重新答复。", day=item.reanswer_due),
                    "success",
                )
            else:
                flash(_("意见已提交，谢谢。"), "success")
            return redirect(url_for("lists.item_opinion", item_id=item.id))
        return _render(item, 409, form=form)
    return _render(item, 200)


@bp.post("/items/<int:item_id>/reanswer-due")
@login_required
def item_reanswer_due(item_id: int):
    """The presidium moves the answer deadline of the fresh handling."""
    item = _suggestion_or_404(item_id)
    if not WORKFLOW.is_allowed(item, "reanswer_deadline", current_user):
        abort(403)
    form = ReanswerDueForm()
    if not form.validate_on_submit():
        return _render(item, 409, due_form=form)
    with refusal_shows(form_refused(form, lambda status: _render(item, status, due_form=form))):
        answers.set_reanswer_due(current_user, item, form.due_on.data, form.reason.data or "")
    flash(_("重新办理的答复期限已调整为 %(day)s。", day=item.reanswer_due), "success")
    return redirect(url_for("lists.item_opinion", item_id=item.id))
