"""The hall: roll call, handing out ballots (paper sheets and phone codes), the serials and codes
behind them, undoing a clerk's mistake, and the big screen (projection).

Deputy ids travel in form bodies, never in URLs: access logs then hold no record of who received a
ballot, or when.
"""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..ballots import adjustments, paper, phone
from ..ballots.forms import parse_serial
from ..ballots.queries import paper_progress, roster_rows, serial_list, uncalled_count
from ..ballots.tally import turnout
from ..core.errors import refusal_shows, wants_json
from ..core.fields import as_id
from ..core.permissions import Role, roles_required
from . import operations
from .blueprint import READERS, bp, meeting_or_404
from .documents import vote_qr, vote_url
from .forms import (
    ActionForm,
    CodesForm,
    ExchangeForm,
    SerialsForm,
    UndoHandOutForm,
    UnissueForm,
    VoidCodeForm,
)
from .models import BallotKind, SerialState
from .tally import results

# ---- roll call -----------------------------------------------------------------------------------


def _roll_call_counts(meeting) -> dict:
    return dict(
        numbers=turnout(meeting),
        uncalled=uncalled_count(meeting.id),
        quorum_problem=operations.quorum_problem(meeting),
    )


def _roll_call_page(meeting, error: str | None = None, status: int = 200):
    search = request.values.get("q", "")[:40]
    rows = roster_rows(meeting, search)
    return render_template(
        "evaluation/roll_call.html",
        meeting=meeting,
        rows=rows,
        search=search,
        form=ActionForm(),
        error=error,
        **_roll_call_counts(meeting),
    ), status


def _roll_call_refused(meeting, message: str, status: int):
    if wants_json():
        return jsonify(message=message), status
    return _roll_call_page(meeting, message, status)


def _marked_row(meeting, row):
    """A tap's answer to the script: the deputy's row and the present count, rendered as the page does."""
    counts = _roll_call_counts(meeting)
    context = dict(meeting=meeting, row=row, form=ActionForm(), search=request.form.get("q", "")[:40])
    response = jsonify(
        row=render_template("evaluation/_roll_call_row.html", **context),
        count=render_template("evaluation/_roll_call_count.html", **counts),
        uncalled=counts["uncalled"],
        uncalled_text=_("还有 %(n)d 位代表未点到，一次登记为到会。", n=counts["uncalled"]),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/evaluation/<int:meeting_id>/roll-call")
@roles_required(Role.presidium)
def roll_call(meeting_id: int):
    return _roll_call_page(meeting_or_404(meeting_id))


def _deputy_id() -> int | None:
    return as_id(request.form.get("deputy_id"))


@bp.post("/evaluation/<int:meeting_id>/roll-call")
@roles_required(Role.presidium)
def roll_call_mark(meeting_id: int):
    meeting = meeting_or_404(meeting_id)
    deputy_id = _deputy_id()
    if not ActionForm().validate_on_submit() or deputy_id is None:
        return _roll_call_refused(meeting, _("请选择代表后再登记。"), 400)
    with refusal_shows(lambda error: _roll_call_refused(meeting, error.message, error.status_code)):
        row = operations.mark_attendance(current_user, meeting, deputy_id, request.form.get("present") == "1")
    if wants_json():
        return _marked_row(meeting, row)
    anchor = f"#deputy-{row.deputy_id}"
    return redirect(
        url_for("evaluation.roll_call", meeting_id=meeting.id, q=request.form.get("q") or None) + anchor
    )


@bp.post("/evaluation/<int:meeting_id>/roll-call/all-present")
@roles_required(Role.presidium)
def roll_call_all_present(meeting_id: int):
    meeting = meeting_or_404(meeting_id)
    if not ActionForm().validate_on_submit():
        return _roll_call_page(meeting, _("页面已过期，请刷新后重试。"), 400)
    with refusal_shows(lambda error: _roll_call_page(meeting, error.message, error.status_code)):
        count = operations.mark_all_present(current_user, meeting)
    flash(_("已将其余 %(n)d 位代表登记为到会。", n=count), "success")
    return redirect(url_for("evaluation.roll_call", meeting_id=meeting.id))


# ---- ballots: hand-out, serials, codes -----------------------------------------------------------


def _ballots_page(meeting, forms: dict | None = None, error: str | None = None, status: int = 200):
    forms = forms or {}
    search = request.values.get("q", "")[:40]
    return render_template(
        "evaluation/ballots.html",
        meeting=meeting,
        rows=[row for row in roster_rows(meeting, search) if row.present],
        search=search,
        numbers=turnout(meeting),
        paper=paper_progress(meeting.id),
        waiting_serials=serial_list(meeting.id, SerialState.issued),
        form=ActionForm(),
        issue_form=forms.get("issue") or SerialsForm(formdata=None),
        missing_form=forms.get("missing") or SerialsForm(formdata=None, prefix="missing"),
        codes_form=forms.get("codes") or CodesForm(formdata=None),
        unissue_form=forms.get("unissue") or UnissueForm(formdata=None, prefix="unissue"),
        exchange_form=forms.get("exchange") or ExchangeForm(formdata=None, prefix="exchange"),
        void_form=forms.get("void") or VoidCodeForm(formdata=None, prefix="void"),
        undo_form=forms.get("undo") or UndoHandOutForm(formdata=None, prefix="undo"),
        undo_deputy=forms.get("undo_deputy"),
        adjustments=adjustments.adjustments_of(meeting),
        error=error,
    ), status


def _to_ballots(meeting):
    # No name in the next URL: access logs would otherwise tell who received a ballot, and when.
    return redirect(url_for("evaluation.ballots", meeting_id=meeting.id))


@bp.get("/evaluation/<int:meeting_id>/ballots")
@roles_required(Role.presidium)
def ballots(meeting_id: int):
    return _ballots_page(meeting_or_404(meeting_id))


@bp.post("/evaluation/<int:meeting_id>/ballots")
@roles_required(Role.presidium)
def hand_out(meeting_id: int):
    meeting = meeting_or_404(meeting_id)
    deputy_id = _deputy_id()
    kind = request.form.get("kind", "")
    if not ActionForm().validate_on_submit() or deputy_id is None or kind not in BallotKind.__members__:
        return _ballots_page(meeting, error=_("请选择代表和选票种类。"), status=400)
    with refusal_shows(lambda error: _ballots_page(meeting, error=error.message, status=error.status_code)):
        operations.hand_out(current_user, meeting, deputy_id, BallotKind(kind))
    return _to_ballots(meeting)


def _adjusted(meeting_id: int, key: str, form, operation, done: str, extra: dict | None = None):
    """Run one hand-out adjustment from its form; on a refusal the page shows the form as typed."""
    meeting = meeting_or_404(meeting_id)
    forms = {key: form, **(extra or {})}
    if not form.validate_on_submit():
        return _ballots_page(meeting, forms, _("请修改下面标红的内容后再提交。"), 400)
    with refusal_shows(lambda error: _ballots_page(meeting, forms, error.message, error.status_code)):
        operation(meeting)
    flash(done, "success")
    return _to_ballots(meeting)


@bp.post("/evaluation/<int:meeting_id>/ballots/undo")
@roles_required(Role.presidium)
def hand_out_undo(meeting_id: int):
    form = UndoHandOutForm(prefix="undo")
    deputy_id = _deputy_id()
    if deputy_id is None:
        return _ballots_page(meeting_or_404(meeting_id), error=_("请选择代表后再登记。"), status=400)
    return _adjusted(
        meeting_id,
        "undo",
        form,
        lambda meeting: adjustments.undo_hand_out(
            current_user, meeting, deputy_id, form.reason.data, form.returned.data
        ),
        _("已撤销该代表的领票登记。"),
        {"undo_deputy": deputy_id},
    )


@bp.post("/evaluation/<int:meeting_id>/serials/unissue")
@roles_required(Role.presidium)
def serials_unissue(meeting_id: int):
    form = UnissueForm(prefix="unissue")
    return _adjusted(
        meeting_id,
        "unissue",
        form,
        lambda meeting: adjustments.unissue_serials(
            current_user, meeting, paper.parse_serials(form.serials.data), form.reason.data
        ),
        _("已撤回这些测评表的发出登记。"),
    )


@bp.post("/evaluation/<int:meeting_id>/serials/exchange")
@roles_required(Role.presidium)
def serials_exchange(meeting_id: int):
    form = ExchangeForm(prefix="exchange")
    return _adjusted(
        meeting_id,
        "exchange",
        form,
        lambda meeting: adjustments.exchange_serial(
            current_user,
            meeting,
            parse_serial(form.spoiled.data),
            parse_serial(form.replacement.data),
            form.reason.data,
        ),
        _("已作废调换测评表。"),
    )


@bp.post("/evaluation/<int:meeting_id>/codes/void")
@roles_required(Role.presidium)
def codes_void(meeting_id: int):
    form = VoidCodeForm(prefix="void")
    return _adjusted(
        meeting_id,
        "void",
        form,
        lambda meeting: adjustments.void_code(current_user, meeting, form.code.data, form.reason.data),
        _("投票码已作废，可以再生成一个。"),
    )


@bp.post("/evaluation/<int:meeting_id>/serials")
@roles_required(Role.presidium)
def serials_issue(meeting_id: int):
    return _serials(meeting_id, "issue", SerialsForm(), paper.issue_serials, _("已登记发出 %(n)d 张测评表。"))


@bp.post("/evaluation/<int:meeting_id>/serials/not-returned")
@roles_required(Role.presidium)
def serials_missing(meeting_id: int):
    return _serials(
        meeting_id,
        "missing",
        SerialsForm(prefix="missing"),
        paper.mark_not_returned,
        _("已登记 %(n)d 张测评表未收回。"),
    )


def _serials(meeting_id: int, key: str, form: SerialsForm, operation, done: str):
    meeting = meeting_or_404(meeting_id)
    if not form.validate_on_submit():
        return _ballots_page(meeting, {key: form}, _("请修改下面标红的内容后再提交。"), 400)

    def refused(error):
        form.serials.errors = [error.message]  # the message stands under the field as well
        return _ballots_page(meeting, {key: form}, error.message, error.status_code)

    with refusal_shows(refused):
        count = operation(current_user, meeting, paper.parse_serials(form.serials.data))
    flash(done % {"n": count}, "success")
    return _to_ballots(meeting)


@bp.post("/evaluation/<int:meeting_id>/codes")
@roles_required(Role.presidium)
def codes(meeting_id: int):
    meeting = meeting_or_404(meeting_id)
    form = CodesForm()
    if not form.validate_on_submit():
        return _ballots_page(meeting, {"codes": form}, _("请修改下面标红的内容后再提交。"), 400)
    with refusal_shows(
        lambda error: _ballots_page(meeting, {"codes": form}, error.message, error.status_code)
    ):
        drawn = phone.draw_codes(current_user, meeting, form.count.data)
    response = current_app.make_response(
        render_template(
            "evaluation/codes.html",
            meeting=meeting,
            slips=[(code, vote_url(code), vote_qr(code)) for code in drawn],
        )
    )
    response.headers["Cache-Control"] = "no-store"  # shown once: never kept by a browser or a proxy
    return response


# ---- the big screen ------------------------------------------------------------------------------


@bp.get("/evaluation/<int:meeting_id>/projection")
@roles_required(*READERS)
def projection(meeting_id: int):
    meeting = meeting_or_404(meeting_id)
    numbers = turnout(meeting)
    context = dict(
        meeting=meeting,
        numbers=numbers,
        paper=paper_progress(meeting.id),
        quorum_met=meeting.quorum.is_met(numbers.present, numbers.roster),
        results=results(meeting, numbers) if meeting.results_visible else None,
    )
    if request.args.get("partial") == "1":
        response = current_app.make_response(render_template("evaluation/_projection_body.html", **context))
    else:
        response = current_app.make_response(render_template("evaluation/projection.html", **context))
    response.headers["Cache-Control"] = "no-store"
    return response
