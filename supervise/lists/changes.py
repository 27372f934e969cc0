"""What an amendment of an item changes, as the timeline and the edit-conflict page show it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import String, select

from ..core.enums import LabeledEnum
from ..core.errors import DomainError
from ..extensions import db
from ..org.models import Office
from .models import Item, ItemEvent

# Fields that a presidium member may amend; after listing, each change is an event with a reason.
EDITABLE_FIELDS = (
    "title",
    "description",
    "area",
    "category",
    "level",
    "lead_office_id",
    "leader_name",
    "target",
    "deadline",
    "end_year",
    "planned_funds",
    "planned_funds_this_year",
    "planned_funds_approx",
    "planned_funds_about",
    "funds_source",
    "wide_impact",
    "public_attention",
    "high_difficulty",
    "source",
    "handed_over_on",
    "extension_approved",
    "extension_note",
)
# The offices and deputies linked to an item, amended as collections.
LINKED_COLLECTIONS = ("joint_lead_offices", "assisting_offices", "proposers")
# Text that is never NULL: a field the page did not show (a suggestion's, on other lists) is empty.
TEXT_FIELDS = frozenset(
    name
    for name in EDITABLE_FIELDS
    if isinstance(Item.__table__.c[name].type, String) and not Item.__table__.c[name].nullable
)


class EditConflict(DomainError):
    """Someone else saved the item since this user loaded it."""

    def __init__(self, item: Item, seen_version: int):
        super().__init__(_("在您编辑期间，其他人已修改了这个事项。"))
        self.item = item
        self.seen_version = seen_version


def normalise(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 1200.00 and 1200 are the same amount: "1200"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, LabeledEnum):
        return value.value
    return value


def incoming(name: str, value: Any) -> Any:
    return "" if value is None and name in TEXT_FIELDS else value


def shown(name: str, value: Any) -> Any:
    """A field's value as the timeline shows it (office names rather than ids)."""
    if name == "planned_funds_about":  # the word the amount is written with, not True/False
        return "约" if value else "余"
    if name == "lead_office_id" and value is not None:
        office = db.session.get(Office, value)
        return office.name if office else value
    if name in LINKED_COLLECTIONS:
        return sorted(record.name for record in value)
    return normalise(value)


def changed_since(item: Item, seen_version: int) -> dict[str, list]:
    """What others amended since ``seen_version``: {field: [value then, value now]}, as shown."""
    changed: dict[str, list] = {}
    events = db.session.execute(
        select(ItemEvent)
        .where(ItemEvent.item_id == item.id, ItemEvent.item_version > seen_version)
        .order_by(ItemEvent.id)
    ).scalars()
    for event in events:
        for name, (old, new) in (event.details.get("changes") or {}).items():
            changed.setdefault(name, [old, new])[1] = new
    return changed


def fields_to_take_over(item: Item, seen_version: int, fields: dict) -> list[str]:
    """Fields others amended meanwhile that this user sent back as they saw them.

    On an edit conflict these take the others' new values, so that saving again keeps both
    people's changes; a field both changed keeps this user's input for them to decide.
    """
    return [
        name
        for name, (then, _now) in changed_since(item, seen_version).items()
        if name in fields and shown(name, incoming(name, fields[name])) == then
    ]
