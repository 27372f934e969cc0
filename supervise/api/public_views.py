"""What anyone may read without a token: townships, their published notices with the items' lines,
published evaluation results and published livelihood votes — the same records, through the same
queries, as /public/."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_smorest import abort
from sqlalchemy import Connection, select
from sqlalchemy.orm import selectinload

from ..evaluation import publishing
from ..evaluation.published_models import PublishedResult
from ..evaluation.publishing import public_result
from ..livelihood import vote_queries
from ..livelihood.vote_models import VoteResult
from ..livelihood.vote_queries import chosen_projects, published_result, published_votes_of
from ..notices.models import PublicNotice
from ..notices.queries import notice_lines, notice_version, public_notice
from ..org.models import Township
from ..org.scoping import public_township_or_404
from .answers import Caller, kept_answer
from .blueprint import api_blueprint, page, page_newest_first, paged, public_operation
from .schemas import (
    EvaluationResultSchema,
    NoticeSchema,
    NoticeSummarySchema,
    TownshipSchema,
    VoteResultSchema,
)
from .serialize import attributes, json_response, township_data

bp = api_blueprint("api_public", "Published records anyone may read, without a token.")

LINE_FIELDS = (
    "position", "item_code", "title", "kind_label", "state_label", "lead_office_name",
    "supervisor_names", "target", "deadline", "percent", "progress", "problems",
)  # fmt: skip
NOTICE_FIELDS = ("id", "title", "month", "issuer", "published_at", "corrects_id")
RESULT_FIELDS = (
    "id", "title", "held_on", "place", "roster", "present", "ballots", "rule_text", "issuer", "published_at",
)  # fmt: skip
RESULT_LINE_FIELDS = (
    "position", "is_office", "title", "subtitle", "satisfied", "basic",
    "dissatisfied", "invalid", "rate", "grade",
)  # fmt: skip


@bp.get("/public/townships")
@public_operation(bp)
@paged(bp, TownshipSchema, "TownshipPage")
def townships(args: dict) -> dict[str, Any]:
    """Active townships, with the slug that names them in the other public addresses."""
    rows, next_cursor = page(select(Township).where(Township.is_active), Township.id, args)
    return {"items": [township_data(t) for t in rows], "next_cursor": next_cursor}


@bp.get("/public/townships/<slug>/notices")
@public_operation(bp, 404)
@paged(bp, NoticeSummarySchema, "NoticePage")
def notices(args: dict, slug: str) -> dict[str, Any]:
    """The township's published notices (公示), in the order they were published."""
    township = public_township_or_404(slug)
    rows, next_cursor = page(
        select(PublicNotice).where(PublicNotice.township_id == township.id), PublicNotice.id, args
    )
    return {"items": [attributes(n, NOTICE_FIELDS) for n in rows], "next_cursor": next_cursor}


def _notice_made_of(_caller: Caller | None, connection: Connection, slug: str, notice_id: int) -> object:
    # A published notice is a frozen snapshot: what else it shows (its township) is in the version
    # the public page's ETag is made of; None (nothing at this address) is the view's 404.
    return notice_version(slug, notice_id, connection)


@bp.get("/public/townships/<slug>/notices/<int:notice_id>")
@kept_answer(_notice_made_of)
@public_operation(bp, 404)
@bp.response(200, NoticeSchema)
def notice(slug: str, notice_id: int) -> Response:
    """One published notice with its lines: each item as it stood when the notice was published."""
    found = public_notice(slug, notice_id)
    if found is None:
        abort(404)
    return json_response(
        {
            **attributes(found, NOTICE_FIELDS),
            "township": township_data(found.township),
            "lines": [attributes(line, LINE_FIELDS) for line in notice_lines(found.id)],
        }
    )


@bp.get("/public/townships/<slug>/evaluations")
@public_operation(bp, 404)
@paged(bp, EvaluationResultSchema, "EvaluationResultPage")
def evaluations(args: dict, slug: str) -> dict[str, Any]:
    """The township's published evaluation results (民主评议), newest first, with their lines."""
    township = public_township_or_404(slug)
    query = publishing.published_of(township.id).options(selectinload(PublishedResult.lines))
    rows, next_cursor = page_newest_first(query, publishing.NEWEST_FIRST, args)
    return {"items": [_result(r) for r in rows], "next_cursor": next_cursor}


@bp.get("/public/townships/<slug>/evaluations/<int:result_id>")
@public_operation(bp, 404)
@bp.response(200, EvaluationResultSchema)
def evaluation(slug: str, result_id: int) -> dict[str, Any]:
    found = public_result(slug, result_id)
    if found is None:
        abort(404)
    return _result(found)


def _result(result: PublishedResult) -> dict[str, Any]:
    lines = [attributes(line, RESULT_LINE_FIELDS) for line in result.lines]
    return {**attributes(result, RESULT_FIELDS), "lines": lines}


@bp.get("/public/townships/<slug>/votes")
@public_operation(bp, 404)
@paged(bp, VoteResultSchema, "VoteResultPage")
def votes(args: dict, slug: str) -> dict[str, Any]:
    """The township's published votes on livelihood projects (民生实事项目票决), newest year first."""
    query = published_votes_of(public_township_or_404(slug).id)
    rows, next_cursor = page_newest_first(query, vote_queries.NEWEST_FIRST, args)
    chosen = chosen_projects([r.id for r in rows])
    return {"items": [_vote(r, chosen) for r in rows], "next_cursor": next_cursor}


@bp.get("/public/townships/<slug>/votes/<int:year>")
@public_operation(bp, 404)
@bp.response(200, VoteResultSchema)
def vote(slug: str, year: int) -> dict[str, Any]:
    """The year's published vote, as /public/<slug>/livelihood/<year>/vote shows it: the numbers,
    each candidate's votes in each round, and the items the chosen projects became. No ballots."""
    found = published_result(public_township_or_404(slug).id, year)
    if found is None:
        abort(404)
    return _vote(found, chosen_projects([found.id]))


VOTE_FIELDS = (
    "id", "year", "title", "held_on", "published_at", "rule_text", "roster", "present", "issued",
    "returned", "valid", "invalid", "places", "candidates", "chosen", "vacancies", "chosen_share", "turnout",
)  # fmt: skip
VOTE_LINE_FIELDS = ("round", "title", "yes", "no", "abstain", "invalid", "passed", "tied", "chosen")


def _vote(result: VoteResult, chosen: dict[tuple[int, int], Any]) -> dict[str, Any]:
    """The published snapshot (what was announced), with links to the chosen projects' items."""

    def item(line: dict[str, Any]) -> dict[str, Any] | None:
        found = chosen.get((result.id, line["candidate_id"])) if line["chosen"] else None
        return {"id": found.id, "code": found.code, "title": found.title} if found else None

    lines = [{**{name: line[name] for name in VOTE_LINE_FIELDS}, "item": item(line)} for line in result.lines]
    return {**attributes(result, VOTE_FIELDS), "lines": lines}
