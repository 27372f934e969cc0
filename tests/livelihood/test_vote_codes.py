"""Lost phone codes: every unused code of a round is voided at once (with a reason, recorded), and
as many new ones can then be drawn for the deputies holding none; the counts stay right."""

from __future__ import annotations

from supervise.ballots import adjustments, hall, phone
from supervise.ballots.approval import Vote
from supervise.ballots.models import AdjustmentKind, BallotKind
from supervise.ballots.tally import reconcile
from supervise.extensions import db
from tests.evaluation.test_secrecy import _codes_in
from tests.helpers import refused, text_of
from tests.livelihood.test_vote import Voting

Y, N, A = Vote.yes, Vote.no, Vote.abstain


def test_lost_codes_are_voided_together_and_drawn_again(factory, client, login_as):
    voting = Voting(factory, runoffs=0)
    vote = voting.vote
    voting.open()
    for row in vote.roster[:4]:
        hall.hand_out(voting.chair, vote, row.deputy_id, BallotKind.phone)
    db.session.commit()
    login_as(voting.chair)
    base = f"/livelihood/votes/{vote.id}"
    drawn = client.post(f"{base}/codes", data={"count": "4"})
    old = _codes_in(drawn.get_data(as_text=True))
    assert len(old) == 4
    assert "作废全部未使用的投票码" in text_of(drawn) and "只能另行生成" not in text_of(drawn)
    lines = voting.line_ids()
    phone.submit_phone_ballot(old[0], vote.id, dict(zip(lines, [Y, N, A], strict=True)))
    db.session.commit()

    # The slips are lost (the page was left before printing): no more codes can be drawn.
    more = client.post(f"{base}/codes", data={"count": "3"})
    assert more.status_code == 409
    assert "最多还能生成 0 个" in text_of(more) and "作废全部未使用的投票码" in text_of(more)

    # Voiding needs a reason; the form says so and nothing changes.
    bare = client.post(f"{base}/codes/void-unused", data={"void_unused-reason": " "})
    assert bare.status_code == 400 and "请修改下面标红的内容" in text_of(bare)
    assert client.post(f"{base}/codes", data={"count": "1"}).status_code == 409

    voided = client.post(
        f"{base}/codes/void-unused", data={"void_unused-reason": "纸条遗失"}, follow_redirects=True
    )
    page = text_of(voided)
    assert "已作废尚未使用的投票码 3 个" in page
    # Recorded with who and why, as the other hand-out corrections, naming no code.
    assert "全部未使用的投票码，共 3 个" in page and "纸条遗失" in page
    assert not any(code in page for code in old)
    (record,) = adjustments.adjustments_of(vote)
    assert (record.action, record.made_by_id, record.reason) == (
        AdjustmentKind.void_code,
        voting.chair.id,
        "纸条遗失",
    )
    for code in old[1:]:
        refused(lambda code=code: phone.submit_phone_ballot(code, vote.id, {}), "已作废")

    # As many new codes as deputies without a used one; no more.
    assert client.post(f"{base}/codes", data={"count": "4"}).status_code == 409
    new = _codes_in(client.post(f"{base}/codes", data={"count": "3"}).get_data(as_text=True))
    assert len(new) == 3 and not set(new) & set(old)
    assert client.post(f"{base}/codes", data={"count": "1"}).status_code == 409
    for code in new:
        phone.submit_phone_ballot(code, vote.id, dict(zip(lines, [Y, Y, N], strict=True)))
        db.session.commit()
    # Voided codes were never ballots: 4 issued (the hand-outs), 4 returned, all valid.
    check = reconcile(vote)
    assert check.balances, check.problems
    assert (check.ballots_issued, check.ballots_returned, check.ballots_not_returned) == (4, 4, 0)
    voting.close()
    nothing = client.post(f"{base}/codes/void-unused", data={"void_unused-reason": "x"})
    assert nothing.status_code == 409


def test_with_no_unused_code_there_is_nothing_to_void(factory):
    voting = Voting(factory, runoffs=0)
    voting.open()
    refused(lambda: adjustments.void_unused_codes(voting.chair, voting.vote, "遗失"), "没有尚未使用的投票码")
