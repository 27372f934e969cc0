"""The phone ballot at /vote, without login, for any kind of meeting (a code names its meeting): a
deputy types the code from the slip, then marks the ballot. Codes travel in form bodies, never in
URLs, so access logs never hold which code was used.
Every answer is marked no-store: a ballot or a code never stays in a browser's or a proxy's cache.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_babel import gettext as _
from limits import parse

from ..core.errors import DomainError, refusal_shows
from ..extensions import db, limiter
from . import phone
from .access_logs import quiet_voting_requests
from .forms import parse_choices
from .hall_forms import BallotForm, CodeForm
from .kinds import kind_of, shape_of, words
from .models import HALL_STATES, Meeting, MeetingState

# The engine's own blueprint (``ballots.*``): the phone ballot. The hall's pages are registered on
# each meeting's blueprint (hall_views.register_hall).
bp = Blueprint("ballots", __name__)


@bp.app_context_processor
def _meeting_kinds():
    """Every page of a meeting may ask for its kind (its blueprint) and its nouns, and the hall's
    pages (in any meeting's blueprint) compare its state."""
    return {
        "meeting_kind": kind_of,
        "meeting_words": words,
        "MeetingState": MeetingState,
        "HALL_STATES": HALL_STATES,
    }


# Wrong codes are limited per phone (address + a random key in its session cookie), so that one
# deputy's typos never lock out a whole hall sharing one address behind NAT; a looser limit per
# address stops a guesser who drops the cookie each time. 8 characters from 31 leave ~8·10^11
# codes: a few hundred guesses an address per ten minutes find none.
def _limits():
    config = current_app.config
    return (
        (parse(config.get("EVALUATION_CODE_FAILURES_PER_PHONE", "10/10minute")), _phone_key()),
        (parse(config.get("EVALUATION_CODE_FAILURES_PER_ADDRESS", "300/10minute")), _address()),
    )


def _address() -> str:
    """The client's address as a keyed hash: the limiter's store (Redis) never holds a voter's address."""
    key = current_app.config["SECRET_KEY"].encode()
    address = (request.remote_addr or "unknown").encode()
    return hmac.new(key, b"vote-address:" + address, hashlib.sha256).hexdigest()[:32]


def _phone_key() -> str:
    key = session.get("vote_key")
    if not isinstance(key, str) or len(key) != 16:
        key = session["vote_key"] = secrets.token_hex(8)
    return f"{_address()}/{key}"


def _blocked_minutes() -> int | None:
    """Minutes until this phone may try again, or None when it may now."""
    for limit, key in _limits():
        if not limiter.limiter.test(limit, "vote-code-failure", key):
            reset, _remaining = limiter.limiter.get_window_stats(limit, "vote-code-failure", key)
            return max(1, math.ceil((reset - time.time()) / 60))
    return None


def _too_many_message(minutes: int) -> str:
    return _(
        "投票码输错次数过多，这部手机请 %(minutes)d 分钟后再试；也可以请工作人员协助核对投票码。",
        minutes=minutes,
    )


def _failed() -> None:
    for limit, key in _limits():
        limiter.limiter.hit(limit, "vote-code-failure", key)


def _no_store(body: str, status: int = 200) -> Response:
    response = current_app.make_response((body, status))
    response.headers["Cache-Control"] = "no-store"
    return response


def _code_page(form: CodeForm, status: int = 200) -> Response:
    return _no_store(render_template("ballots/vote_code.html", form=form), status)


def _code_refused(form: CodeForm, error: DomainError, status: int) -> Response:
    """The code page again, saying why the code was refused; a code that does not exist is a guess."""
    if isinstance(error, phone.UnknownCode):
        _failed()
    form.form_errors.append(error.message)
    return _code_page(form, status)


def _ballot_page(
    meeting: Meeting,
    form: BallotForm,
    chosen: dict[int, str] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    return _no_store(
        render_template(
            "ballots/vote_ballot.html",
            meeting=meeting,
            marks=shape_of(meeting).marks,
            hint=shape_of(meeting).phone_hint(),
            form=form,
            chosen=chosen or {},
            error=error,
        ),
        status,
    )


# The servers' access logs (werkzeug's, gunicorn's) write no line for the voting addresses.
bp.record_once(quiet_voting_requests)

# The voting pages' own assets are served under /vote too: a line for /static/vote.js would say when
# each phone opened the ballot, and what keeps /vote out of every log (the filter, the README's
# nginx location) then covers them as well.
VOTING_ASSETS = ("vote.js", "evaluation.css")


@bp.get("/vote/assets/<name>")
def voting_asset(name: str) -> Response:
    if name not in VOTING_ASSETS:
        abort(404)
    return send_from_directory(current_app.static_folder or "", name, max_age=3600)


@bp.route("/vote", methods=["GET", "POST"])
def vote():
    form = CodeForm()
    if request.method == "GET":
        return _code_page(CodeForm(formdata=None))
    if not form.validate_on_submit():
        return _code_page(form, 400)
    blocked = _blocked_minutes()
    if blocked:
        form.form_errors.append(_too_many_message(blocked))
        return _code_page(form, 429)
    with refusal_shows(lambda error: _code_refused(form, error, 400)):
        code = phone.find_code(form.code.data or "")
    meeting = db.session.get_one(Meeting, code.meeting_id)
    ballot = BallotForm(formdata=None, code=form.code.data, meeting_id=meeting.id)
    return _ballot_page(meeting, ballot)


@bp.post("/vote/ballot")
def vote_ballot():
    form = BallotForm()
    meeting = db.session.get(Meeting, form.meeting_number) if form.meeting_number else None
    code_form = CodeForm(formdata=None, code=form.code.data or "")
    if meeting is None or not form.validate_on_submit():
        code_form.form_errors.append(_("选票已失效，请重新输入投票码。"))
        return _code_page(code_form, 400)
    blocked = _blocked_minutes()
    if blocked:
        code_form.form_errors.append(_too_many_message(blocked))
        return _code_page(code_form, 429)
    chosen = parse_choices(request.form, meeting.lines, shape_of(meeting).marks)

    def refused(error: DomainError) -> Response:
        if isinstance(error, phone.CodeRefused):  # start again with another code
            return _code_refused(code_form, error, 409)
        return _ballot_page(meeting, form, chosen, error.message, 400)  # the ballot as marked, to finish

    with refusal_shows(refused):
        phone.submit_phone_ballot(form.code.data or "", meeting.id, chosen)
    flash(_("您的选票已提交，谢谢！投票码已作废。"), "success")
    return redirect(url_for("ballots.vote"))
