"""The county's "民生实事票决" column reads the vote's own record: a township held its vote for a
year when it published the vote's result; a livelihood list with items is not a vote held, nor is a
vote closed but not published."""

from __future__ import annotations

from supervise.ballots.approval import Vote
from supervise.core.clock import today
from supervise.extensions import db
from supervise.livelihood import vote_operations as ops
from supervise.statistics.comparison import township_rows
from supervise.statistics.figures import livelihood_vote_held, township_figures
from tests.livelihood.test_vote import Voting

Y, N = Vote.yes, Vote.no


def test_a_list_with_items_is_not_a_vote_held_and_a_published_vote_is(app, factory):
    voting = Voting(factory)
    year = voting.plan.year
    voted = voting.plan.township
    listed = factory.township("城关镇")
    factory.item("listed", kind="livelihood", township=listed, year=year)
    db.session.commit()

    def held(y: int = year) -> dict[str, bool]:
        figures = township_figures([voted.id, listed.id], y, today())
        return {t.name: livelihood_vote_held(figures[t.id]) for t in (voted, listed)}

    assert township_figures([listed.id], year, today())[listed.id]["kind.livelihood"] == 1
    assert held() == {voted.name: False, listed.name: False}
    voting.open()
    voting.phone_ballots([[Y, Y, N]] * 5)
    voting.close()
    assert held() == {voted.name: False, listed.name: False}  # closed, not yet published
    ops.publish_result(voting.chair, voting.plan)
    db.session.commit()
    assert held() == {voted.name: True, listed.name: False}
    assert held(year - 1) == {voted.name: False, listed.name: False}
    rows, total = township_rows([voted, listed], year, today())
    assert [row.vote_held for row in rows] == [True, False]
    assert total.figures["livelihood.vote_held"] == 1
