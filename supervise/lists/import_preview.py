"""The import's preview and its confirmation: what the file will create, row by row, and the choice
for every unit name the township does not have yet ("新建为单位" or "同一单位：…").

The preview writes nothing. The confirmation reads the kept file again, checks it again against the
database as it is now, and writes everything or nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..org.models import Office
from . import importing
from .import_pending import PendingUpload
from .item_rows import ASSISTING, ItemImport
from .item_rules import offices_problem
from .models import SupervisionList

PREVIEW_ROWS = 200  # rows shown on the preview; the rest are counted
NEW = "new"


def choice_field(name: str) -> str:
    """The form field of a new unit name's choice: named after the name, never after its place in
    the file (a file read again may list its new names differently)."""
    return "unit-" + hashlib.sha256(name.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class NewUnit:
    name: str
    row: int
    field: str
    suggestion: str | None  # the existing office it most likely means: chosen unless the user says otherwise
    close: bool  # the same name written another way, not merely alike
    chosen: str  # NEW or an office id, as the form shows it


def new_units(supervision_list: SupervisionList, result: ItemImport, form=None) -> list[NewUnit]:
    suggestions = importing.unit_suggestions(supervision_list, result.new_names)
    ids = _office_ids(supervision_list)
    units = []
    for name, row in result.new_names.items():
        suggestion = suggestions[name]
        field = choice_field(name)
        # A suggested office is preselected even when merely alike ("规划建设办" for
        # "规划建设环保办公室"): creating the unit anew is the choice that makes duplicates.
        default = str(ids[suggestion.name]) if suggestion else NEW
        chosen = (form or {}).get(field, default)
        units.append(
            NewUnit(
                name,
                row,
                field,
                suggestion.name if suggestion else None,
                bool(suggestion and suggestion.close),
                chosen,
            )
        )
    return units


def _office_ids(supervision_list: SupervisionList) -> dict[str, int]:
    query = select(Office.name, Office.id).where(
        Office.township_id == supervision_list.township_id, Office.is_active
    )
    return {name: office_id for name, office_id in db.session.execute(query).all()}


def read_choices(supervision_list: SupervisionList, result: ItemImport) -> tuple[dict[str, int | None], str]:
    """The user's choice for each new name, from the confirmation form; and what is wrong, if anything
    (a name without a choice, an office that is not the township's)."""
    ids = set(_office_ids(supervision_list).values())
    choices: dict[str, int | None] = {}
    for name in result.new_names:
        value = request.form.get(choice_field(name), "")
        if value == NEW:
            choices[name] = None
        elif value.isdigit() and int(value) in ids:
            choices[name] = int(value)
        else:
            return {}, _("请为“%(name)s”选择“新建为单位”或本镇已有的站所。", name=name)
    return choices, mapping_problem(supervision_list, result, choices)


def mapping_problem(
    supervision_list: SupervisionList, result: ItemImport, choices: dict[str, int | None]
) -> str:
    """A row whose units, once the new names are mapped to the chosen offices, name one office as
    leading and assisting (the file's names differed, the offices do not): the row and why, or ""."""
    ids = _office_ids(supervision_list)
    names = {office_id: name for name, office_id in ids.items()}

    def office(name: str) -> int | str:
        chosen = choices.get(name)
        return chosen if chosen is not None else ids.get(name, name)  # a unit to create: its name

    def shown(office_id: int | str) -> str:
        return names.get(office_id, str(office_id)) if isinstance(office_id, int) else office_id

    for row in result.rows:
        lead = office(row.lead) if row.lead else None
        joint = [o for o in dict.fromkeys(office(n) for n in row.joint) if o != lead]
        problem = offices_problem(lead, joint, [office(n) for n in row.assisting], shown)
        if problem:
            return _(
                "第 %(row)d 行（%(column)s）：%(problem)s", row=row.number, column=ASSISTING, problem=problem
            )
    return ""


def preview_page(
    supervision_list: SupervisionList, pending: PendingUpload, result: ItemImport, error: str = ""
):
    """The preview: every row as it will be created, the new unit names and their choices."""
    offices = db.session.execute(
        select(Office)
        .where(Office.township_id == supervision_list.township_id, Office.is_active)
        .order_by(Office.name)
    ).scalars()
    rows = result.rows
    return render_template(
        "lists/import_preview.html",
        supervision_list=supervision_list,
        pending=pending,
        result=result,
        rows=rows[:PREVIEW_ROWS],
        more_rows=max(len(rows) - PREVIEW_ROWS, 0),
        total=len(rows),
        approx=sum(1 for r in rows if r.fields.get("planned_funds_approx")),
        multi_year=sum(1 for r in rows if r.fields.get("end_year")),
        joint=sum(1 for r in rows if r.joint),
        notes=[(r.number, note) for r in rows for note in r.notes],
        merged_categories=result.merged_categories,
        new_categories=[c for c in result.categories if c not in (supervision_list.categories or [])],
        units=new_units(supervision_list, result, request.form if error else None),
        offices=list(offices),
        error=error,
        new=NEW,
    )


def max_rows() -> int:
    return current_app.config["IMPORT_MAX_ROWS"]
