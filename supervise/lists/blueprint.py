"""The lists blueprint and what its page modules share: record lookups and form choices."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from flask import Blueprint
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..core.permissions import Role, get_visible_or_404
from ..extensions import db
from ..org.models import Deputy, Office
from .models import Item, SupervisionList
from .timeline import timeline_context

bp = Blueprint("lists", __name__)
bp.context_processor(timeline_context)


def list_or_404(list_id: int, *, roles: Collection[Role] | None = None) -> SupervisionList:
    return get_visible_or_404(SupervisionList, list_id, roles=roles)


def item_or_404(item_id: int, *, roles: Collection[Role] | None = None) -> Item:
    return get_visible_or_404(Item, item_id, roles=roles)


def office_and_deputy_choices(form: Any, township_id: int) -> None:
    """The township's active offices and deputies as the choices of an item or action form."""
    offices = (
        db.session.execute(
            select(Office).where(Office.township_id == township_id, Office.is_active).order_by(Office.name)
        )
        .scalars()
        .all()
    )
    deputies = (
        db.session.execute(
            select(Deputy)
            .where(Deputy.township_id == township_id, Deputy.is_active)
            .options(joinedload(Deputy.station))  # named beside each deputy: no query per deputy
            .order_by(Deputy.name)
        )
        .scalars()
        .all()
    )
    if hasattr(form, "lead_office_id"):
        form.lead_office_id.choices = [("", "—")] + [(o.id, o.name) for o in offices]
        form.assisting_office_ids.choices = [(o.id, o.name) for o in offices]
        form.joint_lead_office_ids.choices = [(o.id, o.name) for o in offices]
        form.proposer_ids.choices = [(d.id, d.name) for d in deputies]
    if hasattr(form, "deputy_ids"):
        form.deputy_ids.choices = [
            (d.id, _("%(name)s（%(note)s）", name=d.name, note=d.station.name) if d.station else d.name)
            for d in deputies
        ]


def category_choices(form: Any, supervision_list: SupervisionList, current: str = "") -> None:
    """The list's categories, in its order, as the item form's choices ("" is 未分类); an item's own
    category stays offered even if the list no longer names it, so that saving never drops it."""
    names = list(supervision_list.categories)
    if current and current not in names:
        names.append(current)
    form.category.choices = [("", _("未分类"))] + [(name, name) for name in names]


def records(model: Any, ids: list[int]) -> list:
    """The rows of ``model`` with these ids (in no particular order)."""
    if not ids:
        return []
    return list(db.session.execute(select(model).where(model.id.in_(ids))).scalars())
