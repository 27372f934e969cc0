"""The public entry (no login): townships, and later their published notices and results."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from ..extensions import db
from ..org.models import Township

bp = Blueprint("public", __name__, url_prefix="/public")


@bp.get("/")
def index():
    townships = (
        db.session.execute(select(Township).where(Township.is_active).order_by(Township.name)).scalars().all()
    )
    return render_template("public/index.html", townships=townships)
