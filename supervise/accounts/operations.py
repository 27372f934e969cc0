"""Account operations: each checks, changes, and flushes; the request commits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from ..core.clock import utcnow
from ..core.errors import DomainError, PermissionDenied
from ..core.permissions import Role
from ..extensions import db
from ..org.models import Deputy, Office, Township
from .models import SignInFailure, User
from .passwords import dummy_verify, hash_password, password_problem, verify_password
from .tokens import ApiToken, TokenScope, hash_secret, new_secret, tokens_of


def authenticate(username: str, password: str) -> User | None:
    """The active account with this username and password, or None."""
    user = db.session.execute(
        select(User).where(func.lower(User.username) == username.strip().lower())
    ).scalar_one_or_none()
    if user is None:
        dummy_verify(password)
        return None
    if not verify_password(user.password_hash, password) or not user.is_active:
        return None
    user.last_login_at = datetime.now(UTC).replace(tzinfo=None)
    db.session.flush()
    return user


# The administrator sees a month of repeated failures; older rows go as new ones are written.
FAILURES_KEPT = timedelta(days=30)


def shown_account(typed: str) -> str:
    """The name typed at a failed sign-in as logs and the administrator see it: an account's name in
    full; anything else only by its first two characters (a password typed into the wrong box)."""
    found = db.session.execute(select(User.id).where(func.lower(User.username) == typed)).first()
    return typed if found else f"{typed[:2]}…（{len(typed)}）"


def record_sign_in_failures(account: str, address: str, added: int) -> None:
    """Add ``added`` failed sign-ins to the pair's row (made on its first repeated failure)."""
    now = utcnow()
    db.session.execute(delete(SignInFailure).where(SignInFailure.last_at < now - FAILURES_KEPT))
    counted = update(SignInFailure).where(SignInFailure.account == account, SignInFailure.address == address)
    values = {"failures": SignInFailure.failures + added, "last_at": now}
    if db.session.execute(counted.values(**values)).rowcount:  # type: ignore[attr-defined]  # a CursorResult
        return
    try:
        with db.session.begin_nested():  # another process may write the same pair's row first
            db.session.add(
                SignInFailure(account=account, address=address, failures=added, first_at=now, last_at=now)
            )
    except IntegrityError:
        db.session.execute(counted.values(**values))


def sign_out(user: User) -> None:
    user.rotate_session_token()
    db.session.flush()


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise DomainError(_("当前密码不正确。"))
    _set_password(user, new)
    db.session.flush()


def _set_password(user: User, new: str) -> None:
    """Give the account a new password (if it is not too weak), ending its other sessions."""
    problem = password_problem(new, user.username)
    if problem:
        raise DomainError(problem)
    user.password_hash = hash_password(new)
    user.rotate_session_token()


def _check_binding(
    actor: User,
    role: Role,
    township: Township | None,
    county_id: int | None,
    office: Office | None,
    deputy: Deputy | None,
    account: User | None = None,
) -> None:
    if role not in actor.assignable_roles():
        raise PermissionDenied(_("您不能创建或修改这个角色的账号。"))
    if role in (Role.deputy, Role.government, Role.presidium):
        if township is None:
            raise DomainError(_("这个角色的账号必须属于一个镇。"))
        if not actor.can_see_township(township.id):
            raise PermissionDenied(_("您不能管理这个镇的账号。"))
    if role is Role.county and county_id is None:
        raise DomainError(_("县人大常委会的账号必须属于一个县。"))
    if role is Role.county and actor.role is not Role.admin and county_id != actor.county_id:
        raise PermissionDenied(_("您只能为本县创建账号。"))
    # (township is set for these roles: checked above)
    if office is not None and (
        role is not Role.government or township is None or office.township_id != township.id
    ):
        raise DomainError(_("只有镇政府账号可以绑定本镇的站所。"))
    if deputy is not None and (
        role is not Role.deputy or township is None or deputy.township_id != township.id
    ):
        raise DomainError(_("只有代表账号可以绑定本镇的代表。"))
    if role is Role.deputy and deputy is None:
        raise DomainError(_("代表账号需要选择对应的代表。"))
    if deputy is not None:
        bound = db.session.execute(select(User).where(User.deputy_id == deputy.id)).scalar_one_or_none()
        if bound is not None and bound is not account:
            raise DomainError(_("代表“%(name)s”已有账号“%(user)s”。", name=deputy.name, user=bound.username))


def create_account(
    actor: User,
    *,
    username: str,
    display_name: str,
    password: str,
    email: str = "",
    role: Role,
    township: Township | None = None,
    county_id: int | None = None,
    office: Office | None = None,
    deputy: Deputy | None = None,
    check_password: bool = True,
) -> User:
    """Create an account. Real accounts refuse short or common passwords."""
    _check_binding(actor, role, township, county_id, office, deputy)
    if check_password:
        problem = password_problem(password, username)
        if problem:
            raise DomainError(problem)
    taken = db.session.execute(
        select(User.id).where(func.lower(User.username) == username.strip().lower())
    ).first()
    if taken:
        raise DomainError(_("用户名“%(name)s”已被使用。", name=username))
    user = User(
        username=username.strip(),
        display_name=display_name.strip(),
        email=email.strip(),
        password_hash=hash_password(password),
        role=role,
        township_id=township.id
        if township and role in (Role.deputy, Role.government, Role.presidium)
        else None,
        county_id=county_id if role is Role.county else None,
        office_id=office.id if office else None,
        deputy_id=deputy.id if deputy else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def update_account(
    actor: User,
    user: User,
    *,
    display_name: str,
    office: Office | None,
    deputy: Deputy | None,
    new_password: str = "",
    email: str | None = None,
) -> None:
    """Change an account's name, office or deputy binding, and optionally reset its password."""
    if not actor.can_manage_account(user):
        raise PermissionDenied(_("您不能修改这个账号。"))
    _check_binding(actor, user.role, user.township, user.county_id, office, deputy, account=user)
    user.display_name = display_name.strip()
    if email is not None:
        user.email = email.strip()
    user.office_id = office.id if office else None
    user.deputy_id = deputy.id if deputy else None
    if new_password:
        _set_password(user, new_password)
    db.session.flush()


def set_account_active(actor: User, user: User, active: bool) -> None:
    """Deactivate (ending all its sessions) or reactivate an account."""
    if not actor.can_manage_account(user):
        raise PermissionDenied(_("您不能修改这个账号。"))
    if user.id == actor.id:
        raise DomainError(_("不能停用自己的账号。"))
    user.is_active_account = active
    user.rotate_session_token()
    db.session.flush()


# ---- demo accounts ------------------------------------------------------------------------------

DEMO_PASSWORD = "supervise-demo"  # noqa: S105 (demo data only, documented in README)


@cache
def _demo_password_hash() -> str:
    return hash_password(DEMO_PASSWORD)  # one argon2 run for all demo accounts


def add_demo_account(username: str, display_name: str, role: Role, **binding: Any) -> User:
    """A demo account signing in with DEMO_PASSWORD; added unchecked and unflushed (demo data only)."""
    user = User(
        username=username,
        display_name=display_name,
        password_hash=_demo_password_hash(),
        role=role,
        **binding,
    )
    db.session.add(user)
    return user


# ---- personal access tokens for the API ---------------------------------------------------------

MAX_TOKENS = 20


def create_api_token(
    user: User, name: str, scope: TokenScope, secret: str | None = None
) -> tuple[ApiToken, str]:
    """Make a named token for the user; the secret is returned once and only its hash is kept.

    ``secret`` is for the demo data alone (a documented, fixed demo token)."""
    name = name.strip()
    if not name:
        raise DomainError(_("请为令牌起一个名称。"))
    active = [t for t in tokens_of(user) if not t.is_revoked]
    if len(active) >= MAX_TOKENS:
        raise DomainError(_("有效的令牌最多 %(n)d 个，请先吊销不用的令牌。", n=MAX_TOKENS))
    secret = secret or new_secret()
    token = ApiToken(
        user_id=user.id, name=name[:60], scope=scope, token_hash=hash_secret(secret), shown_prefix=secret[:10]
    )
    db.session.add(token)
    db.session.flush()
    return token, secret


def revoke_api_token(user: User, token: ApiToken) -> None:
    """Revoke one of the user's own tokens: it stops working at once."""
    if token.user_id != user.id:
        raise PermissionDenied(_("只能吊销自己的令牌。"))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()


OFFLINE_APP_TOKEN_NAME = "代表离线应用"  # noqa: S105 (a token's name, not a secret)


def renew_app_token(user: User) -> str:
    """A new write token for the offline app on this phone; the app's earlier token stops working
    (one phone at a time: a lost phone's token ends when the deputy opens the app on the next one)."""
    for token in tokens_of(user):
        if token.name == OFFLINE_APP_TOKEN_NAME and not token.is_revoked:
            revoke_api_token(user, token)
    _token, secret = create_api_token(user, OFFLINE_APP_TOKEN_NAME, TokenScope.write)
    return secret
