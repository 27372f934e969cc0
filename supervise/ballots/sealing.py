"""Leaving no trace of a sealed pool once it is emptied: shared by every vote's pool of phone ballots.

On SQLite, rows deleted after ``scrub_deletes()`` are overwritten with zeros (``PRAGMA
secure_delete``) instead of staying in the file's free space, and once the transaction commits,
the write-ahead log (which still holds the pages written while voting) is checkpointed and
truncated. On PostgreSQL there is nothing the app can do beyond deleting: README.md says what an
operator must turn off.
"""

from __future__ import annotations

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

from ..extensions import db

# Set in the session that emptied a pool on SQLite: after its commit, the write-ahead log goes.
_TRUNCATE_WAL = "ballots.sealed_pool_emptied"


def scrub_deletes() -> None:
    """Call before deleting a pool's rows: on SQLite, deleted rows are zeroed and the write-ahead
    log is truncated after the commit."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(text("PRAGMA secure_delete = ON"))
        db.session.info[_TRUNCATE_WAL] = True


@event.listens_for(Session, "after_commit")
def _truncate_wal(session: Session) -> None:
    """After the outermost commit of a transaction that emptied a pool on an SQLite file: copy the
    write-ahead log into the database and truncate it, so that the pool's pages as written during
    the vote are gone from it (if another connection is reading just then, SQLite checkpoints what
    it can).

    A savepoint's release (``begin_nested``) also fires ``after_commit``, but the outer transaction
    is still open and holds the write lock: a checkpoint then would wait out the busy timeout, and
    the pool's deletions are not yet in the log. The flag stays for the outer commit."""
    if session.in_nested_transaction():
        return
    if session.info.pop(_TRUNCATE_WAL, False):
        checkpoint_wal(session.get_bind().engine)


def checkpoint_wal(engine: Engine) -> None:
    """Copy an SQLite file's write-ahead log into the database and truncate it (not in memory)."""
    if engine.url.database in (None, "", ":memory:"):
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
