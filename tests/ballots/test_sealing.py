"""Closing a vote empties its sealed pool, and on an SQLite file the write-ahead log is truncated
after the commit (ballots/sealing.py): after the outermost commit only, never on a savepoint's
release while the transaction that emptied the pool is still open (publishing in the same
transaction as closing used to wait out the busy timeout there, and the log kept the pool)."""

from __future__ import annotations

from supervise.ballots import sealing
from supervise.ballots.approval import Vote
from supervise.ballots.hall import close_voting
from supervise.extensions import db
from supervise.livelihood import vote_operations as ops
from tests.conftest import own_app
from tests.factories import Factory
from tests.livelihood.test_vote import Voting

Y, N = Vote.yes, Vote.no


def test_the_log_is_truncated_at_the_outer_commit_not_at_a_savepoints_release(tmp_path, monkeypatch):
    checkpoints = []
    real = sealing.checkpoint_wal

    def spy(engine):
        checkpoints.append(engine.url.database)
        real(engine)

    monkeypatch.setattr(sealing, "checkpoint_wal", spy)
    with own_app(f"sqlite:///{tmp_path / 'vote.db'}"):
        voting = Voting(Factory())
        voting.open()
        voting.phone_ballots([[Y, Y, N]] * 5)
        assert checkpoints == []
        close_voting(voting.chair, voting.vote)  # empties the pool, in a transaction left open
        with db.session.begin_nested():
            ops.publish_result(voting.chair, voting.plan)
        assert checkpoints == []  # the savepoint's release: the outer transaction is still open
        db.session.commit()
        assert checkpoints == [str(tmp_path / "vote.db")]
        db.session.commit()  # a later commit has nothing of a pool to clear
        assert len(checkpoints) == 1
