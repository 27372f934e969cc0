"""Association tables: which records of one kind a record of another kind names (many to many)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Table

from ..extensions import db


def link_table(name: str, owner: str, other: str, *, index_other: bool = False) -> Table:
    """The table ``name`` linking rows of table ``owner`` to rows of table ``other``.

    Its columns are ``<owner>_id`` (the row is deleted with its owner) and ``<other>_id``, together its
    primary key; ``index_other`` indexes ``<other>_id`` for the question "which owners name this one".
    """
    return Table(
        name,
        db.metadata,
        Column(f"{owner}_id", ForeignKey(f"{owner}.id", ondelete="CASCADE"), primary_key=True),
        Column(f"{other}_id", ForeignKey(f"{other}.id"), primary_key=True, index=index_other),
    )
