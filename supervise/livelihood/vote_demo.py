"""The demo's vote on next year's livelihood projects, held through the same operations as a real
one: 12 candidates for 10 places, 18 of 20 deputies present, 6 paper ballots (each checked by a
second clerk's entry) and 12 phone ballots; two candidates tie at the cut and a run-off decides between
them; the result is published and the 10 chosen projects are on next year's 民生实事 list."""

from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import select

from ..accounts.models import User
from ..ballots import hall, paper, phone
from ..ballots.approval import Vote
from ..ballots.models import BallotKind
from ..core.clock import today
from ..core.demo_calendar import DemoCalendar
from ..extensions import db
from . import vote_operations as ops
from .demo import demo_plan
from .vote_models import VoteRound

# 赞成 wanted per candidate in the first round, in ballot order: nine clearly chosen, the 10th and
# 11th tied at the cut (12 each, more than half of 20), the 12th short of half.
FIRST_ROUND_YES = [16, 16, 15, 15, 14, 14, 14, 13, 13, 12, 12, 4]


def _ballots(quotas: list[int], ballots: int, limit: int) -> list[list[str]]:
    """Ballots that give each candidate its quota of 赞成, at most ``limit`` on one ballot: each
    ballot says 赞成 to the candidates with the most still owed; 不赞成 to the rest, but a few
    abstentions, as on real sheets."""
    owed = list(quotas)
    out = []
    for n in range(ballots):
        ranked = sorted(range(len(owed)), key=lambda i: (-owed[i], i))
        yes = {i for i in ranked[:limit] if owed[i] > 0}
        for i in yes:
            owed[i] -= 1
        out.append(
            [
                Vote.yes if i in yes else (Vote.abstain if (n + i) % 5 == 0 else Vote.no)
                for i in range(len(owed))
            ]
        )
    return out


def _cast(chair, clerk, vote: VoteRound, ballots: list[list[str]], on_paper: int) -> None:
    present = [row.deputy_id for row in vote.roster if row.present]
    line_ids = [line.id for line in vote.lines]
    for n, deputy_id in enumerate(present[: len(ballots)]):
        hall.hand_out(chair, vote, deputy_id, BallotKind.paper if n < on_paper else BallotKind.phone)
    if on_paper:
        paper.issue_serials(chair, vote, list(range(1, on_paper + 1)))
    for serial, marks in enumerate(ballots[:on_paper], start=1):
        ticks = {line_id: [mark.value] for line_id, mark in zip(line_ids, marks, strict=True)}
        paper.enter_paper(chair, vote, serial, ticks)
        if clerk is not None:  # double entry: the second clerk's check entry agrees
            paper.enter_paper(clerk, vote, serial, ticks)
    codes = phone.draw_codes(chair, vote, len(ballots) - on_paper)
    for code, marks in zip(codes, ballots[on_paper:], strict=True):
        phone.submit_phone_ballot(code, vote.id, dict(zip(line_ids, marks, strict=True)))
    hall.close_voting(chair, vote)


def _second_clerk():
    """The congress staff member (人大专干) the evaluation's demo made, who checks paper entries."""
    return db.session.execute(select(User).where(User.username == "jk-clerk")).scalar_one_or_none()


def seed_vote(calendar: DemoCalendar, chair) -> None:
    plan = demo_plan()
    clerk = _second_clerk()
    if plan is None or len(plan.ballot_candidates) != len(FIRST_ROUND_YES):
        return
    held_on = min(calendar.day(11, 28), today())
    with force_locale("zh_Hans_CN"):
        vote = ops.create_vote(
            chair, plan, ops.VoteSetup(held_on=held_on, place="江口镇人民政府三楼会议室", runoffs=1)
        )
        ops.start_roll_call(chair, vote)  # which closes next year's collection
        deputies = [row.deputy_id for row in vote.roster]
        for deputy_id in deputies:
            hall.mark_attendance(chair, vote, deputy_id, deputy_id not in deputies[-2:])
        hall.open_voting(chair, vote)
        # Double entry needs the second clerk: without one, every ballot is cast on a phone.
        _cast(chair, clerk, vote, _ballots(FIRST_ROUND_YES, 18, plan.places), on_paper=6 if clerk else 0)
        runoff = ops.create_runoff(chair, plan)
        hall.start_roll_call(chair, runoff)
        hall.open_voting(chair, runoff)
        # Between the two tied: 11 赞成 for the first, 6 for the second, one abstention.
        runoff_ballots = (
            [[Vote.yes, Vote.no]] * 11 + [[Vote.no, Vote.yes]] * 6 + [[Vote.abstain, Vote.abstain]]
        )
        _cast(chair, None, runoff, runoff_ballots, on_paper=0)
        ops.publish_result(chair, plan)
    db.session.flush()
