"""The public board by year: a township's notices of one year, newest first, and the years it has.

The board shows one year at a time (the newest by default), so that it stays the same size as
past years pile up."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..notices.models import PublicNotice


def board_years(version: tuple) -> list[int]:
    """The years of the months the township published notices for, newest first, from the board's
    validator (notices.queries.board_version: its last two values are the first and last month)."""
    first, last = version[-2], version[-1]
    return list(range(last.year, first.year - 1, -1))


def board_notices(township_id: int, year: int) -> list[PublicNotice]:
    """The township's notices for the months of ``year``, newest month first, each month's correction
    before what it corrects."""
    return list(
        db.session.execute(
            select(PublicNotice)
            .where(
                PublicNotice.township_id == township_id,
                PublicNotice.month.between(date(year, 1, 1), date(year, 12, 31)),
            )
            .options(joinedload(PublicNotice.corrected_by))
            .order_by(PublicNotice.month.desc(), PublicNotice.published_at.desc(), PublicNotice.id.desc())
        )
        .unique()
        .scalars()
    )
