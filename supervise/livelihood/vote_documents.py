"""The vote's printed documents, in Chinese whatever the reader's language: the numbered ballot
papers (表决票) of a round, and the result report (票决结果报告) with the boxes for signatures.

The report prints the closed rounds only, and a closed round's ballots never change: it is a
registered document (core/documents.py), rendered once by a worker and stored (``VoteReportDocument``),
then served from storage until another round closes and the HTML it prints differs. A round's ballot
papers are registered the same way (``VoteSheetsDocument``), queued when the round is set up."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale

from ..ballots.approval import Outcome, Round
from ..ballots.tally import Reconciliation, Turnout, reconcile, turnout
from ..core.dates import chinese_date
from ..core.documents import register_record_pdf
from ..core.pdf import html_to_pdf, render_pdf_html
from ..extensions import db
from .plan_models import VotePlan
from .vote_models import VoteReportDocument, VoteRound, VoteSheetsDocument
from .vote_operations import REPORT_KIND, SHEETS_KIND, closed_rounds, outcome


def sheets_html(vote: VoteRound) -> str:
    """One numbered ballot paper per deputy on the roster."""
    with force_locale("zh_Hans_CN"):
        return render_pdf_html(
            "pdf/vote_sheets.html",
            vote=vote,
            plan=vote.plan,
            serials=range(1, len(vote.roster) + 1),
        )


@dataclass(frozen=True)
class RoundReport:
    """One round as the report prints it."""

    vote: VoteRound
    numbers: Turnout
    check: Reconciliation  # 发出 / 收回 / 未收回, paper and phone together (ballots_issued …)
    result: Round
    titles: dict[int, str]

    @property
    def issued(self) -> int:
        return self.check.ballots_issued


def report_rounds(plan: VotePlan, settled: Outcome) -> list[RoundReport]:
    rounds = closed_rounds(plan)
    titles = {c.id: c.title for c in plan.candidates}
    out = []
    for vote, result in zip(rounds, settled.rounds, strict=False):
        out.append(RoundReport(vote, turnout(vote), reconcile(vote), result, titles))
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
    """The report rendered now (the pages serve the stored copy: ``REPORT_KIND``)."""
    html = report_html(plan)
    return html_to_pdf(html) if html is not None else None


def _printed_report(plan: VotePlan) -> str:
    html = report_html(plan)
    if html is None:  # the page checks for a closed round before asking, and rounds never reopen
        raise LookupError(f"vote plan {plan.id} has no closed round to report")
    return html


def _report_plan(ident: str) -> VotePlan | None:
    plan = db.session.get(VotePlan, int(ident))
    return plan if plan is not None and closed_rounds(plan) else None


register_record_pdf(REPORT_KIND, VotePlan, _printed_report, VoteReportDocument, "plan_id", load=_report_plan)
register_record_pdf(SHEETS_KIND, VoteRound, sheets_html, VoteSheetsDocument, "meeting_id")


def file_name(plan: VotePlan, what: str) -> str:
    """江口镇2027年民生实事项目票决结果报告.pdf / …表决票.pdf"""
    return f"{plan.township.name}{plan.year}年民生实事项目{what}.pdf"
