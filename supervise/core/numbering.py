"""Document numbers (文号) such as 江口人大督〔2026〕3号: counted from 1 per township and year.

Follow-up sheets (督办单) and public notices (公示) both number themselves here: each keeps its own
counter table with the columns ``township_id``, ``year`` (together the primary key) and
``last_number``, and a unique constraint on (township, year, number) of the numbered records.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..extensions import db


def take_next_number(counter: Any, township_id: int, year: int) -> int:
    """Take the next number of a township's year from ``counter`` (a model with the columns above).

    The counter row is created if missing, then incremented with one UPDATE … RETURNING: on
    PostgreSQL the UPDATE locks the row (as SELECT … FOR UPDATE would) until this transaction ends,
    so a concurrent issue waits and then reads the incremented value; on SQLite the UPDATE takes
    the database's write lock. A rolled-back issue rolls its increment back: no gaps, no duplicates.
    """
    table = counter.__table__
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(
        insert(table).values(township_id=township_id, year=year, last_number=0).on_conflict_do_nothing()
    )
    return db.session.execute(
        update(table)
        .where(table.c.township_id == township_id, table.c.year == year)
        .values(last_number=table.c.last_number + 1)
        .returning(table.c.last_number)
    ).scalar_one()


def document_number(prefix: str, year: int, number: int) -> str:
    """``<prefix>〔<year>〕<n>号``, the way official documents are numbered."""
    return f"{prefix}〔{year}〕{number}号"
