"""Writing the checked rows of an item import (importing.py checks them): numbered items, their
offices, proposers and "create" events, in batches of multi-row INSERTs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import insert

from ..core.errors import PermissionDenied
from ..extensions import db
from . import operations
from .models import Item, ItemEvent, ItemState, SupervisionList, item_assisting_office, item_proposer

if TYPE_CHECKING:
    from .importing import ItemRow

CREATE_BATCH = 500


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
                    **{name: row.fields[name] for name in operations.EDITABLE_FIELDS if name in row.fields},
                }
            )
        ids = dict(db.session.execute(insert(Item).returning(Item.number, Item.id), values).all())
        _insert(item_assisting_office, "office_id", ids, numbers, [row.assisting_ids for row in batch])
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
