"""The vote's printed documents, in Chinese whatever the reader's language: the numbered ballot
papers (表决票) of a round, and the result report (票决结果报告) with the boxes for signatures."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale

from ..ballots.approval import Outcome, Round
from ..ballots.tally import Turnout, reconcile, turnout
from ..core.dates import chinese_date
from ..core.pdf import html_to_pdf, render_pdf_html
from .plan_models import VotePlan
from .vote_models import VoteRound
from .vote_operations import outcome, rounds_of


def sheets_html(vote: VoteRound) -> str:
    """One numbered ballot paper per deputy on the roster."""
    with force_locale("zh_Hans_CN"):
        return render_pdf_html(
            "pdf/vote_sheets.html",
            vote=vote,
            plan=vote.plan,
            serials=range(1, len(vote.roster) + 1),
        )


def sheets_pdf(vote: VoteRound) -> bytes:
    return html_to_pdf(sheets_html(vote))


@dataclass(frozen=True)
class RoundReport:
    """One round as the report prints it."""

    vote: VoteRound
    numbers: Turnout
    issued: int
    result: Round
    titles: dict[int, str]


def report_rounds(plan: VotePlan, settled: Outcome) -> list[RoundReport]:
    rounds = [r for r in rounds_of(plan) if r.state.value == "closed"]
    titles = {c.id: c.title for c in plan.candidates}
    out = []
    for vote, result in zip(rounds, settled.rounds, strict=False):
        check = reconcile(vote)
        out.append(RoundReport(vote, turnout(vote), check.issued + check.phone_handed, result, titles))
    return out


def report_html(plan: VotePlan) -> str | None:
    """The result report; None while no round has closed."""
    settled = outcome(plan)
    if settled is None:
        return None
    rounds = report_rounds(plan, settled)
    with force_locale("zh_Hans_CN"):
        return render_pdf_html(
            "pdf/vote_report.html",
            plan=plan,
            outcome=settled,
            rounds=rounds,
            first=rounds[0],
            held_on=chinese_date(rounds[0].vote.held_on),
            titles=rounds[0].titles,
        )


def report_pdf(plan: VotePlan) -> bytes | None:
    html = report_html(plan)
    return html_to_pdf(html) if html is not None else None


def file_name(plan: VotePlan, what: str) -> str:
    """江口镇2027年民生实事项目票决结果报告.pdf / …表决票.pdf"""
    return f"{plan.township.name}{plan.year}年民生实事项目{what}.pdf"
