"""Sign-in, sign-out, password change, language choice, and account management pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from ..core.errors import DomainError, form_refused, refusal_shows
from ..core.fields import as_id
from ..core.permissions import ORG_MANAGERS, Role, roles_required
from ..extensions import db, login_manager
from ..org.models import County, Deputy, Office, Township
from ..org.scoping import township_choices, visible_townships
from . import operations, throttle
from .forms import AccountEditForm, AccountForm, LoginForm, PasswordChangeForm
from .models import Anonymous, User

bp = Blueprint("accounts", __name__)


# The navbar shows the user's township: load it with the user, in the one statement every page pays.
_USER_WITH_TOWNSHIP = select(User).options(joinedload(User.township)).where(User.id == bindparam("user_id"))


login_manager.anonymous_user = Anonymous


@login_manager.user_loader
def load_user(login_id: str) -> User | None:
    user_id, _sep, token = login_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.execute(_USER_WITH_TOWNSHIP, {"user_id": int(user_id)}).scalar_one_or_none()
    if user is None or not user.is_active or user.session_token != token:
        return None
    return user


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        username = form.username.data.strip()
        wait = throttle.wait_seconds(username)
        if wait:
            form.password.errors.append(throttle.wait_message(wait))
            return render_template("accounts/login.html", form=form), 429
        user = operations.authenticate(username, form.password.data)
        if user is None:
            throttle.record_failure(username)
            form.password.errors.append(_("用户名或密码不正确，或账号已停用。"))
            return render_template("accounts/login.html", form=form), 200
        throttle.clear_pair(username)
        next_url = _safe_next(request.args.get("next"))
        locale = session.get("locale")
        session.clear()  # no session fixation: a fresh session on every sign-in
        if locale and not user.locale:
            user.locale = locale
        login_user(user)
        current_app.logger.info("sign-in user=%s", user.username)
        return redirect(next_url or url_for("home.index"))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    operations.sign_out(current_user)
    logout_user()
    session.clear()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            operations.change_password(current_user, form.current.data, form.new.data)
        except DomainError as error:
            form.current.errors.append(error.message)
        else:
            login_user(
                current_user._get_current_object()
            )  # keep this session; every other one ends with the old token
            flash(_("密码已修改，其他设备上的登录已失效。"), "success")
            return redirect(url_for("home.index"))
    return render_template("accounts/password.html", form=form)


@bp.post("/language")
def set_language():
    locale = request.form.get("locale", "")
    if locale not in current_app.config["LANGUAGES"]:
        abort(400)
    if current_user.is_authenticated:
        current_user.locale = locale
    session["locale"] = locale
    return redirect(_safe_next(request.form.get("next")) or url_for("home.index"))


# ---- account management -------------------------------------------------------------------


def _fill_choices(form, actor: User) -> None:
    townships = visible_townships(actor)
    township_ids = [t.id for t in townships]
    multi = len(townships) > 1
    if hasattr(form, "role"):
        form.role.choices = [(r.value, r.label) for r in actor.assignable_roles()]
        form.township_id.choices = [("", _("（不属于某个镇）"))] + township_choices(townships)
        counties = db.session.execute(select(County).order_by(County.name)).scalars()
        if actor.role is not Role.admin:
            counties = [c for c in counties if c.id == actor.county_id]
        form.county_id.choices = [("", "—")] + [(c.id, c.name) for c in counties]
    offices = db.session.execute(
        select(Office).where(Office.township_id.in_(township_ids), Office.is_active).order_by(Office.name)
    ).scalars()
    deputies = db.session.execute(
        select(Deputy).where(Deputy.township_id.in_(township_ids), Deputy.is_active).order_by(Deputy.name)
    ).scalars()
    names = {t.id: t.name for t in townships}

    def label(record):
        return f"{names[record.township_id]} · {record.name}" if multi else record.name

    form.office_id.choices = [("", "—")] + [(o.id, label(o)) for o in offices]
    form.deputy_id.choices = [("", "—")] + [(d.id, label(d)) for d in deputies]


def _get_account_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or not current_user.can_manage_account(user):
        abort(404)
    return user


@bp.get("/manage/accounts/")
@roles_required(*ORG_MANAGERS)
def account_list():
    townships = visible_townships(current_user)
    query = select(User).order_by(User.role, User.username)
    if current_user.role is Role.presidium:
        query = query.where(User.township_id == current_user.township_id)
    elif current_user.role is Role.county:
        query = query.where(
            current_user.visible_township_filter(User.township_id)
            | (User.county_id == current_user.county_id)
        )
    township_id = as_id(request.args.get("township"))
    if township_id:
        query = query.where(User.township_id == township_id)
    users = (
        db.session.execute(
            query.options(
                db.joinedload(User.township), db.joinedload(User.office), db.joinedload(User.deputy)
            )
        )
        .scalars()
        .all()
    )
    return render_template("accounts/list.html", users=users, townships=townships, township_id=township_id)


@bp.route("/manage/accounts/new", methods=["GET", "POST"])
@roles_required(*ORG_MANAGERS)
def account_new():
    form = AccountForm()
    _fill_choices(form, current_user)
    if current_user.role is Role.presidium and request.method == "GET":
        form.township_id.data = current_user.township_id
    if form.validate_on_submit():
        township_id = form.township_id.data
        if current_user.role is Role.presidium:
            township_id = current_user.township_id
        township = db.session.get(Township, township_id) if township_id else None
        office, deputy = _binding(form)
        with refusal_shows(_refused(form, None)):
            user = operations.create_account(
                current_user,
                username=form.username.data,
                display_name=form.display_name.data,
                email=form.email.data or "",
                password=form.password.data,
                role=Role(form.role.data),
                township=township,
                county_id=form.county_id.data,
                office=office,
                deputy=deputy,
            )
        flash(_("账号“%(name)s”已创建。", name=user.username), "success")
        return redirect(url_for("accounts.account_list"))
    return render_template("accounts/form.html", form=form, user=None)


def _binding(form: AccountForm | AccountEditForm) -> tuple[Office | None, Deputy | None]:
    """The office and the deputy chosen on an account form (the operation checks that they may be bound)."""
    return (
        db.session.get(Office, form.office_id.data) if form.office_id.data else None,
        db.session.get(Deputy, form.deputy_id.data) if form.deputy_id.data else None,
    )


def _refused(form: AccountForm | AccountEditForm, user: User | None):
    """The account form again with the refusal on it; still a 200 page, as the account pages always were."""
    return form_refused(form, lambda _status: render_template("accounts/form.html", form=form, user=user))


@bp.route("/manage/accounts/<int:user_id>/edit", methods=["GET", "POST"])
@roles_required(*ORG_MANAGERS)
def account_edit(user_id: int):
    user = _get_account_or_404(user_id)
    form = AccountEditForm(obj=None if request.method == "POST" else user)
    _fill_choices(form, current_user)
    if form.validate_on_submit():
        office, deputy = _binding(form)
        with refusal_shows(_refused(form, user)):
            operations.update_account(
                current_user,
                user,
                display_name=form.display_name.data,
                office=office,
                deputy=deputy,
                new_password=form.new_password.data or "",
                email=form.email.data or "",
            )
        flash(_("账号“%(name)s”已保存。", name=user.username), "success")
        return redirect(url_for("accounts.account_list"))
    return render_template("accounts/form.html", form=form, user=user)


@bp.post("/manage/accounts/<int:user_id>/active")
@roles_required(*ORG_MANAGERS)
def account_set_active(user_id: int):
    user = _get_account_or_404(user_id)
    active = request.form.get("active") == "1"
    operations.set_account_active(current_user, user, active)
    if active:
        flash(_("账号“%(name)s”已启用。", name=user.username), "success")
    else:
        flash(_("账号“%(name)s”已停用，其登录已全部失效。", name=user.username), "warning")
    return redirect(url_for("accounts.account_list"))
