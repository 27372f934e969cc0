"""Questions about consultations that other pages ask (the item page asks through a template global,
so that lists, below meetings, never imports them)."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..lists.models import Item, ItemState
from .models import Consultation, consultation_item


def open_consultation_of(item: Item) -> Consultation | None:
    """The open consultation holding this item, whose page concludes it (None if there is none)."""
    if item.state is not ItemState.consulting:
        return None
    return db.session.execute(
        select(Consultation)
        .join(consultation_item, consultation_item.c.consultation_id == Consultation.id)
        .where(consultation_item.c.item_id == item.id, Consultation.concluded_at.is_(None))
        .order_by(Consultation.id.desc())
        .limit(1)
    ).scalar_one_or_none()
