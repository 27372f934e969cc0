"""Pages of the evaluation meeting (民主评议): the chair's control pages, the hall's projection, and the
deputies' phone ballot at /vote (no login).

Deputy ids and codes travel in form bodies, never in URLs: access logs then hold neither who received
a ballot nor which code was used.
"""

from __future__ import annotations

import math
import secrets
import time

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from limits import parse
from sqlalchemy import select

from ..core.clock import today
from ..core.errors import DomainError
from ..core.fields import as_id, as_ids
from ..core.permissions import Role, get_visible_or_404, roles_required
from ..extensions import db, limiter
from ..lists.models import Item
from ..uploads.storage import attachments_for
from . import adjustments, operations, paper, phone
from .forms import (
    ActionForm,
    BallotForm,
    CodeForm,
    CodesForm,
    CorrectionForm,
    EntryForm,
    ExchangeForm,
    MeetingForm,
    RulesForm,
    SerialsForm,
    UndoHandOutForm,
    UnissueForm,
    VoidCodeForm,
    parse_choices,
    parse_serial,
    parse_ticks,
)
from .models import GRADES, REPORT_OWNER, BallotKind, EvaluationMeeting, Mark, MeetingState, SerialState
from .publishing import published_result_of
from .queries import (
    entries_of,
    item_candidates,
    load_lines,
    meeting_sizes,
    paper_progress,
    roster_rows,
    serial_list,
    uncalled_count,
    visible_meetings,
)
from .rules import Denominator, percent
from .tally import results, turnout

bp = Blueprint("evaluation", __name__)
READERS = (Role.presidium, Role.county, Role.admin)


@bp.app_template_filter("rate")
def _rate(value) -> str:
    return percent(value)


@bp.context_processor
def _marks():
    return {"GRADES": GRADES, "Mark": Mark, "MeetingState": MeetingState}


def _meeting(meeting_id: int) -> EvaluationMeeting:
    return get_visible_or_404(EvaluationMeeting, meeting_id)


def _redirect(meeting: EvaluationMeeting, endpoint: str = "evaluation.meeting_detail", **args):
    return redirect(url_for(endpoint, meeting_id=meeting.id, **args))


# ---- meetings ------------------------------------------------------------------------------------


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
        denominator=Denominator(form.denominator.data),
        quorum_numerator=form.quorum_numerator.data,
        quorum_denominator=form.quorum_denominator.data,
        quorum_strict=form.quorum_strict.data,
        results_hidden_until_closed=form.results_hidden_until_closed.data,
    )


@bp.route("/evaluation/new", methods=["GET", "POST"])
@roles_required(Role.presidium)
def meeting_new():
    form = MeetingForm()
    if request.method == "GET":
        form.year.data = today().year
        form.held_on.data = today()
    if form.validate_on_submit():
        try:
            meeting = operations.create_meeting(
                current_user,
                year=form.year.data,
                held_on=form.held_on.data,
                place=form.place.data,
                rules=_rules_from(form),
            )
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
            return render_template("evaluation/form.html", form=form), 409
        flash(_("评议会已创建：%(title)s。", title=meeting.title), "success")
        return _redirect(meeting)
    return render_template("evaluation/form.html", form=form), 400 if form.errors else 200


def _detail_page(meeting: EvaluationMeeting, error: str | None = None, status: int = 200):
    numbers = turnout(meeting)
    running = meeting.state in (MeetingState.voting, MeetingState.closed)
    can_run = meeting.is_run_by(current_user)
    find = request.args.get("find", "")[:40] if can_run and meeting.state is MeetingState.preparing else ""
    return render_template(
        "evaluation/detail.html",
        meeting=meeting,
        numbers=numbers,
        quorum_problem=operations.quorum_problem(meeting)
        if meeting.state is MeetingState.roll_call
        else None,
        check=operations.reconcile(meeting) if running else None,
        can_run=can_run,
        form=ActionForm(),
        error=error,
        report_files=attachments_for(REPORT_OWNER, [meeting.id])[meeting.id],
        find=find,
        candidates=item_candidates(meeting, find),
    ), status


@bp.get("/evaluation/<int:meeting_id>")
@roles_required(*READERS)
def meeting_detail(meeting_id: int):
    return _detail_page(_meeting(meeting_id))


ACTIONS = {
    "start_roll_call": (operations.start_roll_call, "evaluation.roll_call", _l("已开始点名。")),
    "open_voting": (operations.open_voting, "evaluation.ballots", _l("投票已开始。")),
    "close_voting": (operations.close_voting, "evaluation.results_page", _l("投票已结束，账目平衡。")),
}


@bp.post("/evaluation/<int:meeting_id>/actions/<action>")
@roles_required(Role.presidium)
def meeting_action(meeting_id: int, action: str):
    meeting = _meeting(meeting_id)
    form = ActionForm()
    if action not in ACTIONS and action != "apply_results":
        return _detail_page(meeting, _("未知的操作。"), 404)
    if not form.validate_on_submit():
        return _detail_page(meeting, _("页面已过期，请刷新后重试。"), 400)
    try:
        if action == "apply_results":
            applied, waiting = operations.apply_results(current_user, meeting)
        else:
            operation, endpoint, message = ACTIONS[action]
            operation(current_user, meeting)
    except DomainError as error:
        db.session.rollback()
        return _detail_page(_meeting(meeting_id), error.message, error.status_code)
    if action == "apply_results":
        flash(_("已将 %(n)d 个事项的测评结果登记到事项。", n=applied), "success")
        for message in waiting:
            flash(message, "warning")
        return _redirect(meeting, "evaluation.results_page")
    flash(str(message), "success")
    return _redirect(meeting, endpoint)


@bp.post("/evaluation/<int:meeting_id>/lines")
@roles_required(Role.presidium)
def meeting_lines(meeting_id: int):
    meeting = _meeting(meeting_id)
    if not ActionForm().validate_on_submit():
        return _detail_page(meeting, _("页面已过期，请刷新后重试。"), 400)
    ids = as_ids(request.form.getlist("remove"))
    if not ids:
        return _detail_page(meeting, _("请先勾选要移出测评的项目。"), 400)
    try:
        removed = operations.remove_lines(current_user, meeting, ids)
    except DomainError as error:
        db.session.rollback()
        return _detail_page(_meeting(meeting_id), error.message, error.status_code)
    flash(_("已移出 %(n)d 项。", n=removed), "success")
    return _redirect(meeting)


@bp.post("/evaluation/<int:meeting_id>/items")
@roles_required(Role.presidium)
def meeting_items(meeting_id: int):
    """Rate more of the township's items (any year) than the default, while the meeting is prepared."""
    meeting = _meeting(meeting_id)
    if not ActionForm().validate_on_submit():
        return _detail_page(meeting, _("页面已过期，请刷新后重试。"), 400)
    ids = as_ids(request.form.getlist("item"))
    items = (
        db.session.execute(select(Item).where(Item.id.in_(ids), Item.township_id == meeting.township_id))
        .scalars()
        .all()
        if ids
        else []
    )
    if not items:
        return _detail_page(meeting, _("请先勾选要加入测评的事项。"), 400)
    try:
        added = operations.add_item_lines(current_user, meeting, items)
    except DomainError as error:
        db.session.rollback()
        return _detail_page(_meeting(meeting_id), error.message, error.status_code)
    flash(_("已加入 %(n)d 项测评内容。", n=added), "success")
    return _redirect(meeting)


@bp.route("/evaluation/<int:meeting_id>/rules", methods=["GET", "POST"])
@roles_required(Role.presidium)
def meeting_rules(meeting_id: int):
    """The chair edits the grade rule, the quorum and when results show, while preparing."""
    meeting = _meeting(meeting_id)
    if not meeting.is_run_by(current_user):
        return _detail_page(meeting, _("只有本镇主席团可以主持民主评议会。"), 403)
    form = RulesForm(obj=meeting) if request.method == "GET" else RulesForm()
    if request.method == "GET" and meeting.state is not MeetingState.preparing:
        return _redirect(meeting)
    if form.validate_on_submit():
        try:
            operations.update_rules(current_user, meeting, _rules_from(form))
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
            return render_template("evaluation/form.html", form=form, meeting=_meeting(meeting_id)), (
                error.status_code
            )
        flash(_("评定规则已保存。"), "success")
        return _redirect(meeting)
    return render_template("evaluation/form.html", form=form, meeting=meeting), 400 if form.errors else 200


# ---- roll call -----------------------------------------------------------------------------------


def _roll_call_page(meeting, error: str | None = None, status: int = 200):
    search = request.values.get("q", "")[:40]
    rows = roster_rows(meeting, search)
    return render_template(
        "evaluation/roll_call.html",
        meeting=meeting,
        rows=rows,
        search=search,
        numbers=turnout(meeting),
        uncalled=uncalled_count(meeting.id),
        quorum_problem=operations.quorum_problem(meeting),
        form=ActionForm(),
        error=error,
    ), status


@bp.get("/evaluation/<int:meeting_id>/roll-call")
@roles_required(Role.presidium)
def roll_call(meeting_id: int):
    return _roll_call_page(_meeting(meeting_id))


def _deputy_id() -> int | None:
    return as_id(request.form.get("deputy_id"))


@bp.post("/evaluation/<int:meeting_id>/roll-call")
@roles_required(Role.presidium)
def roll_call_mark(meeting_id: int):
    meeting = _meeting(meeting_id)
    deputy_id = _deputy_id()
    if not ActionForm().validate_on_submit() or deputy_id is None:
        return _roll_call_page(meeting, _("请选择代表后再登记。"), 400)
    try:
        row = operations.mark_attendance(current_user, meeting, deputy_id, request.form.get("present") == "1")
    except DomainError as error:
        db.session.rollback()
        return _roll_call_page(_meeting(meeting_id), error.message, error.status_code)
    anchor = f"#deputy-{row.deputy_id}"
    return redirect(
        url_for("evaluation.roll_call", meeting_id=meeting.id, q=request.form.get("q") or None) + anchor
    )


@bp.post("/evaluation/<int:meeting_id>/roll-call/all-present")
@roles_required(Role.presidium)
def roll_call_all_present(meeting_id: int):
    meeting = _meeting(meeting_id)
    if not ActionForm().validate_on_submit():
        return _roll_call_page(meeting, _("页面已过期，请刷新后重试。"), 400)
    try:
        count = operations.mark_all_present(current_user, meeting)
    except DomainError as error:
        db.session.rollback()
        return _roll_call_page(_meeting(meeting_id), error.message, error.status_code)
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


@bp.get("/evaluation/<int:meeting_id>/ballots")
@roles_required(Role.presidium)
def ballots(meeting_id: int):
    return _ballots_page(_meeting(meeting_id))


@bp.post("/evaluation/<int:meeting_id>/ballots")
@roles_required(Role.presidium)
def hand_out(meeting_id: int):
    meeting = _meeting(meeting_id)
    deputy_id = _deputy_id()
    kind = request.form.get("kind", "")
    if not ActionForm().validate_on_submit() or deputy_id is None or kind not in BallotKind.__members__:
        return _ballots_page(meeting, error=_("请选择代表和选票种类。"), status=400)
    try:
        operations.hand_out(current_user, meeting, deputy_id, BallotKind(kind))
    except DomainError as error:
        db.session.rollback()
        return _ballots_page(_meeting(meeting_id), error=error.message, status=error.status_code)
    # No name in the next URL: access logs would otherwise tell who received a ballot, and when.
    return redirect(url_for("evaluation.ballots", meeting_id=meeting.id))


def _adjusted(meeting_id: int, key: str, form, operation, done: str, extra: dict | None = None):
    """Run one hand-out adjustment from its form; on a refusal the page shows the form as typed."""
    meeting = _meeting(meeting_id)
    forms = {key: form, **(extra or {})}
    if not form.validate_on_submit():
        return _ballots_page(meeting, forms, _("请修改下面标红的内容后再提交。"), 400)
    try:
        operation(meeting)
    except DomainError as error:
        db.session.rollback()
        return _ballots_page(_meeting(meeting_id), forms, error.message, error.status_code)
    flash(done, "success")
    return redirect(url_for("evaluation.ballots", meeting_id=meeting.id))


@bp.post("/evaluation/<int:meeting_id>/ballots/undo")
@roles_required(Role.presidium)
def hand_out_undo(meeting_id: int):
    form = UndoHandOutForm(prefix="undo")
    deputy_id = _deputy_id()
    if deputy_id is None:
        return _ballots_page(_meeting(meeting_id), error=_("请选择代表后再登记。"), status=400)
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
    meeting = _meeting(meeting_id)
    if not form.validate_on_submit():
        return _ballots_page(meeting, {key: form}, _("请修改下面标红的内容后再提交。"), 400)
    try:
        count = operation(current_user, meeting, paper.parse_serials(form.serials.data))
    except DomainError as error:
        db.session.rollback()
        form.serials.errors = [error.message]
        return _ballots_page(_meeting(meeting_id), {key: form}, error.message, error.status_code)
    flash(done % {"n": count}, "success")
    return redirect(url_for("evaluation.ballots", meeting_id=meeting.id))


@bp.post("/evaluation/<int:meeting_id>/codes")
@roles_required(Role.presidium)
def codes(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = CodesForm()
    if not form.validate_on_submit():
        return _ballots_page(meeting, {"codes": form}, _("请修改下面标红的内容后再提交。"), 400)
    try:
        drawn = phone.draw_codes(current_user, meeting, form.count.data)
    except DomainError as error:
        db.session.rollback()
        return _ballots_page(_meeting(meeting_id), {"codes": form}, error.message, error.status_code)
    response = current_app.make_response(
        render_template("evaluation/codes.html", meeting=meeting, codes=drawn)
    )
    response.headers["Cache-Control"] = "no-store"  # shown once: never kept by a browser or a proxy
    return response


# ---- paper entry ---------------------------------------------------------------------------------


def _entry_page(meeting, form, ticks=None, outcome=None, error=None, status=200):
    return render_template(
        "evaluation/paper.html",
        meeting=meeting,
        form=form,
        ticks=ticks or {},
        outcome=outcome,
        paper=paper_progress(meeting.id),
        mismatched=paper.unresolved_serials(meeting),
        error=error,
    ), status


@bp.route("/evaluation/<int:meeting_id>/paper", methods=["GET", "POST"])
@roles_required(Role.presidium)
def paper_entry(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = EntryForm()
    if request.method == "GET":
        wanted = parse_serial(request.args.get("serial"))
        if wanted:
            return redirect(url_for("evaluation.paper_sheet", meeting_id=meeting.id, serial=wanted))
        return _entry_page(meeting, EntryForm(formdata=None))
    ticks, bad = parse_ticks(request.form, meeting.lines)
    if not form.validate_on_submit() or bad:
        problem = _("第 %(lines)s 项的选择无法识别。", lines=_("、").join(bad)) if bad else None
        return _entry_page(
            meeting, form, ticks, error=problem or _("请修改下面标红的内容后再提交。"), status=400
        )
    try:
        outcome = paper.enter_paper(current_user, meeting, form.serial_number, ticks, form.void.data)
    except DomainError as error:
        db.session.rollback()
        return _entry_page(_meeting(meeting_id), form, ticks, error=error.message, status=error.status_code)
    if outcome.first:
        flash(_("测评表 %(serial)03d 已录入。", serial=form.serial_number), "success")
        return redirect(url_for("evaluation.paper_entry", meeting_id=meeting.id))
    if not outcome.differences:
        flash(_("测评表 %(serial)03d 复核一致。", serial=form.serial_number), "success")
        return redirect(url_for("evaluation.paper_entry", meeting_id=meeting.id))
    flash(
        _("测评表 %(serial)03d 复核与现有录入不一致，请核对原件后更正。", serial=form.serial_number), "danger"
    )
    return redirect(url_for("evaluation.paper_sheet", meeting_id=meeting.id, serial=form.serial_number))


def _sheet_page(meeting, serial: int, form=None, ticks=None, error=None, status=200):
    ballot = paper.ballot_of(meeting, serial)
    standing, standing_void = paper.effective(ballot) if ballot else ({}, False)
    entries = entries_of(meeting.id, serial)
    unresolved = serial in paper.unresolved_serials(meeting)
    if form is None:
        form = CorrectionForm(formdata=None, void=standing_void)
        ticks = {line_id: [mark] for line_id, mark in standing.items() if mark in GRADES}
    return render_template(
        "evaluation/sheet.html",
        meeting=meeting,
        serial=serial,
        ballot=ballot,
        standing=standing,
        standing_void=standing_void,
        entries=entries,
        unresolved=unresolved,
        form=form,
        ticks=ticks or {},
        error=error,
    ), status


@bp.route("/evaluation/<int:meeting_id>/paper/<int:serial>", methods=["GET", "POST"])
@roles_required(Role.presidium)
def paper_sheet(meeting_id: int, serial: int):
    meeting = _meeting(meeting_id)
    if request.method == "GET":
        return _sheet_page(meeting, serial)
    form = CorrectionForm()
    ticks, bad = parse_ticks(request.form, meeting.lines)
    if not form.validate_on_submit() or bad:
        return _sheet_page(meeting, serial, form, ticks, _("请修改下面标红的内容后再提交。"), 400)
    try:
        paper.correct_ballot(current_user, meeting, serial, ticks, form.void.data, form.reason.data)
    except DomainError as error:
        db.session.rollback()
        return _sheet_page(_meeting(meeting_id), serial, form, ticks, error.message, error.status_code)
    flash(_("测评表 %(serial)03d 已更正，原录入保留在记录中。", serial=serial), "success")
    return redirect(url_for("evaluation.paper_sheet", meeting_id=meeting.id, serial=serial))


# ---- projection and results ----------------------------------------------------------------------


@bp.get("/evaluation/<int:meeting_id>/projection")
@roles_required(*READERS)
def projection(meeting_id: int):
    meeting = _meeting(meeting_id)
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


@bp.get("/evaluation/<int:meeting_id>/results")
@roles_required(*READERS)
def results_page(meeting_id: int):
    meeting = _meeting(meeting_id)
    load_lines(meeting)
    numbers = turnout(meeting)
    return render_template(
        "evaluation/results.html",
        meeting=meeting,
        numbers=numbers,
        results=results(meeting, numbers) if meeting.results_visible else None,
        can_run=meeting.is_run_by(current_user),
        form=ActionForm(),
        published=published_result_of(meeting) if meeting.state is MeetingState.closed else None,
    )


# ---- the phone ballot (no login) -----------------------------------------------------------------


# Wrong codes are limited per phone (address + a random key in its session cookie), so that one
# deputy's typos never lock out a whole hall sharing one address behind NAT; a looser limit per
# address stops a guesser who drops the cookie each time. 8 characters from 31 leave ~8·10^11
# codes: a few hundred guesses an address per ten minutes find none.
def _limits():
    config = current_app.config
    return (
        (parse(config.get("EVALUATION_CODE_FAILURES_PER_PHONE", "10/10minute")), _phone_key()),
        (parse(config.get("EVALUATION_CODE_FAILURES_PER_ADDRESS", "300/10minute")), _address()),
    )


def _address() -> str:
    return request.remote_addr or "unknown"


def _phone_key() -> str:
    key = session.get("vote_key")
    if not isinstance(key, str) or len(key) != 16:
        key = session["vote_key"] = secrets.token_hex(8)
    return f"{_address()}/{key}"


def _blocked_minutes() -> int | None:
    """Minutes until this phone may try again, or None when it may now."""
    for limit, key in _limits():
        if not limiter.limiter.test(limit, "vote-code-failure", key):
            reset, _remaining = limiter.limiter.get_window_stats(limit, "vote-code-failure", key)
            return max(1, math.ceil((reset - time.time()) / 60))
    return None


def _too_many_message(minutes: int) -> str:
    return _(
        "投票码输错次数过多，这部手机请 %(minutes)d 分钟后再试；也可以请工作人员协助核对投票码。",
        minutes=minutes,
    )


def _failed() -> None:
    for limit, key in _limits():
        limiter.limiter.hit(limit, "vote-code-failure", key)


def _no_store(body, status: int = 200):
    response = current_app.make_response((body, status))
    response.headers["Cache-Control"] = "no-store"
    return response


def _code_page(form: CodeForm, status: int = 200):
    return _no_store(render_template("evaluation/vote_code.html", form=form), status)


def _ballot_page(meeting, form: BallotForm, chosen=None, error=None, status: int = 200):
    return _no_store(
        render_template(
            "evaluation/vote_ballot.html", meeting=meeting, form=form, chosen=chosen or {}, error=error
        ),
        status,
    )


@bp.route("/vote", methods=["GET", "POST"])
def vote():
    form = CodeForm()
    if request.method == "GET":
        return _code_page(CodeForm(formdata=None))
    if not form.validate_on_submit():
        return _code_page(form, 400)
    blocked = _blocked_minutes()
    if blocked:
        form.form_errors.append(_too_many_message(blocked))
        return _code_page(form, 429)
    try:
        code = phone.find_code(form.code.data)
    except DomainError as error:
        if isinstance(error, phone.UnknownCode):
            _failed()
        form.form_errors.append(error.message)
        return _code_page(form, 400)
    meeting = db.session.get(EvaluationMeeting, code.meeting_id)
    ballot = BallotForm(formdata=None, code=form.code.data, meeting_id=meeting.id)
    return _ballot_page(meeting, ballot)


@bp.post("/vote/ballot")
def vote_ballot():
    form = BallotForm()
    meeting = db.session.get(EvaluationMeeting, form.meeting_number) if form.meeting_number else None
    code_form = CodeForm(formdata=None, code=form.code.data or "")
    if meeting is None or not form.validate_on_submit():
        code_form.form_errors.append(_("选票已失效，请重新输入投票码。"))
        return _code_page(code_form, 400)
    blocked = _blocked_minutes()
    if blocked:
        code_form.form_errors.append(_too_many_message(blocked))
        return _code_page(code_form, 429)
    chosen = parse_choices(request.form, meeting.lines)
    try:
        phone.submit_phone_ballot(form.code.data or "", meeting.id, chosen)
    except phone.CodeRefused as error:
        db.session.rollback()
        if isinstance(error, phone.UnknownCode):
            _failed()
        code_form.form_errors.append(error.message)
        return _code_page(code_form, 409)
    except DomainError as error:
        db.session.rollback()
        return _ballot_page(meeting, form, chosen, error.message, 400)
    flash(_("您的选票已提交，谢谢！投票码已作废。"), "success")
    return redirect(url_for("evaluation.vote"))


# The report, documents, assessment table and publishing pages live in their own module, on this blueprint.
from . import document_views  # noqa: E402, F401
