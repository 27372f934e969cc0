"""Writing the checked rows of an item import (item_rows.py checks them) once the user confirmed the
preview: the new offices the user chose to create, then numbered items, their offices, proposers and
"create" events, in batches of multi-row INSERTs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import insert, select

from ..core.errors import DomainError, PermissionDenied
from ..extensions import db
from ..org.models import Office
from . import operations
from .models import (
    Item,
    ItemEvent,
    ItemState,
    SupervisionList,
    item_assisting_office,
    item_joint_lead_office,
    item_proposer,
)

if TYPE_CHECKING:
    from .item_rows import ItemImport, ItemRow

CREATE_BATCH = 500
# What an imported row may set: the fields of the item form and those real lists carry.
IMPORTED_FIELDS = tuple(
    dict.fromkeys(
        (
            *operations.EDITABLE_FIELDS,
            "deadline_text",
            "planned_funds_approx",
            "planned_funds_this_year",
            "funds_source",
            "category",
            "level",
        )
    )
)


def hold_list(supervision_list: SupervisionList) -> None:
    """Lock the list's row until the request ends: of two confirmations of one upload (a double
    click), the second waits, then finds the upload gone (PostgreSQL; SQLite writes one at a time)."""
    db.session.execute(
        select(SupervisionList.id).where(SupervisionList.id == supervision_list.id).with_for_update()
    )


def write_import(
    user, supervision_list: SupervisionList, result: ItemImport, choices: dict[str, int | None]
) -> list[str]:
    """Create the offices the user chose to create, give every row its offices' ids, add the file's
    categories to the list and its rows as items. ``choices``: each new unit name → None (create an
    office of that name) or the id of the township's active office it means. Returns the codes."""
    if not user.is_presidium_of(supervision_list.township_id):
        raise PermissionDenied(_("只有本镇主席团可以编辑清单。"))
    township_id = supervision_list.township_id
    ids = {
        office.name: office.id
        for office in db.session.execute(
            select(Office).where(Office.township_id == township_id, Office.is_active)
        ).scalars()
    }
    for name in result.new_names:
        if name not in choices:
            raise DomainError(_("请为“%(name)s”选择“新建为单位”或本镇已有的站所。", name=name))
    chosen = {name: choices[name] for name in result.new_names}
    if any(office_id is not None and office_id not in ids.values() for office_id in chosen.values()):
        raise PermissionDenied(_("只能对应到本镇在用的站所。"))
    created = [
        Office(township_id=township_id, name=name) for name, office_id in chosen.items() if office_id is None
    ]
    db.session.add_all(created)
    db.session.flush()
    result.created_offices = [office.name for office in created]
    ids |= {office.name: office.id for office in created}
    ids |= {name: office_id for name, office_id in chosen.items() if office_id is not None}
    rows = result.take_rows()
    for row in rows:
        leads = list(dict.fromkeys(ids[name] for name in [row.lead, *row.joint] if name))
        row.fields["lead_office_id"] = leads[0] if leads else None
        row.joint_ids = leads[1:]
        row.assisting_ids = list(dict.fromkeys(ids[name] for name in row.assisting))
    known = list(supervision_list.categories or [])
    if any(category not in known for category in result.categories):
        supervision_list.categories = known + [c for c in result.categories if c not in known]
    codes = create_items(user, supervision_list, rows)
    db.session.expire(supervision_list, ["items"])  # written past the ORM: read them afresh
    return codes


def create_items(user, supervision_list: SupervisionList, rows: list[ItemRow]) -> list[str]:
    """Add checked rows as items, each as operations.create_item would add it: numbered after the
    list's last item, a draft until the list is confirmed, with its "create" event. Returns the codes.

    create_item flushes each item on its own (about 400 rows a second); here the list is locked and
    numbered once and each batch of rows is a few multi-row INSERTs, so 10,000 rows take seconds.
    """
    if not user.is_presidium_of(supervision_list.township_id):
        raise PermissionDenied(_("只有本镇主席团可以编辑清单。"))
    first = operations.next_item_number(supervision_list)
    state = ItemState.draft  # listed only when the list page confirms it, as create_item does
    codes = []
    for start in range(0, len(rows), CREATE_BATCH):
        batch = rows[start : start + CREATE_BATCH]
        numbers = range(first + start, first + start + len(batch))
        values = []
        for number, row in zip(numbers, batch):
            codes.append(operations.item_code(supervision_list, number))
            values.append(
                {
                    "list_id": supervision_list.id,
                    "township_id": supervision_list.township_id,
                    "number": number,
                    "code": codes[-1],
                    "state": state,
                    **{name: row.fields[name] for name in IMPORTED_FIELDS if name in row.fields},
                }
            )
        ids = dict(db.session.execute(insert(Item).returning(Item.number, Item.id), values).all())
        _insert(item_assisting_office, "office_id", ids, numbers, [row.assisting_ids for row in batch])
        _insert(item_joint_lead_office, "office_id", ids, numbers, [row.joint_ids for row in batch])
        _insert(item_proposer, "deputy_id", ids, numbers, [row.proposer_ids for row in batch])
        # The event create_item's record_event writes: the item's first version, no reason.
        events = [
            {
                "item_id": ids[number],
                "actor_id": user.id,
                "action": "create",
                "from_state": None,
                "to_state": state,
                "reason": "",
                "item_version": 1,
                "details": {},
            }
            for number in numbers
        ]
        _insert_many(ItemEvent.__table__, events)
    return codes


def _insert(table, column: str, ids: dict[int, int], numbers: range, linked: list[list[int]]) -> None:
    pairs = [
        {"item_id": ids[number], column: other} for number, others in zip(numbers, linked) for other in others
    ]
    _insert_many(table, pairs)


def _insert_many(table, rows: list[dict]) -> None:
    # With RETURNING, SQLAlchemy batches the rows into multi-row INSERTs ("insertmanyvalues") on
    # SQLite and PostgreSQL alike; without it psycopg sends one statement per row.
    if rows:
        db.session.execute(insert(table).returning(table.c.item_id), rows)
