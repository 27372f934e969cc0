"""argon2id password hashing and the rules for new passwords."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

MIN_LENGTH = 10

# The most common passwords (and their Chinese-keyboard favourites); a real account may not use them.
COMMON_PASSWORDS = frozenset(
    """
    1234567890 12345678910 0123456789 1111111111 0000000000 1234512345 1qaz2wsx3edc
    qwertyuiop qwertyuiop1 password123 password1234 passw0rd123 iloveyou123 woaini1314
    woaini520520 a123456789 abc1234567 abcd123456 aa12345678 asdfghjkl1 zxcvbnm123
    1q2w3e4r5t 1q2w3e4r5t6y qazwsxedc123 administrator admin12345 admin123456 supervise-demo
    88888888888 66666666666 5201314520 1314520520 zhangwei123 wangfang123 changeme123
    """.split()
)


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config.get("ARGON2_TIME_COST", 3),
        memory_cost=config.get("ARGON2_MEMORY_COST", 65536),
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash to verify against when the account does not exist, so timing does not reveal usernames.
def dummy_verify(password: str) -> None:
    verify_password(hash_password("not-a-real-account"), password)


def password_problem(password: str, username: str = "") -> str | None:
    """Why a new password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _("密码至少需要 %(n)d 个字符。", n=MIN_LENGTH)
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(password)) < 3:
        return _("这个密码太常见，容易被猜到，请换一个。")
    if username and username.lower() in lowered:
        return _("密码不能包含用户名。")
    return None
