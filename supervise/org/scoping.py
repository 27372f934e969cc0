"""Which townships a user sees, as lists and choices for forms, and which one a public address names."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from ..extensions import db
from .models import Township


def visible_townships(user) -> list[Township]:
    query = select(Township).order_by(Township.county_id, Township.slug)  # 拼音代码 order
    return list(db.session.execute(query.where(user.visible_township_filter(Township.id))).scalars())


def township_choices(townships: list[Township]) -> list[tuple[int, str]]:
    return [(t.id, t.name) for t in townships]


def public_township(slug: str) -> Township | None:
    """The township a public address (/public/<slug>/…, /api/v1/public/townships/<slug>/…) names;
    None for an unknown slug or a retired (inactive) township, which has no public pages."""
    return db.session.execute(
        select(Township).where(Township.slug == slug, Township.is_active)
    ).scalar_one_or_none()


def public_township_or_404(slug: str) -> Township:
    """``public_township``, or a 404 (a problem+json one under /api/v1/)."""
    township = public_township(slug)
    if township is None:
        abort(404)
    return township
