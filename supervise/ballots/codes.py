"""One-time voting codes for phones: drawn with ``secrets``, shown once, stored only as keyed hashes.

Shared by every vote; each vote keys its hashes with its own purpose, so that a code of one vote
can never be found among another's.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from flask import current_app

# No 0/O, 1/I/L; 8 characters ≈ 2^39 guesses, and guesses are rate limited.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def code_hash(code: str, purpose: str) -> str:
    """The stored form of a code: an HMAC under the app's secret key and the vote's purpose."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{purpose}:".encode() + code.encode(), hashlib.sha256).hexdigest()


def new_codes(count: int) -> list[str]:
    """``count`` distinct fresh codes, sorted (the order they are printed in, not drawn in)."""
    codes: set[str] = set()
    while len(codes) < count:
        codes.add("".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH)))
    return sorted(codes)


def normalise_code(text: str) -> str:
    """What a deputy types, as stored: capitals, without spaces or dashes; '' if it cannot be a code."""
    code = re.sub(r"[\s\-—_]", "", text or "").upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return ""
    return code


def show_code(code: str) -> str:
    """A code as printed on a slip: ABCD-EFGH."""
    return f"{code[:4]}-{code[4:]}"
