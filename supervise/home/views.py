"""Each role's home page (what that role has to do now) and /healthz."""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select, text

from ..accounts import throttle
from ..core.pdf import harfbuzz_subset_available
from ..core.permissions import Role
from ..extensions import db
from ..inspections import queries as inspection_queries
from ..lists import todo
from ..org.models import Deputy, DeputyGroup, LiaisonStation, Office, Township
from ..sheets.queries import extensions_to_decide, sheets_to_handle, sheets_to_verify, uncited_finding_count

bp = Blueprint("home", __name__)
TOWNSHIPS_PER_PAGE = 50
log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means unhealthy
        log.exception("healthz: database did not answer")
        return jsonify(status="error", database="unreachable"), 503
    # Without libharfbuzz-subset PDFs still print, only slower: reported, never a failure.
    subsetting = "ok" if harfbuzz_subset_available() else "missing libharfbuzz-subset0"
    return jsonify(status="ok", database="ok", pdf_font_subsetting=subsetting)


def _org_counts(township_ids: list[int]) -> dict[int, dict[str, int]]:
    """Active deputies, offices, stations and groups per township, one query per kind."""
    counts: dict[int, dict[str, int]] = {tid: {} for tid in township_ids}
    for key, model in (
        ("deputies", Deputy),
        ("offices", Office),
        ("stations", LiaisonStation),
        ("groups", DeputyGroup),
    ):
        rows = db.session.execute(
            select(model.township_id, func.count())
            .where(model.township_id.in_(township_ids), model.is_active)
            .group_by(model.township_id)
        )
        for township_id, count in rows:
            counts[township_id][key] = count
    return counts


def township_page(user, search: str):
    """One page of the townships this user sees, found by name when ``search`` is given: an
    administrator's home lists a province's townships a page at a time (page from the request)."""
    query = select(Township).where(user.visible_township_filter(Township.id))
    if search:
        found = or_(
            Township.name.contains(search, autoescape=True),
            Township.short_name.contains(search, autoescape=True),
        )
        query = query.where(found)
    return db.paginate(
        query.order_by(Township.county_id, Township.name),
        per_page=TOWNSHIPS_PER_PAGE,
        max_per_page=TOWNSHIPS_PER_PAGE,
        error_out=False,
    )


@bp.get("/")
@login_required
def index():
    role = current_user.role
    if role is Role.deputy:
        return render_template(
            "home/deputy.html",
            deputy=current_user.deputy,
            todo=todo.deputy_todo(current_user.deputy_id, current_user.township_id),
            inspection_drafts=inspection_queries.draft_count(current_user),
        )
    if role is Role.government:
        return render_template(
            "home/government.html",
            office=current_user.office,
            todo=todo.government_todo(current_user.township_id, current_user.office_id),
            sheets=sheets_to_handle(current_user),
        )
    if role is Role.presidium:
        return render_template(
            "home/presidium.html",
            township=current_user.township,
            counts=_org_counts([current_user.township_id])[current_user.township_id],
            todo=todo.presidium_todo(current_user.township_id),
            inspection_drafts=inspection_queries.draft_count(current_user),
            open_findings=uncited_finding_count(current_user.township_id),
            sheets_to_verify=sheets_to_verify(current_user),
            extensions_to_decide=extensions_to_decide(current_user),
        )
    search = " ".join((request.args.get("q") or "").split())[:60]
    page = township_page(current_user, search)
    return render_template(
        "home/overview.html",
        townships=page.items,
        page=page,
        search=search,
        counts=_org_counts([t.id for t in page.items]),
        sign_in_failures=throttle.repeated_failures() if role is Role.admin else [],
    )
