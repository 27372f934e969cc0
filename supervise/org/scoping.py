"""Which townships a user sees, as lists and choices for forms."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from .models import Township


def visible_townships(user) -> list[Township]:
    query = select(Township).order_by(Township.county_id, Township.slug)  # 拼音代码 order
    return list(db.session.execute(query.where(user.visible_township_filter(Township.id))).scalars())


def township_choices(townships: list[Township]) -> list[tuple[int, str]]:
    return [(t.id, t.name) for t in townships]
