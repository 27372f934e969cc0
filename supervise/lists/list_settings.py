"""A list's own settings: its categories (分类) and the defaults that confirming it applies.

Operations like those of ``operations.py``: check, change, flush; the presidium of the list's
township only. Categories are the list's ordered names (``SupervisionList.categories``); an item
names one of them, or none (未分类, shown last).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from ..core.errors import DomainError, PermissionDenied
from ..extensions import db
from .models import Item, SupervisionList

if TYPE_CHECKING:
    from ..accounts.models import User

CATEGORY_LENGTH = 40  # Item.category's column


def _check(user: User, supervision_list: SupervisionList) -> None:
    if not user.is_presidium_of(supervision_list.township_id):
        raise PermissionDenied(_("只有本镇主席团可以编辑清单。"))


def _clean(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("请填写分类名称。"))
    if len(name) > CATEGORY_LENGTH:
        raise DomainError(_("分类名称不能超过 %(n)d 个字。", n=CATEGORY_LENGTH))
    return name


def _known(supervision_list: SupervisionList, name: str) -> None:
    if name not in supervision_list.categories:
        raise DomainError(_("这份清单没有分类“%(category)s”。", category=name))


def category_counts(supervision_list: SupervisionList) -> dict[str, int]:
    """How many items of the list each category has (one query; "" counts the uncategorised)."""
    rows = db.session.execute(
        select(Item.category, func.count()).where(Item.list_id == supervision_list.id).group_by(Item.category)
    )
    return {category: count for category, count in rows}


def add_category(user: User, supervision_list: SupervisionList, name: str) -> str:
    """Add a category at the end of the list's categories."""
    _check(user, supervision_list)
    name = _clean(name)
    if name in supervision_list.categories:
        raise DomainError(_("分类“%(category)s”已经存在。", category=name))
    supervision_list.categories = [*supervision_list.categories, name]
    db.session.flush()
    return name


def rename_category(user: User, supervision_list: SupervisionList, old: str, new: str) -> str:
    """Rename a category, in its place; the items filed under it follow."""
    _check(user, supervision_list)
    _known(supervision_list, old)
    new = _clean(new)
    if new == old:
        return new
    if new in supervision_list.categories:
        raise DomainError(_("分类“%(category)s”已经存在。", category=new))
    supervision_list.categories = [new if name == old else name for name in supervision_list.categories]
    db.session.execute(
        update(Item)
        .where(Item.list_id == supervision_list.id, Item.category == old)
        .values(category=new, version=Item.version + 1)
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()
    return new


def move_category(user: User, supervision_list: SupervisionList, name: str, step: int) -> None:
    """Move a category one place up (step -1) or down (+1) in the list's order."""
    _check(user, supervision_list)
    _known(supervision_list, name)
    names = list(supervision_list.categories)
    here = names.index(name)
    there = here + (1 if step > 0 else -1)
    if 0 <= there < len(names):
        names[here], names[there] = names[there], names[here]
        supervision_list.categories = names
        db.session.flush()


def remove_category(user: User, supervision_list: SupervisionList, name: str) -> None:
    """Remove a category no item uses (move its items to another category first)."""
    _check(user, supervision_list)
    _known(supervision_list, name)
    used = category_counts(supervision_list).get(name, 0)
    if used:
        raise DomainError(
            _(
                "分类“%(category)s”下还有 %(n)d 个事项，不能删除：请先把这些事项改到其他分类。",
                category=name,
                n=used,
            )
        )
    supervision_list.categories = [c for c in supervision_list.categories if c != name]
    db.session.flush()


def set_list_defaults(
    user: User, supervision_list: SupervisionList, default_deadline: date | None, title_is_target: bool
) -> None:
    """The deadline (None: the year's end) and "the title is the target" that confirming the list
    gives items naming neither."""
    _check(user, supervision_list)
    if default_deadline is not None and default_deadline.year != supervision_list.year:
        raise DomainError(_("默认完成时限须在清单年度（%(year)d 年）内。", year=supervision_list.year))
    supervision_list.default_deadline = default_deadline
    supervision_list.title_is_target = title_is_target
    db.session.flush()
