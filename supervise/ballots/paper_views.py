"""Paper entry, for any kind of meeting: a returned sheet typed in by its serial (a second clerk's
entry checks it), and a sheet's page, where an entered sheet is corrected with a reason. Registered
with the rest of the hall by ``hall_views.register_hall``."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ..core.errors import page_refused, refusal_shows
from . import paper
from .forms import parse_serial, parse_ticks
from .hall_forms import CorrectionForm, EntryForm
from .hall_views import load, page_url
from .kinds import shape_of, words
from .models import Meeting, PaperEntry
from .queries import entries_of, paper_progress, unchecked_serials
from .records import ballot_of, effective


def marks_context(meeting: Meeting) -> dict:
    """What the tick boxes show: the shape's marks, and every mark (invalid too) by its value."""
    shape = shape_of(meeting)
    return {"marks": shape.marks, "mark_of": {mark: mark for mark in (*shape.marks, shape.invalid)}}


def _ticks(meeting: Meeting) -> tuple[dict[int, list[str]], list[str]]:
    return parse_ticks(request.form, meeting.lines, shape_of(meeting).marks)


def _entry_page(
    meeting: Meeting, form: EntryForm, ticks: dict | None = None, error: str | None = None, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "ballots/paper.html",
        meeting=meeting,
        form=form,
        ticks=ticks or {},
        paper=paper_progress(meeting.id),
        mismatched=paper.unresolved_serials(meeting),
        unchecked=unchecked_serials(meeting.id),
        error=error,
        **marks_context(meeting),
    ), status


def paper_entry(meeting_id: int) -> ResponseReturnValue:
    meeting = load(meeting_id)
    said = words(meeting)
    form = EntryForm(words=said)
    if request.method == "GET":
        wanted = parse_serial(request.args.get("serial"))
        if wanted:
            return redirect(page_url("paper_sheet", meeting, serial=wanted))
        return _entry_page(meeting, EntryForm(formdata=None, words=said))
    ticks, bad = _ticks(meeting)
    if not form.validate_on_submit() or bad:
        problem = _("第 %(lines)s 项的选择无法识别。", lines=_("、").join(bad)) if bad else None
        return _entry_page(
            meeting, form, ticks, error=problem or _("请修改下面标红的内容后再提交。"), status=400
        )
    with refusal_shows(page_refused(_entry_page, meeting, form, ticks)):
        outcome = paper.enter_paper(current_user, meeting, form.serial_number or 0, ticks, form.void.data)
    serial = form.serial_number
    if outcome.first and outcome.void_reason:
        flash(_("%(sheet)s %(serial)03d 已录入：", serial=serial, **said) + outcome.void_reason, "warning")
        return redirect(page_url("paper_entry", meeting))
    if outcome.first:
        flash(_("%(sheet)s %(serial)03d 已录入。", serial=serial, **said), "success")
        return redirect(page_url("paper_entry", meeting))
    if not outcome.differences:
        flash(_("%(sheet)s %(serial)03d 复核一致。", serial=serial, **said), "success")
        return redirect(page_url("paper_entry", meeting))
    flash(
        _("%(sheet)s %(serial)03d 复核与现有录入不一致，请核对原件后更正。", serial=serial, **said), "danger"
    )
    return redirect(page_url("paper_sheet", meeting, serial=serial))


def _sheet_page(
    meeting: Meeting,
    serial: int,
    form: CorrectionForm | None = None,
    ticks: dict | None = None,
    error: str | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    ballot = ballot_of(meeting, serial)
    standing, standing_void = effective(ballot) if ballot else ({}, False)
    # Void by its marks (more 赞成 than places): not spoiled, its marks kept as entered.
    reason = paper.void_reason(meeting, standing, standing_void)
    spoiled = standing_void and reason is None
    entries = entries_of(meeting.id, serial)
    unresolved = serial in paper.unresolved_serials(meeting)
    context = marks_context(meeting)
    if form is None:
        form = CorrectionForm(formdata=None, void=spoiled, words=words(meeting))
        ticks = {line_id: [mark] for line_id, mark in standing.items() if mark in context["marks"]}
    return render_template(
        "ballots/sheet.html",
        meeting=meeting,
        serial=serial,
        ballot=ballot,
        standing=standing,
        standing_void=standing_void,
        spoiled=spoiled,
        void_reason=reason,
        checked=any(not entry.is_first for entry in entries),
        entry_spoiled={entry.id: _spoiled(meeting, entry) for entry in entries},
        entries=entries,
        unresolved=unresolved,
        form=form,
        ticks=ticks or {},
        error=error,
        **context,
    ), status


def _spoiled(meeting: Meeting, entry: PaperEntry) -> bool:
    """Whether this entry set the sheet aside as spoiled (not void by its marks alone)."""
    marks = {int(line_id): mark for line_id, mark in entry.marks.items()}
    return entry.is_void and paper.void_reason(meeting, marks, True) is None


def paper_sheet(meeting_id: int, serial: int) -> ResponseReturnValue:
    meeting = load(meeting_id)
    if request.method == "GET":
        return _sheet_page(meeting, serial)
    form = CorrectionForm(words=words(meeting))
    ticks, bad = _ticks(meeting)
    if not form.validate_on_submit() or bad:
        return _sheet_page(meeting, serial, form, ticks, _("请修改下面标红的内容后再提交。"), 400)
    with refusal_shows(page_refused(_sheet_page, meeting, serial, form, ticks)):
        paper.correct_ballot(current_user, meeting, serial, ticks, form.void.data, form.reason.data or "")
    flash(
        _("%(sheet)s %(serial)03d 已更正，原录入保留在记录中。", serial=serial, **words(meeting)), "success"
    )
    return redirect(page_url("paper_sheet", meeting, serial=serial))


ROUTES: tuple[tuple[str, Callable, tuple[str, ...]], ...] = (
    ("/paper", paper_entry, ("GET", "POST")),
    ("/paper/<int:serial>", paper_sheet, ("GET", "POST")),
)
