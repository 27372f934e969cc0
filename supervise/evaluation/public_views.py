"""Published evaluation results on the public board (no login): /public/<township slug>/evaluations/.

Only published snapshots are reachable, by their township's slug and their id together: an unknown,
foreign or unpublished id is a 404. Nothing here reads the live meeting, its ballots or its roster.
"""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template, request

from .publishing import public_result, public_results

bp = Blueprint("evaluation_public", __name__, url_prefix="/public")


def _public(body):
    """Revalidated on every visit (a new result may be published): an ETag of the page, and a 304
    when it still matches, so that a reverse proxy or a browser may keep the page."""
    response = make_response(body)
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Cookie")  # the menu differs for a signed-in visitor
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/<slug>/evaluations/")
def results_list(slug: str):
    found = public_results(slug)
    if found is None:
        abort(404)
    township, published = found
    return _public(render_template("evaluation/public_list.html", township=township, published=published))


@bp.get("/<slug>/evaluations/<int:result_id>")
def result(slug: str, result_id: int):
    published = public_result(slug, result_id)
    if published is None:
        abort(404)
    return _public(render_template("evaluation/public_result.html", published=published))
