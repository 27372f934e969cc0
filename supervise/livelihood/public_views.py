"""The residents' side of the collection, without an account: the proposal form (while the township's
collection is open), the proposals the presidium took up, and each proposer's own page by its link.

A submitted or rejected proposal is no public page: only its proposer's link (an unguessable token)
shows it, with the rejection reason. Contacts are never shown here, nor an anonymous resident's name.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..core.errors import DomainError
from ..core.rate_limits import count_submission, within_limit
from ..extensions import db
from ..org.scoping import public_township_or_404
from . import operations
from .forms import ResidentProposalForm
from .models import Proposal
from .queries import current_period, published_proposals
from .vote_queries import chosen_items, proposal_fates, published_result, published_years, reader_rule_text

bp = Blueprint("livelihood_public", __name__, url_prefix="/public")

LIMIT, SCOPE = "PROPOSALS_PER_ADDRESS", "public-proposal"


@bp.route("/<slug>/proposals/new", methods=["GET", "POST"])
def new_proposal(slug: str):
    township = public_township_or_404(slug)
    period = current_period(township.id)
    form = ResidentProposalForm()

    # The congress is voting on (or has voted on) the period's year: its list is being decided.
    in_vote = period is not None and operations.year_in_vote(township.id, period.year)

    def page(status: int = 200):
        return render_template(
            "livelihood/public_form.html",
            township=township,
            period=period,
            form=form,
            in_vote=in_vote,
            result=published_result(township.id, period.year) if in_vote and period else None,
        ), status

    if period is None or not period.is_open or in_vote:
        return page(200 if request.method == "GET" else 409)
    if request.method == "GET":
        return page()
    if not form.validate_on_submit():
        return page(400)
    if not within_limit(LIMIT, SCOPE):
        form.form_errors.append(_("您提交建议的次数过多，请稍后再试。您填写的内容仍保留在下面。"))
        return page(429)
    try:
        proposal = operations.submit_proposal(period, form.text())
    except DomainError as error:
        db.session.rollback()
        form.form_errors.append(error.message)
        return page(error.status_code)
    count_submission(LIMIT, SCOPE)
    return redirect(url_for(".track", slug=slug, token=proposal.token, new=1))


@bp.get("/<slug>/proposals/")
def proposal_list(slug: str):
    township = public_township_or_404(slug)
    period = current_period(township.id)
    proposals = published_proposals(period) if period is not None else []
    return render_template(
        "livelihood/public_list.html",
        township=township,
        period=period,
        proposals=proposals,
        listed=proposal_fates(proposals, public=True),
        result=published_result(township.id, period.year) if period is not None else None,
    )


@bp.get("/<slug>/proposals/<int:proposal_id>")
def proposal_page(slug: str, proposal_id: int):
    township = public_township_or_404(slug)
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.township_id != township.id or not proposal.is_published:
        abort(404)
    return render_template(
        "livelihood/public_proposal.html",
        township=township,
        proposal=proposal,
        own=False,
        listed=proposal_fates([proposal], public=True),
        projects=chosen_items([proposal]).get(proposal.id, []),
    )


@bp.get("/<slug>/proposals/track/<token>")
def track(slug: str, token: str):
    """The proposer's own page: the state of their proposal whatever it is, and why it was rejected."""
    township = public_township_or_404(slug)
    proposal = db.session.execute(select(Proposal).where(Proposal.token == token)).scalar_one_or_none()
    if proposal is None or proposal.township_id != township.id:
        abort(404)
    response = render_template(
        "livelihood/public_proposal.html",
        township=township,
        proposal=proposal,
        own=True,
        new=request.args.get("new") == "1",
        listed=proposal_fates([proposal], public=True),
        projects=chosen_items([proposal]).get(proposal.id, []),
    )
    return response, 200, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


@bp.get("/<slug>/livelihood/<int:year>/vote")
def vote_result(slug: str, year: int):
    """The published result of the township's vote on the year's livelihood projects: the numbers,
    each candidate's votes, the chosen projects, and the 票决率."""
    township = public_township_or_404(slug)
    result = published_result(township.id, year)
    if result is None:
        abort(404)
    return render_template(
        "livelihood/public_vote.html",
        township=township,
        result=result,
        rule_text=reader_rule_text(result),
        years=published_years(township.id),
    )
