"""Drafting, issuing, acknowledging, answering, verifying and returning follow-up sheets.

Every step: check, change, write the sheet's event and the events of every item it concerns,
flush. Never commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm.attributes import flag_modified

from ..core.clock import today, utcnow
from ..core.documents import changed
from ..core.errors import DomainError, PermissionDenied
from ..core.history import event_writer
from ..core.numbering import take_next_number
from ..core.permissions import Role
from ..core.storage import delete_after_commit
from ..extensions import db
from ..lists import operations as item_operations
from ..lists.models import ItemState
from ..org.models import Office
from ..uploads.storage import attach
from .models import (
    ExtensionDecision,
    FollowUpSheet,
    SheetCounter,
    SheetDocument,
    SheetEvent,
    SheetExtension,
    SheetLine,
    SheetState,
)
from .notifications import sheet_moved
from .workflow import WORKFLOW, SheetInput, past_day_problem

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..uploads.models import Attachment

MAX_LINES = 200

DOCUMENT_KIND = "sheet"  # sheets/documents.py registers it


# ---- drafts --------------------------------------------------------------------------------------


def _check_draft(township_id: int | None, lead_office: Office | None, lines: list[tuple]) -> list[tuple]:
    """Lines are (item, findings) or (item, findings, finding); returns (item, findings, finding)."""
    if lead_office is not None and lead_office.township_id != township_id:
        raise DomainError(_("承办单位必须是本镇的站所。"))
    kept = []
    for line in lines:
        item, findings, finding = (tuple(line) + (None,))[:3]
        findings = (findings or "").strip()
        if item is not None or findings:
            kept.append((item, findings, finding))
    if len(kept) > MAX_LINES:
        raise DomainError(_("一张督办单最多 %(n)d 条。", n=MAX_LINES))
    for item, _findings, finding in kept:
        inspection = finding.inspection if finding is not None else None
        if inspection is not None and (inspection.township_id != township_id or inspection.is_draft):
            raise DomainError(_("所选的发现不属于本镇已提交的监督活动。"))
        if item is None:
            continue
        if item.township_id != township_id:
            raise DomainError(_("所选事项必须属于本镇。"))
        if item.state is ItemState.draft:
            raise DomainError(_("事项尚未列入清单：%(code)s。", code=item.code))
    return kept


def _fill(sheet: FollowUpSheet, fields: dict, lead_office: Office | None, lines: list[tuple]) -> None:
    sheet.title = (fields.get("title") or "").strip()
    if not sheet.title:
        raise DomainError(_("请填写督办单的标题。"))
    sheet.requirements = (fields.get("requirements") or "").strip()
    sheet.lead_office_id = lead_office.id if lead_office else None
    leader = (fields.get("leader_name") or "").strip()
    sheet.leader_name = leader or (lead_office.leader_name if lead_office else "")
    sheet.deadline = fields.get("deadline")
    if problem := past_day_problem(sheet.deadline, _("办理时限")):
        raise DomainError(problem)
    sheet.lines = [
        SheetLine(
            position=n,
            item_id=item.id if item else None,
            findings=findings,
            finding_id=finding.id if finding else None,
        )
        for n, (item, findings, finding) in enumerate(lines, start=1)
    ]


def create_sheet(user: User, fields: dict, lead_office: Office | None, lines: list[tuple]) -> FollowUpSheet:
    """Draft a sheet: its items and findings, requirements, lead office, leader and deadline."""
    if user.role is not Role.presidium:
        raise PermissionDenied(_("只有本镇主席团可以起草督办单。"))
    township_id = user.township_id
    kept = _check_draft(township_id, lead_office, lines)
    sheet = FollowUpSheet(township_id=township_id, created_by_id=user.id, state=SheetState.draft)
    _fill(sheet, fields, lead_office, kept)
    return WORKFLOW.start(sheet, user, write_event=_record)


def update_sheet(
    user: User, sheet: FollowUpSheet, fields: dict, lead_office: Office | None, lines: list[tuple]
) -> FollowUpSheet:
    """Change a draft; an issued sheet is never edited, only answered, returned or verified."""
    if not user.is_presidium_of(sheet.township_id):
        raise PermissionDenied(_("只有本镇主席团可以修改督办单。"))
    if sheet.state is not SheetState.draft:
        raise DomainError(_("督办单已经下发，不能再修改。"))
    kept = _check_draft(sheet.township_id, lead_office, lines)
    _fill(sheet, fields, lead_office, kept)
    _record(sheet, user, "amend", SheetState.draft, SheetState.draft)
    WORKFLOW.flush()
    return sheet


def delete_draft_sheet(user: User, sheet: FollowUpSheet) -> None:
    """Throw away a draft: its lines go, and the findings it cited return to the pick list.

    A draft was never sent to anyone, so its own drafting log ("create", "amend") goes with it;
    an issued sheet is never deleted (its number must stay without a gap).
    """
    if not user.is_presidium_of(sheet.township_id):
        raise PermissionDenied(_("只有本镇主席团可以删除督办单草稿。"))
    WORKFLOW.hold(sheet)
    if sheet.state is not SheetState.draft:
        raise DomainError(_("督办单已经下发，不能删除。"))
    # Bulk statements: the drafting log is append-only for the ORM, and only a draft's may go.
    db.session.execute(delete(SheetEvent).where(SheetEvent.sheet_id == sheet.id))
    stored = select(SheetDocument.pdf_key).where(SheetDocument.sheet_id == sheet.id)
    for key in db.session.execute(stored).scalars():
        delete_after_commit(db.session(), key)  # its PDF leaves storage with the row
    db.session.execute(delete(SheetDocument).where(SheetDocument.sheet_id == sheet.id))
    db.session.delete(sheet)
    WORKFLOW.flush()


# ---- numbering -----------------------------------------------------------------------------------


def _next_number(township_id: int, year: int) -> int:
    """Take the next number of a township's year (see core.numbering.take_next_number)."""
    return take_next_number(SheetCounter, township_id, year)


# ---- transitions ---------------------------------------------------------------------------------


_record = event_writer(SheetEvent, "sheet")


def _fire(user: User, sheet: FollowUpSheet, action: str, given: SheetInput) -> FollowUpSheet:
    event = WORKFLOW.fire(sheet, action, user, given, effect=EFFECTS[action], write_event=_record)
    details = event.details or {}
    _record_on_items(sheet, user, action, event.reason, details)
    sheet_moved(sheet, action)
    WORKFLOW.flush()
    if action == "answer" and given.evidence_files:
        # Evidence files hang on the answer's event: a later answer brings its own.
        attach(list(given.evidence_files), "sheet_answer", event.id)
    # Issued, answered, verified…: the printed sheet shows it, so it is made again once committed.
    changed(DOCUMENT_KIND, sheet.id)
    return sheet


def _record_on_items(sheet: FollowUpSheet, user: User, action: str, reason: str, details: dict) -> None:
    """Every step of an issued sheet shows on the timeline of every item it concerns."""
    summary = _("督办单 %(number)s：%(title)s", number=sheet.document_number, title=sheet.title)
    if action == "issue":
        assert sheet.lead_office is not None  # issue_guard requires one
        summary += _(
            "；承办单位：%(office)s；办理时限：%(day)s", office=sheet.lead_office.name, day=sheet.deadline
        )
    elif action == "answer":
        summary += _("；办理措施：%(measures)s", measures=item_operations.shorten(sheet.measures))
    elif action == "verify":
        summary += _("；核实意见：%(opinion)s", opinion=item_operations.shorten(sheet.verification_opinion))
    elif action == "request_extension":
        summary += _("；申请延期至 %(day)s", day=details.get("asked_deadline"))
    elif action == "grant_extension":
        summary += _(
            "；办理时限由 %(old)s 延至 %(new)s", old=details.get("previous_deadline"), new=sheet.deadline
        )
    link = item_operations.event_link("sheets.sheet_detail", sheet_id=sheet.id)
    for item in sheet.items:
        item_operations.record_event(
            item, user, f"sheet_{action}", reason=reason, summary=summary, link=link, sheet_id=sheet.id
        )


def _issue(user: User, sheet: FollowUpSheet, _given: SheetInput) -> dict:
    year = today().year
    sheet.year = year
    sheet.number = _next_number(sheet.township_id, year)
    sheet.issued_at = utcnow()
    sheet.issued_by_id = user.id
    return {"number": sheet.document_number}


def _acknowledge(user: User, sheet: FollowUpSheet, _given: SheetInput) -> dict:
    sheet.acknowledged_at = utcnow()
    sheet.acknowledged_by_id = user.id
    return {}


def _answer(user: User, sheet: FollowUpSheet, given: SheetInput) -> dict:
    pending = sheet.open_extension
    if pending is not None:  # answered before the presidium decided: nothing is left to extend
        pending.decision = ExtensionDecision.lapsed
    sheet.measures = given.measures.strip()
    sheet.evidence = given.evidence.strip()
    sheet.answered_at = utcnow()
    sheet.answered_by_id = user.id
    return {"measures": sheet.measures, "evidence": sheet.evidence, **_fill_contact(sheet.lead_office, given)}


def _fill_contact(office: Office | None, given: SheetInput) -> dict:
    """The answering office's contact, where it has none yet: what the clerk gave is kept on the
    office (and printed on its sheets); a contact the office already has is not overwritten here."""
    added = {}
    for name in ("contact_person", "contact_phone"):
        value = getattr(given, name).strip()
        if office is not None and value and not getattr(office, name):
            setattr(office, name, value)
            added[name] = value
    return added


def _verify(user: User, sheet: FollowUpSheet, given: SheetInput) -> dict:
    sheet.verified_at = utcnow()
    sheet.verified_by_id = user.id
    sheet.verification_opinion = given.opinion.strip()
    return {"opinion": sheet.verification_opinion}


def _return(user: User, sheet: FollowUpSheet, _given: SheetInput) -> dict:
    return {}


def _request_extension(user: User, sheet: FollowUpSheet, given: SheetInput) -> dict:
    assert given.new_deadline is not None  # the guard saw to it
    request = SheetExtension(
        requested_by_id=user.id,
        reason=given.reason.strip(),
        previous_deadline=sheet.deadline,
        asked_deadline=given.new_deadline,
    )
    sheet.extensions.append(request)
    flag_modified(sheet, "state")  # the version moves: a concurrent request or decision is refused
    return {"asked_deadline": given.new_deadline.isoformat()}


def _decide(user: User, sheet: FollowUpSheet, decision: ExtensionDecision, note: str) -> SheetExtension:
    request = sheet.open_extension
    assert request is not None  # the readiness check saw to it
    request.decision = decision
    request.decided_at = utcnow()
    request.decided_by_id = user.id
    request.decision_note = note.strip()
    flag_modified(sheet, "state")
    return request


def _grant_extension(user: User, sheet: FollowUpSheet, given: SheetInput) -> dict:
    assert given.new_deadline is not None  # the guard saw to it
    request = _decide(user, sheet, ExtensionDecision.granted, given.reason)
    request.new_deadline = given.new_deadline
    previous, sheet.deadline = sheet.deadline, given.new_deadline
    return {
        "asked_deadline": request.asked_deadline.isoformat(),
        "previous_deadline": previous.isoformat() if previous else None,
        "new_deadline": given.new_deadline.isoformat(),
    }


def _refuse_extension(user: User, sheet: FollowUpSheet, given: SheetInput) -> dict:
    request = _decide(user, sheet, ExtensionDecision.refused, given.reason)
    return {"asked_deadline": request.asked_deadline.isoformat()}


EFFECTS = {
    "request_extension": _request_extension,
    "grant_extension": _grant_extension,
    "refuse_extension": _refuse_extension,
    "issue": _issue,
    "acknowledge": _acknowledge,
    "answer": _answer,
    "verify": _verify,
    "return": _return,
}


def fire(user: User, sheet: FollowUpSheet, action: str, **given: Any) -> FollowUpSheet:
    """Fire one action of the table by name (the sheet page's buttons post their action)."""
    if action not in WORKFLOW:
        raise DomainError(_("未知的操作。"))
    return _fire(user, sheet, action, SheetInput(**given))


def issue_sheet(user: User, sheet: FollowUpSheet) -> FollowUpSheet:
    """Give the draft the next number of its township's year and send it to the lead office."""
    return _fire(user, sheet, "issue", SheetInput())


def acknowledge_sheet(user: User, sheet: FollowUpSheet) -> FollowUpSheet:
    """The addressed office signs for the sheet (签收): by whom and when are recorded."""
    return _fire(user, sheet, "acknowledge", SheetInput())


def answer_sheet(
    user: User,
    sheet: FollowUpSheet,
    *,
    measures: str,
    evidence: str = "",
    evidence_files: Iterable[Attachment] = (),
) -> FollowUpSheet:
    """The addressed office reports the measures taken and the evidence: described, attached
    (pending uploads of the user), or both."""
    given = SheetInput(measures=measures, evidence=evidence, evidence_files=list(evidence_files))
    return _fire(user, sheet, "answer", given)


def verify_sheet(user: User, sheet: FollowUpSheet, *, opinion: str) -> FollowUpSheet:
    """The presidium accepts the answer with its verification opinion (核实意见): the sheet is done."""
    return _fire(user, sheet, "verify", SheetInput(opinion=opinion))


def return_sheet(user: User, sheet: FollowUpSheet, *, reason: str) -> FollowUpSheet:
    """The presidium returns the answer for fresh handling, saying why."""
    return _fire(user, sheet, "return", SheetInput(reason=reason))


def request_extension(
    user: User, sheet: FollowUpSheet, *, new_deadline: date | None, reason: str
) -> FollowUpSheet:
    """The addressed office asks for a later deadline (延期申请), saying why; one open request at a time."""
    return _fire(user, sheet, "request_extension", SheetInput(new_deadline=new_deadline, reason=reason))


def grant_extension(
    user: User, sheet: FollowUpSheet, *, new_deadline: date | None, note: str = ""
) -> FollowUpSheet:
    """The presidium grants the open request: the sheet's deadline becomes ``new_deadline`` (perhaps
    not the day asked for)."""
    return _fire(user, sheet, "grant_extension", SheetInput(new_deadline=new_deadline, reason=note))


def refuse_extension(user: User, sheet: FollowUpSheet, *, reason: str) -> FollowUpSheet:
    """The presidium refuses the open request, saying why; the deadline stays."""
    return _fire(user, sheet, "refuse_extension", SheetInput(reason=reason))
