"""The account's API tokens page: make a named token (its secret shown once), see them, revoke one."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.errors import flashed_back_to, form_refused, refusal_shows
from ..extensions import db
from . import operations
from .forms import ApiTokenForm
from .tokens import ApiToken, TokenScope, tokens_of

bp = Blueprint("api_tokens", __name__)


def _page(form: ApiTokenForm, secret: str | None = None, made: ApiToken | None = None, status: int = 200):
    page = render_template(
        "accounts/tokens.html", form=form, tokens=tokens_of(current_user), secret=secret, made=made
    )
    return page, status


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    form = ApiTokenForm()
    if not form.validate_on_submit():
        return _page(form, status=422 if form.is_submitted() else 200)
    with refusal_shows(form_refused(form, lambda status: _page(form, status=status))):
        token, secret = operations.create_api_token(current_user, form.name.data, TokenScope(form.scope.data))
    # Shown on this answer only: it is never stored, and reloading the list does not show it again.
    return _page(ApiTokenForm(formdata=None), secret=secret, made=token)


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    with refusal_shows(flashed_back_to(url_for("api_tokens.tokens"))):
        operations.revoke_api_token(current_user, token)
    flash(_("令牌“%(name)s”已吊销，使用它的程序将无法再访问。", name=token.name), "success")
    return redirect(url_for("api_tokens.tokens"))
