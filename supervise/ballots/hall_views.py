"""The hall's pages, for any kind of meeting: roll call, handing out ballots (paper sheets and phone
codes), the serials and codes behind them, undoing a clerk's mistake, the big screen (projection),
and paper entry (paper_views.py).

A meeting's blueprint gets them all by one call, ``register_hall(bp, "/evaluation", load, READERS)``:
the same endpoint names in every blueprint, the URLs built from the request's blueprint. ``load``
finds the meeting or aborts 404 (the township's isolation is the caller's).

Deputy ids travel in form bodies, never in URLs: access logs then hold no record of who received a
ballot, or when.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ..core.errors import page_refused, refusal_shows, wants_json
from ..core.fields import as_id
from ..core.permissions import Role, roles_required
from . import adjustments, hall, paper, phone
from .forms import parse_serial
from .hall_forms import (
    ActionForm,
    CodesForm,
    ExchangeForm,
    SerialsForm,
    UndoHandOutForm,
    UnissueForm,
    VoidCodeForm,
    VoidUnusedCodesForm,
)
from .kinds import kind_of, projection_results, words
from .models import BallotKind, Meeting, SerialState
from .queries import paper_progress, roster_rows, serial_list, uncalled_count
from .slips import vote_qr, vote_url
from .tally import turnout

# {blueprint name: its meeting loader}, filled by register_hall.
LOADERS: dict[str, Callable[[int], Meeting]] = {}


def load(meeting_id: int) -> Meeting:
    """The meeting of this request's blueprint, by its loader (which aborts 404)."""
    return LOADERS[request.blueprint or ""](meeting_id)


def page_url(view: str, meeting: Meeting, **args: Any) -> str:
    """One of the meeting's pages in this request's blueprint: ``page_url("roll_call", meeting)``."""
    return url_for(f"{request.blueprint}.{view}", meeting_id=meeting.id, **args)


# ---- roll call -----------------------------------------------------------------------------------


def _roll_call_counts(meeting: Meeting) -> dict:
    return dict(
        numbers=turnout(meeting),
        uncalled=uncalled_count(meeting.id),
        quorum_problem=hall.quorum_problem(meeting),
    )


def _roll_call_page(meeting: Meeting, error: str | None = None, status: int = 200) -> ResponseReturnValue:
    search = request.values.get("q", "")[:40]
    rows = roster_rows(meeting, search)
    return render_template(
        "ballots/roll_call.html",
        meeting=meeting,
        rows=rows,
        search=search,
        form=ActionForm(),
        error=error,
        **_roll_call_counts(meeting),
    ), status


def _roll_call_refused(meeting: Meeting, error: str, status: int = 200) -> ResponseReturnValue:
    if wants_json():
        return jsonify(message=error), status
    return _roll_call_page(meeting, error, status)


def _marked_row(meeting, row):
    """A tap's answer to the script: the deputy's row and the present count, rendered as the page does."""
    counts = _roll_call_counts(meeting)
    context = dict(meeting=meeting, row=row, form=ActionForm(), search=request.form.get("q", "")[:40])
    response = jsonify(
        row=render_template("ballots/_roll_call_row.html", **context),
        count=render_template("ballots/_roll_call_count.html", **counts),
        uncalled=counts["uncalled"],
        uncalled_text=_("还有 %(n)d 位代表未点到，一次登记为到会。", n=counts["uncalled"]),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def roll_call(meeting_id: int) -> ResponseReturnValue:
    return _roll_call_page(load(meeting_id))


def _deputy_id() -> int | None:
    return as_id(request.form.get("deputy_id"))


def roll_call_mark(meeting_id: int) -> ResponseReturnValue:
    meeting = load(meeting_id)
    deputy_id = _deputy_id()
    if not ActionForm().validate_on_submit() or deputy_id is None:
        return _roll_call_refused(meeting, _("请选择代表后再登记。"), 400)
    with refusal_shows(page_refused(_roll_call_refused, meeting)):
        row = hall.mark_attendance(current_user, meeting, deputy_id, request.form.get("present") == "1")
    if wants_json():
        return _marked_row(meeting, row)
    anchor = f"#deputy-{row.deputy_id}"
    return redirect(page_url("roll_call", meeting, q=request.form.get("q") or None) + anchor)


def roll_call_all_present(meeting_id: int) -> ResponseReturnValue:
    meeting = load(meeting_id)
    if not ActionForm().validate_on_submit():
        return _roll_call_page(meeting, _("页面已过期，请刷新后重试。"), 400)
    with refusal_shows(page_refused(_roll_call_page, meeting)):
        count = hall.mark_all_present(current_user, meeting)
    flash(_("已将其余 %(n)d 位代表登记为到会。", n=count), "success")
    return redirect(page_url("roll_call", meeting))


# ---- ballots: hand-out, serials, codes -----------------------------------------------------------

BLANK_FORMS = {
    "issue": (SerialsForm, None),
    "missing": (SerialsForm, "missing"),
    "codes": (CodesForm, None),
    "unissue": (UnissueForm, "unissue"),
    "exchange": (ExchangeForm, "exchange"),
    "void": (VoidCodeForm, "void"),
    "void_unused": (VoidUnusedCodesForm, "void_unused"),
    "undo": (UndoHandOutForm, "undo"),
}


def _ballots_page(
    meeting: Meeting, forms: dict | None = None, error: str | None = None, status: int = 200
) -> ResponseReturnValue:
    forms = forms or {}
    search = request.values.get("q", "")[:40]
    blank = {
        f"{key}_form": forms.get(key) or form(formdata=None, prefix=prefix or "", words=words(meeting))
        for key, (form, prefix) in BLANK_FORMS.items()
    }
    return render_template(
        "ballots/ballots.html",
        meeting=meeting,
        rows=[row for row in roster_rows(meeting, search) if row.present],
        search=search,
        numbers=turnout(meeting),
        paper=paper_progress(meeting.id),
        waiting_serials=serial_list(meeting.id, SerialState.issued),
        form=ActionForm(),
        undo_deputy=forms.get("undo_deputy"),
        adjustments=adjustments.adjustments_of(meeting),
        error=error,
        **blank,
    ), status


def _to_ballots(meeting):
    # No name in the next URL: access logs would otherwise tell who received a ballot, and when.
    return redirect(page_url("ballots", meeting))


def ballots(meeting_id: int) -> ResponseReturnValue:
    return _ballots_page(load(meeting_id))


def hand_out(meeting_id: int) -> ResponseReturnValue:
    meeting = load(meeting_id)
    deputy_id = _deputy_id()
    kind = request.form.get("kind", "")
    if not ActionForm().validate_on_submit() or deputy_id is None or kind not in BallotKind.__members__:
        return _ballots_page(meeting, error=_("请选择代表和选票种类。"), status=400)
    with refusal_shows(page_refused(_ballots_page, meeting)):
        hall.hand_out(current_user, meeting, deputy_id, BallotKind(kind))
    return _to_ballots(meeting)


def _adjusted(
    meeting: Meeting, key: str, operation: Callable[[Any], object], done: str, extra: dict | None = None
) -> ResponseReturnValue:
    """Run one hand-out adjustment, ``operation(form)``, from its posted form (``BLANK_FORMS[key]``);
    ``done`` is flashed with the meeting's words and what the operation returned as ``%(n)d``. On a
    refusal the page shows the form as typed."""
    form_class, prefix = BLANK_FORMS[key]
    form = form_class(prefix=prefix or "", words=words(meeting))
    forms = {key: form, **(extra or {})}
    if not form.validate_on_submit():
        return _ballots_page(meeting, forms, _("请修改下面标红的内容后再提交。"), 400)
    with refusal_shows(page_refused(_ballots_page, meeting, forms)):
        result = operation(form)
    flash(done % {"n": result, **words(meeting)}, "success")
    return _to_ballots(meeting)


def hand_out_undo(meeting_id: int) -> ResponseReturnValue:
    meeting = load(meeting_id)
    deputy_id = _deputy_id()
    if deputy_id is None:
        return _ballots_page(meeting, error=_("请选择代表后再登记。"), status=400)
    return _adjusted(
        meeting,
        "undo",
        lambda form: adjustments.undo_hand_out(
            current_user, meeting, deputy_id, form.reason.data or "", form.returned.data or ""
        ),
        _("已撤销该代表的领票登记。"),
        {"undo_deputy": deputy_id},
    )


def serials_unissue(meeting_id: int) -> ResponseReturnValue:
    meeting = load(meeting_id)
    return _adjusted(
        meeting,
        "unissue",
        lambda form: adjustments.unissue_serials(
            current_user, meeting, paper.parse_serials(form.serials.data or ""), form.reason.data or ""
        ),
        _("已撤回这些%(sheet)s的发出登记。"),
    )


def serials_exchange(meeting_id: int) -> ResponseReturnValue:
    meeting = load(meeting_id)
    return _adjusted(
        meeting,
        "exchange",
        lambda form: adjustments.exchange_serial(
            current_user,
            meeting,
            parse_serial(form.spoiled.data) or 0,
            parse_serial(form.replacement.data) or 0,
            form.reason.data or "",
        ),
        _("已作废调换%(sheet)s。"),
    )


def codes_void(meeting_id: int) -> ResponseReturnValue:
    meeting = load(meeting_id)
    return _adjusted(
        meeting,
        "void",
        lambda form: adjustments.void_code(
            current_user, meeting, form.code.data or "", form.reason.data or ""
        ),
        _("投票码已作废，可以再生成一个。"),
    )


def codes_void_unused(meeting_id: int) -> ResponseReturnValue:
    meeting = load(meeting_id)
    return _adjusted(
        meeting,
        "void_unused",
        lambda form: adjustments.void_unused_codes(current_user, meeting, form.reason.data or ""),
        _("已作废尚未使用的投票码 %(n)d 个，可以为这些代表重新生成。"),
    )


def serials_issue(meeting_id: int) -> ResponseReturnValue:
    meeting = load(meeting_id)
    form = SerialsForm(words=words(meeting))
    return _serials(meeting, "issue", form, paper.issue_serials, _("已登记发出 %(n)d 张%(sheet)s。"))


def serials_missing(meeting_id: int) -> ResponseReturnValue:
    meeting = load(meeting_id)
    form = SerialsForm(prefix="missing", words=words(meeting))
    return _serials(meeting, "missing", form, paper.mark_not_returned, _("已登记 %(n)d 张%(sheet)s未收回。"))


def _serials(
    meeting: Meeting, key: str, form: SerialsForm, operation: Callable[..., int], done: str
) -> ResponseReturnValue:
    if not form.validate_on_submit():
        return _ballots_page(meeting, {key: form}, _("请修改下面标红的内容后再提交。"), 400)

    def refused(error):
        form.serials.errors = [error.message]  # the message stands under the field as well
        return _ballots_page(meeting, {key: form}, error.message, error.status_code)

    with refusal_shows(refused):
        count = operation(current_user, meeting, paper.parse_serials(form.serials.data or ""))
    flash(done % {"n": count, **words(meeting)}, "success")
    return _to_ballots(meeting)


def codes(meeting_id: int) -> ResponseReturnValue:
    meeting = load(meeting_id)
    form = CodesForm(words=words(meeting))
    if not form.validate_on_submit():
        return _ballots_page(meeting, {"codes": form}, _("请修改下面标红的内容后再提交。"), 400)
    with refusal_shows(page_refused(_ballots_page, meeting, {"codes": form})):
        drawn = phone.draw_codes(current_user, meeting, form.count.data or 0)
    response = current_app.make_response(
        render_template(
            "ballots/codes.html",
            meeting=meeting,
            slips=[(code, vote_url(code), vote_qr(code)) for code in drawn],
        )
    )
    response.headers["Cache-Control"] = "no-store"  # shown once: never kept by a browser or a proxy
    return response


# ---- the big screen ------------------------------------------------------------------------------


def projection(meeting_id: int) -> ResponseReturnValue:
    meeting = load(meeting_id)
    numbers = turnout(meeting)
    context = dict(
        meeting=meeting,
        numbers=numbers,
        paper=paper_progress(meeting.id),
        quorum_met=meeting.quorum.is_met(numbers.present, numbers.roster),
        results=projection_results(meeting, numbers),
        results_template=kind_of(meeting).projection_template,
    )
    partial = request.args.get("partial") == "1"
    template = "ballots/_projection_body.html" if partial else "ballots/projection.html"
    response = current_app.make_response(render_template(template, **context))
    response.headers["Cache-Control"] = "no-store"
    return response


# ---- registering ---------------------------------------------------------------------------------

RUNNERS = (Role.presidium,)
# (path below the meeting, view, methods); every view but the projection is the presidium's.
ROUTES: tuple[tuple[str, Callable, tuple[str, ...]], ...] = (
    ("/roll-call", roll_call, ("GET",)),
    ("/roll-call", roll_call_mark, ("POST",)),
    ("/roll-call/all-present", roll_call_all_present, ("POST",)),
    ("/ballots", ballots, ("GET",)),
    ("/ballots", hand_out, ("POST",)),
    ("/ballots/undo", hand_out_undo, ("POST",)),
    ("/serials/unissue", serials_unissue, ("POST",)),
    ("/serials/exchange", serials_exchange, ("POST",)),
    ("/codes/void", codes_void, ("POST",)),
    ("/codes/void-unused", codes_void_unused, ("POST",)),
    ("/serials", serials_issue, ("POST",)),
    ("/serials/not-returned", serials_missing, ("POST",)),
    ("/codes", codes, ("POST",)),
)


def register_hall(
    bp: Blueprint, prefix: str, load: Callable[[int], Meeting], readers: Iterable[Role]
) -> None:
    """Add the hall's pages to ``bp`` under ``<prefix>/<meeting_id>/…``; ``load`` finds a meeting or
    aborts 404; ``readers`` may watch the big screen (the presidium runs everything else)."""
    from .paper_views import ROUTES as PAPER_ROUTES

    LOADERS[bp.name] = load
    for path, view, methods in ROUTES + PAPER_ROUTES:
        rule = f"{prefix}/<int:meeting_id>{path}"
        bp.add_url_rule(rule, view.__name__, roles_required(*RUNNERS)(view), methods=list(methods))
    watched = roles_required(*readers)(projection)
    bp.add_url_rule(f"{prefix}/<int:meeting_id>/projection", "projection", watched, methods=["GET"])
