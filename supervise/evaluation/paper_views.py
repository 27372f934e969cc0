"""Paper entry: a returned sheet typed in by its serial (a second clerk's entry checks it), and a
sheet's page, where an entered sheet is corrected with a reason."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..ballots import paper
from ..ballots.forms import parse_serial
from ..ballots.queries import entries_of, paper_progress
from ..ballots.records import ballot_of, effective
from ..core.errors import refusal_shows
from ..core.permissions import Role, roles_required
from .blueprint import bp, meeting_or_404
from .forms import CorrectionForm, EntryForm, parse_ticks
from .models import GRADES


def _entry_page(meeting, form, ticks=None, error=None, status=200):
    return render_template(
        "evaluation/paper.html",
        meeting=meeting,
        form=form,
        ticks=ticks or {},
        paper=paper_progress(meeting.id),
        mismatched=paper.unresolved_serials(meeting),
        error=error,
    ), status


@bp.route("/evaluation/<int:meeting_id>/paper", methods=["GET", "POST"])
@roles_required(Role.presidium)
def paper_entry(meeting_id: int):
    meeting = meeting_or_404(meeting_id)
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
    with refusal_shows(lambda error: _entry_page(meeting, form, ticks, error.message, error.status_code)):
        outcome = paper.enter_paper(current_user, meeting, form.serial_number, ticks, form.void.data)
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
    ballot = ballot_of(meeting, serial)
    standing, standing_void = effective(ballot) if ballot else ({}, False)
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
    meeting = meeting_or_404(meeting_id)
    if request.method == "GET":
        return _sheet_page(meeting, serial)
    form = CorrectionForm()
    ticks, bad = parse_ticks(request.form, meeting.lines)
    if not form.validate_on_submit() or bad:
        return _sheet_page(meeting, serial, form, ticks, _("请修改下面标红的内容后再提交。"), 400)
    with refusal_shows(
        lambda error: _sheet_page(meeting, serial, form, ticks, error.message, error.status_code)
    ):
        paper.correct_ballot(current_user, meeting, serial, ticks, form.void.data, form.reason.data)
    flash(_("测评表 %(serial)03d 已更正，原录入保留在记录中。", serial=serial), "success")
    return redirect(url_for("evaluation.paper_sheet", meeting_id=meeting.id, serial=serial))
