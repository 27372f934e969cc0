"""What the item list's filter offers and what its cache keys on: the townships a user sees with
their data versions, and the offices and supervisors to filter by."""

from __future__ import annotations

import functools

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import aliased

from ..core import cache
from ..extensions import db
from ..org.models import Deputy, Office, Township
from .models import SupervisorAssignment


@functools.cache
def _versions_of_townships() -> Select:
    """Built once, at first use: aliased() and subqueries cost more to build than the whole query
    takes to run. Not at import time: aliased() configures every mapper, and a script importing this
    module before the accounts' models would fail."""
    version = aliased(cache.DataVersion)
    every_township = aliased(cache.DataVersion)
    return select(
        Township,
        version.version,
        select(every_township.version)
        .where(every_township.township_id == cache.EVERY_TOWNSHIP)
        .scalar_subquery(),
    ).outerjoin(version, version.township_id == Township.id)


def visible_townships_and_versions(user) -> tuple[list[Township], tuple]:
    """The townships this user sees (for the filter) and, read before any item, their data versions
    with the version of every township: ((township id, version, every-township version) …).

    Townships are loaded as objects so that the navbar's ``current_user.township`` needs no query."""
    rows = db.session.execute(
        _versions_of_townships()
        .where(user.visible_township_filter(Township.id))
        .order_by(Township.county_id, Township.slug)
    ).all()
    townships = [township for township, _version, _every in rows]
    return townships, tuple((township.id, version or 0, every or 0) for township, version, every in rows)


def filter_choices(township_ids: list[int]) -> tuple[list, list]:
    """Offices and serving supervisors of these townships, for the filter dropdowns (id, label).

    Across several townships a label names the township too: every township has its own
    党政综合办公室, and two of them must not look the same.
    """
    offices = db.session.execute(
        select(Office.id, Office.name, Township.name)
        .join(Township, Township.id == Office.township_id)
        .where(Office.township_id.in_(township_ids))
        .order_by(Township.name, Office.name)
    ).all()
    supervisors = db.session.execute(
        select(Deputy.id, Deputy.name, Township.name)
        .join(Township, Township.id == Deputy.township_id)
        .where(
            # EXISTS per deputy of these townships, not every township's assignments.
            exists().where(
                SupervisorAssignment.deputy_id == Deputy.id, SupervisorAssignment.ended_at.is_(None)
            )
        )
        .where(Deputy.township_id.in_(township_ids))
        .order_by(Deputy.name)
    ).all()
    if len(township_ids) > 1:
        return (
            [(id_, f"{name}（{township}）") for id_, name, township in offices],
            [(id_, f"{name}（{township}）") for id_, name, township in supervisors],
        )
    return [(id_, name) for id_, name, _t in offices], [(id_, name) for id_, name, _t in supervisors]
