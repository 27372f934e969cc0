"""The public entry (no login): townships with published notices, their boards, each notice, its PDF,
and residents' opinions.

Only published notices are reachable here, by their township's slug and their id together: an
unknown, foreign or unpublished id is a 404. Each page's ETag is made from one light statement
(notices never change; opinions change only when the presidium moderates them): a revisit costs
that statement and a 304, and a first visit is served from the page as rendered for that ETag
(the page cache of supervise/core/cache.py, shared by all processes when it is Redis).
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from flask import (
    Blueprint,
    abort,
    after_this_request,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from ..core.cache import fragment_key, page_cache
from ..core.documents import document_response
from ..core.downloads import send_document
from ..core.errors import DomainError
from ..core.fields import as_id
from ..core.rate_limits import count_submission, within_limit
from ..evaluation.publishing import townships_with_results_only
from ..extensions import db
from ..livelihood.vote_queries import published_years
from ..notices import operations
from ..notices.documents import KIND as NOTICE_KIND
from ..notices.documents import file_name
from ..notices.forms import OpinionForm
from ..notices.models import NoticeLine, PublicNotice
from ..notices.queries import (
    approved_opinions,
    board_version,
    line_counts,
    lines_context,
    notice_lines,
    notice_version,
    public_notice,
    public_townships,
)
from ..org.models import Township
from .board import board_notices, board_years

bp = Blueprint("public", __name__, url_prefix="/public")


@bp.before_app_request
def switch_language():
    """``?lang=en`` on any public page: the language switch of readers without an account, then the
    same address without it. A link, not the /language form: a public page is cached whole, so it
    cannot carry a visitor's CSRF token. Accounts keep their own language (the app's switch).

    Every page under /public/ (this blueprint's, the evaluation results', the livelihood proposals'),
    whichever blueprint serves it, since the public layout offers the link on all of them."""
    if "lang" not in request.args or not request.path.startswith("/public/"):
        return None
    locale = request.args["lang"]
    if locale in current_app.config["LANGUAGES"] and not current_user.is_authenticated:
        session["locale"] = locale
    rest = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    return redirect(request.script_root + request.path + (f"?{urlencode(rest)}" if rest else ""))


# ---- conditional GET ----------------------------------------------------------------------------


def _etag(*parts) -> str:
    """A validator from what the page shows, plus what varies per visitor (language, signed in)."""
    visitor = (str(get_locale()), current_user.is_authenticated)
    return hashlib.sha256(repr((parts, visitor)).encode()).hexdigest()[:32]


def _not_modified(etag: str) -> bool:
    # A flashed message must be shown, so a page with one pending is always sent whole.
    return "_flashes" not in session and request.if_none_match.contains(etag)


def _cacheable(body, etag: str):
    response = make_response(body)
    response.set_etag(etag)
    # Revalidate every time (a new opinion may appear), never store a signed-in visitor's page shared.
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Cookie")
    return response


def _whole_page(etag: str, render) -> bytes | str:
    """The page as rendered for this ETag (which holds everything it shows), unless a message is flashed.

    Kept as UTF-8 bytes: a 200-item notice is large, and encoding it again on every visit costs more
    than everything else the visit does.
    """
    if "_flashes" in session:
        return render()
    # The canonical address, not the path typed: /notices/0001 and /notices/1 are one page, one entry.
    key = fragment_key("public-page-bytes", request.endpoint, sorted(request.view_args.items()), etag)
    store = page_cache().store
    body = store.get_bytes(key)
    if body is not None:
        return body
    body = render().encode()

    @after_this_request
    def keep(response):
        if response.status_code == 200:
            store.set_bytes(key, body)
        return response

    return body


def _not_modified_response(etag: str):
    response = current_app.response_class(status=304)
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Cookie")
    return response


# ---- pages ----------------------------------------------------------------------------------------


@bp.get("/")
def index():
    townships = public_townships()
    # A township may have published evaluation results before any notice: reachable from here too.
    results_only = townships_with_results_only([t.id for t, _count, _latest in townships])
    etag = _etag(
        "index",
        [(t.id, t.name, t.slug, count, latest) for t, count, latest in townships],
        [(t.id, t.name, t.slug) for t in results_only],
    )
    if _not_modified(etag):
        return _not_modified_response(etag)
    return _cacheable(
        _whole_page(
            etag,
            lambda: render_template("public/index.html", townships=townships, results_only=results_only),
        ),
        etag,
    )


@bp.get("/<slug>/")
def board(slug: str):
    version = board_version(slug)
    if version is None:
        abort(404)
    years = board_years(version)
    asked = request.args.get("year", "")
    year = int(asked) if asked.isdigit() and int(asked) in years else years[0]
    etag = _etag("board", version, year)
    if _not_modified(etag):
        return _not_modified_response(etag)

    def render_board() -> str:
        township = db.session.get(Township, version[0])
        notices = board_notices(township.id, year)
        counts = line_counts([n.id for n in notices])
        # The township's published vote results are linked from the board too (in its validator).
        votes = published_years(township.id)
        return render_template(
            "public/board.html",
            township=township,
            notices=notices,
            counts=counts,
            year=year,
            years=years,
            votes=votes,
        )

    return _cacheable(_whole_page(etag, render_board), etag)


def _notice_or_404(slug: str, notice_id: int) -> PublicNotice:
    notice = public_notice(slug, notice_id)
    if notice is None:
        abort(404)
    return notice


@bp.get("/<slug>/notices/<int:notice_id>")
def notice(slug: str, notice_id: int):
    # The validator comes from one light statement; the notice is loaded only to render the page,
    # which is then kept under its ETag (the ETag holds everything the page shows).
    version = notice_version(slug, notice_id)
    if version is None:
        abort(404)
    etag = _etag("notice", notice_id, version)
    if _not_modified(etag):
        return _not_modified_response(etag)

    def render_page() -> str:
        notice = _notice_or_404(slug, notice_id)
        lines = notice_lines(notice.id)
        return render_template(
            "public/notice.html",
            notice=notice,
            lines=lines,
            opinions=approved_opinions(notice.id),
            **lines_context(lines, notice.status_tolerance),
        )

    return _cacheable(_whole_page(etag, render_page), etag)


@bp.get("/<slug>/notices/<int:notice_id>/pdf")
def notice_pdf_download(slug: str, notice_id: int):
    notice = _notice_or_404(slug, notice_id)

    def send(pdf: bytes):
        response = send_document(
            pdf,
            "application/pdf",
            file_name(notice),
            f"notice-{slug}-{notice.month:%Y-%m}-{notice.id}.pdf",
            as_attachment=request.args.get("download") == "1",
        )
        response.set_etag(hashlib.sha256(pdf).hexdigest()[:32])
        return response.make_conditional(request)

    # A public address never starts a render: the stored copy, or "being prepared".
    return document_response(NOTICE_KIND, notice, send, public=True)


# ---- residents' opinions ----------------------------------------------------------------------------


def _opinion_page(notice: PublicNotice, form: OpinionForm, status: int = 200):
    lines = notice_lines(notice.id)
    form.line_id.choices = [("", _("请选择事项"))] + [
        (line.id, f"{line.position}. {line.title}") for line in lines
    ]
    return render_template("public/opinion_form.html", notice=notice, form=form), status


@bp.route("/<slug>/notices/<int:notice_id>/opinion", methods=["GET", "POST"])
def opinion(slug: str, notice_id: int):
    notice = _notice_or_404(slug, notice_id)
    form = OpinionForm()
    if not notice.accepts_opinions:
        # A superseded notice: the page says so and links to its correction, the form is not offered.
        form.form_errors.append(_("这份公示已被更正，请在更正后的公示上发表意见。"))
        return _opinion_page(notice, form, 200 if request.method == "GET" else 409)
    if request.method == "GET":
        form.line_id.data = as_id(request.args.get("line"))
        return _opinion_page(notice, form)
    if not form.validate_on_submit():
        return _opinion_page(notice, form, 400)
    if not within_limit("OPINIONS_PER_ADDRESS", "public-opinion"):
        form.form_errors.append(_("您提交意见的次数过多，请稍后再试。您填写的内容仍保留在下面。"))
        return _opinion_page(notice, form, 429)
    try:
        operations.submit_opinion(notice, form.line_id.data, form.body.data, form.author_name.data or "")
    except DomainError as error:
        db.session.rollback()
        form.form_errors.append(error.message)
        return _opinion_page(notice, form, 400)
    count_submission("OPINIONS_PER_ADDRESS", "public-opinion")
    flash(_("谢谢您的意见！意见经镇人大主席团审核后公开显示。"), "success")
    return redirect(url_for("public.notice", slug=slug, notice_id=notice.id) + f"#line-{form.line_id.data}")


@bp.app_template_global()
def latest_public_line(item_id: int) -> tuple[PublicNotice, NoticeLine] | None:
    """The item as the latest published notice shows it (its monthly progress), for pages that
    follow an item in public (a resident's proposal that became a project): one query."""
    correction = aliased(PublicNotice)
    row = db.session.execute(
        select(PublicNotice, NoticeLine)
        .join(NoticeLine, NoticeLine.notice_id == PublicNotice.id)
        .where(NoticeLine.item_id == item_id, ~exists().where(correction.corrects_id == PublicNotice.id))
        .order_by(PublicNotice.month.desc(), PublicNotice.id.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None
