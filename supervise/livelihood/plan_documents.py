"""The candidate sheet (候选项目表) for the deputies' deliberation: rendered by a worker, stored, and
served again while what it prints is unchanged."""

from __future__ import annotations

from flask_babel import force_locale

from ..core.dates import chinese_date
from ..core.documents import register_record_pdf
from ..core.pdf import render_pdf_html
from .plan_models import CandidateSheetDocument, VotePlan
from .plan_operations import SHEET_KIND
from .plan_queries import plan_with_candidates

TEMPLATE = "pdf/candidate_sheet.html"


def sheet_html(plan: VotePlan) -> str:
    """The sheet as HTML for printing; official documents are in Chinese whatever the UI language."""
    candidates = [c for c in plan_with_candidates(plan) if not c.is_withdrawn]
    with force_locale("zh_Hans_CN"):
        return render_pdf_html(
            TEMPLATE,
            plan=plan,
            candidates=candidates,
            check=plan.surplus,
            fixed_on=chinese_date(plan.fixed_at) if plan.fixed_at else "",
        )


def file_name(plan: VotePlan) -> str:
    """The download's name, e.g. 江口镇2027年民生实事候选项目表.pdf."""
    return f"{plan.township.name}{plan.year}年民生实事候选项目表.pdf"


register_record_pdf(SHEET_KIND, VotePlan, sheet_html, CandidateSheetDocument, "plan_id")
