"""Rules an item's fields obey however they are entered: on the item form, by the item operations
and by an imported list's rows (item_rows.py), so that an import cannot write what the form refuses."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from flask_babel import gettext as _


def funds_problem(total: Decimal | None, this_year: Decimal | None) -> str:
    """What is wrong with the planned funds, or "": this year's investment is part of the total."""
    if total is not None and this_year is not None and this_year > total:
        return _("本年度计划投资不能超过计划资金总额。")
    return ""


def offices_problem(
    lead: object, joint_leads: Iterable[object], assisting: Iterable[object], name=str
) -> str:
    """What is wrong with an item's offices, or "": an office leads (alone or jointly) or assists,
    never both. Offices are given by anything comparable (ids, names); ``name`` tells them apart
    in the message."""
    joint, helping = list(joint_leads), list(assisting)
    if lead is not None and lead in joint:
        return _("联合牵头单位不能与主办单位相同。")
    if lead is not None and lead in helping:
        return _("%(office)s 不能既是主办单位又是协办单位。", office=name(lead))
    both = sorted({name(o) for o in joint if o in helping})
    if both:
        return _("%(offices)s 不能既是联合牵头单位又是协办单位。", offices=_("、").join(both))
    return ""
