"""A list's import template is a stored document made by a worker (core/exports.register_workbook),
like every generated .xlsx: one per list and language, made again when what it shows changes (the
list, its township's offices in the drop-down, the columns)."""

from __future__ import annotations

from sqlalchemy import select

from ..core.exports import register_workbook
from ..extensions import db
from ..org.models import Office
from . import importing
from .models import SupervisionList

KIND = "list-template"


def active_offices(supervision_list: SupervisionList) -> list[Office]:
    """The offices the template's drop-down offers: the township's active ones, by name."""
    query = (
        select(Office)
        .where(Office.township_id == supervision_list.township_id, Office.is_active)
        .order_by(Office.name)
    )
    return list(db.session.execute(query).scalars())


def fingerprint(supervision_list: SupervisionList) -> str:
    """What the template shows, read cheaply (the office names only): a change makes a new one."""
    names = db.session.execute(
        select(Office.name)
        .where(Office.township_id == supervision_list.township_id, Office.is_active)
        .order_by(Office.name)
    ).scalars()
    return repr(
        (
            supervision_list.id,
            supervision_list.township.name,
            supervision_list.title,
            supervision_list.year,
            supervision_list.kind.value,
            importing.template_headers(supervision_list.kind),
            list(names),
        )
    )


def build(supervision_list: SupervisionList) -> bytes:
    return importing.template_workbook(supervision_list, active_offices(supervision_list))


register_workbook(
    KIND,
    load_record=lambda list_id: db.session.get(SupervisionList, list_id),
    fingerprint=fingerprint,
    build=build,
)
