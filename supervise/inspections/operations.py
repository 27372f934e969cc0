"""Drafting, filing and annotating inspections. Every change: check, change, flush. Never commits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import select

from ..core.clock import today, utcnow
from ..core.errors import DomainError, PermissionDenied
from ..extensions import db
from ..lists import operations as item_operations
from ..lists.models import ON_LIST_STATES, Item
from ..org.models import Deputy, DeputyGroup, LiaisonStation
from ..uploads.models import Attachment
from ..uploads.storage import attach, attachments_for, discard
from .models import AUTHOR_ROLES, Finding, Inspection, InspectionMethod, InspectionNote, InspectionState

if TYPE_CHECKING:
    from ..accounts.models import User

MAX_FINDINGS = 30
# No township's supervision records go back further: an earlier date is a slip of the keyboard.
EARLIEST_HELD_ON = date(2000, 1, 1)


@dataclass
class FindingDraft:
    """A finding as typed: its text, the items it concerns, the uploads kept for it."""

    text: str
    item_ids: list[int] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)


def held_on_refusal(held_on: date | None) -> str | None:
    """Why an inspection cannot have been held on ``held_on`` (None: it can, or no date yet): it
    cannot be later than today (China date) nor before the supervision existed. Every save and
    every filing asks, from the pages and the API alike."""
    if held_on is None:
        return None
    if held_on > today():
        return _(
            "活动日期 %(day)s 晚于今天（%(today)s）：只能记录已经开展的活动，请改正日期。",
            day=held_on.isoformat(),
            today=today().isoformat(),
        )
    if held_on < EARLIEST_HELD_ON:
        return _(
            "活动日期 %(day)s 早于 %(earliest)s，不可能是监督活动的日期，请改正日期。",
            day=held_on.isoformat(),
            earliest=EARLIEST_HELD_ON.isoformat(),
        )
    return None


def _in_township(model: type[Any], ids: Iterable[int | None], township_id: int, message: str) -> list[Any]:
    ids = {i for i in ids if i}
    if not ids:
        return []
    rows = list(db.session.execute(select(model).where(model.id.in_(ids))).scalars())
    if len(rows) != len(ids) or any(row.township_id != township_id for row in rows):
        raise DomainError(message)
    return rows


def _fill(
    inspection: Inspection,
    fields: dict[str, Any],
    participant_ids: Iterable[int | None],
    findings: list[FindingDraft],
) -> None:
    township_id = inspection.township_id
    refusal = held_on_refusal(fields.get("held_on"))
    if refusal:
        raise DomainError(refusal)
    inspection.method = fields["method"]
    inspection.held_on = fields.get("held_on")
    inspection.place = (fields.get("place") or "").strip()
    inspection.notes = (fields.get("notes") or "").strip()
    station = _in_township(
        LiaisonStation, [fields.get("station_id")], township_id, _("所选的联络站不属于本镇。")
    )
    group = _in_township(DeputyGroup, [fields.get("group_id")], township_id, _("所选的代表小组不属于本镇。"))
    inspection.station_id = station[0].id if station else None
    inspection.group_id = group[0].id if group else None
    if inspection.method is InspectionMethod.questionnaire:
        inspection.residents_visited = fields.get("residents_visited")
        inspection.residents_summary = (fields.get("residents_summary") or "").strip()
    else:
        inspection.residents_visited = None
        inspection.residents_summary = ""
    inspection.participants = _in_township(Deputy, participant_ids, township_id, _("所选的代表不属于本镇。"))
    kept = [f for f in findings if f.text.strip() or f.attachments]
    if len(kept) > MAX_FINDINGS:
        raise DomainError(_("一次活动最多记录 %(n)d 条发现。", n=MAX_FINDINGS))
    items = {
        item.id: item
        for item in _in_township(
            Item, [i for f in kept for i in f.item_ids], township_id, _("所选的事项不属于本镇。")
        )
    }
    for item in items.values():
        if item.state not in ON_LIST_STATES:
            raise DomainError(
                _("事项 %(code)s 当前不能关联发现（%(state)s）。", code=item.code, state=item.state.label)
            )
    # Findings are rebuilt from the form; their photos move to the new rows, dropped ones are forgotten.
    old = attachments_for("finding", [f.id for f in inspection.findings])
    old_files = [a for files in old.values() for a in files]
    inspection.findings = [
        Finding(position=n, text=f.text.strip(), items=[items[i] for i in dict.fromkeys(f.item_ids)])
        for n, f in enumerate(kept, start=1)
    ]
    db.session.flush()
    kept_ids: set[int] = set()
    for finding, draft in zip(inspection.findings, kept, strict=True):
        attach(draft.attachments, "finding", finding.id)
        kept_ids.update(a.id for a in draft.attachments)
    discard([a for a in old_files if a.id not in kept_ids])


def _check_author(user: User) -> None:
    if user.role not in AUTHOR_ROLES or user.township_id is None:
        raise PermissionDenied(_("只有本镇的代表和主席团可以记录监督活动。"))


def create_inspection(
    user: User, fields: dict[str, Any], participant_ids: Iterable[int | None], findings: list[FindingDraft]
) -> Inspection:
    """Save a new inspection as the user's draft."""
    _check_author(user)
    inspection = Inspection(township_id=user.township_id, author_id=user.id, state=InspectionState.draft)
    db.session.add(inspection)
    _fill(inspection, fields, participant_ids, findings)
    db.session.flush()
    return inspection


def update_inspection(
    user: User,
    inspection: Inspection,
    fields: dict[str, Any],
    participant_ids: Iterable[int | None],
    findings: list[FindingDraft],
) -> Inspection:
    """Change the user's own draft; a filed inspection only takes appended notes."""
    if not inspection.can_edit(user):
        if not inspection.is_draft:
            raise DomainError(_("这次活动已经提交，不能再修改；如需更正，请在下方追加说明。"))
        raise PermissionDenied(_("只能修改自己的草稿。"))
    _fill(inspection, fields, participant_ids, findings)
    db.session.flush()
    return inspection


def missing_for_filing(inspection: Inspection) -> list[str]:
    """What a draft still lacks before it can be filed (empty: it can be filed)."""
    missing = []
    if inspection.held_on is None:
        missing.append(_("请填写活动日期。"))
    refusal = held_on_refusal(inspection.held_on)  # a draft saved before the date was checked
    if refusal:
        missing.append(refusal)
    if not inspection.place and inspection.station_id is None:
        missing.append(_("请填写活动地点或选择联络站。"))
    if not inspection.participants:
        missing.append(_("请选择参加活动的代表。"))
    if not inspection.findings and not inspection.notes:
        missing.append(_("请至少记录一条发现的问题或建议，或填写活动情况。"))
    if any(not f.text for f in inspection.findings):
        missing.append(_("每条发现都要写明问题或建议（只有照片不够）。"))
    if inspection.method is InspectionMethod.questionnaire:
        if inspection.residents_visited is None:
            missing.append(_("问卷式走访座谈请填写走访的群众人数。"))
        if not inspection.residents_summary:
            missing.append(_("问卷式走访座谈请填写群众意见摘要。"))
    return missing


def file_inspection(user: User, inspection: Inspection) -> Inspection:
    """File a complete draft: from now on it is read-only, and its findings show on their items."""
    if not inspection.can_edit(user):
        if not inspection.is_draft:
            raise DomainError(_("这次活动已经提交过了。"))
        raise PermissionDenied(_("只能提交自己的草稿。"))
    missing = missing_for_filing(inspection)
    if missing:
        raise DomainError(" ".join(missing))
    assert inspection.held_on is not None  # missing_for_filing() asked for it
    inspection.state = InspectionState.filed
    inspection.filed_at = utcnow()
    link = item_operations.event_link("inspections.detail", inspection_id=inspection.id)
    for finding in inspection.findings:
        for item in finding.items:
            item_operations.record_event(
                item,
                user,
                "inspection_finding",
                # No finding text here: every reader of the item reads its timeline, and government
                # offices get findings only through the follow-up sheets sent to them.
                summary=_(
                    "%(method)s（%(day)s）记录了关于本事项的发现",
                    method=inspection.method.label,
                    day=inspection.held_on.isoformat(),
                ),
                link=link,
                inspection_id=inspection.id,
                finding_id=finding.id,
            )
    db.session.flush()
    return inspection


def delete_draft(user: User, inspection: Inspection) -> None:
    """Throw away the user's own draft and its photos."""
    if not inspection.can_edit(user):
        raise DomainError(_("只能删除自己尚未提交的草稿。"))
    files = attachments_for("finding", [f.id for f in inspection.findings])
    discard([a for group in files.values() for a in group])
    db.session.delete(inspection)
    db.session.flush()


def add_note(user: User, inspection: Inspection, text: str) -> InspectionNote:
    """Append a correction or addition to a filed inspection."""
    if not inspection.can_add_note(user):
        if inspection.is_draft:
            raise DomainError(_("草稿可以直接修改，不需要追加说明。"))
        raise PermissionDenied(_("只有活动的记录人、参加的代表和主席团可以追加说明。"))
    text = (text or "").strip()
    if not text:
        raise DomainError(_("请填写说明的内容。"))
    note = InspectionNote(inspection=inspection, author_id=user.id, text=text)
    db.session.add(note)
    db.session.flush()
    return note
