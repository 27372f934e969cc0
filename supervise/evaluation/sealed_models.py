"""The sealed pool of phone ballots: where a phone ballot waits, while voting is open, to be written
to the ballot table at closing, in a random order (see sealed.py).

A pooled ballot has a random token for a key and nothing else: no sequence number, no time, no
code. On SQLite both tables are WITHOUT ROWID, so their rows are stored in the order of their
random keys, not in the order they came in. On PostgreSQL a row's place in the table file (ctid)
and its transaction id (xmin) still follow the order of casting: the pool is emptied when voting
closes, which is why it is a pool and not the ballot table itself.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.enums import enum_column_type
from ..extensions import db
from .models import Mark


class SealedBallot(db.Model):
    """A phone ballot cast while voting is open, not yet written to the ballot table."""

    __tablename__ = "evaluation_sealed_ballot"
    __table_args__ = {"sqlite_with_rowid": False}

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_meeting.id", ondelete="CASCADE"), index=True
    )


class SealedMark(db.Model):
    """A pooled ballot's mark for one rated line (a phone ballot marks every line)."""

    __tablename__ = "evaluation_sealed_mark"
    __table_args__ = {"sqlite_with_rowid": False}

    ballot_token: Mapped[str] = mapped_column(
        String(32), ForeignKey("evaluation_sealed_ballot.token", ondelete="CASCADE"), primary_key=True
    )
    line_id: Mapped[int] = mapped_column(ForeignKey("evaluation_rated_line.id"), primary_key=True, index=True)
    mark: Mapped[Mark] = mapped_column(enum_column_type(Mark, "sealed_mark"))
