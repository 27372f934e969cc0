"""Text that residents type on the public pages: HTML tags removed, and private numbers (mobile
phones, ID cards, landlines) masked in everything the public pages show. Shared by residents'
opinions on notices and residents' livelihood proposals."""

from __future__ import annotations

import re

# Tags only (a "<" followed by a letter, "/" or "!"): "1<2 且 3>2" stays as typed.
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|</?[A-Za-z!][^>]*>", re.S | re.I)
# Mainland mobile numbers (11 digits from 13x to 19x, also written 138-1234-5678 or +86 …) and
# 18-character resident ID numbers; not inside longer digit runs (amounts, item codes).
_MOBILE = re.compile(r"(?<![\d])(?:\+?86[\s.-]?)?(1[3-9]\d)[\s.-]?(\d{4})[\s.-]?(\d{4})(?![\d])")
# Landlines with their area code (0915-6821234, 0915 6821234): the notice is no phone book either.
_LANDLINE = re.compile(r"(?<![\d])(0\d{2,3})[\s.-]?(\d{7,8})(?![\d])")
# Full-width digits (１３８…) are digits too.
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_ID_CARD = re.compile(r"(?<![\dXx])(\d{6})\d{8}(\d{3}[\dXx])(?![\dXx])")


def strip_html(text: str | None) -> str:
    """The text without HTML tags (and without script/style contents), trimmed.

    Repeated until nothing changes: "<<b>img …>" must not leave an <img> behind.
    """
    text = (text or "").replace("\x00", "")
    while True:
        stripped = _TAG.sub("", text)
        if stripped == text:
            return stripped.strip()
        text = stripped


def mask_private(text: str | None) -> str:
    """Mobile numbers as 138****5678, landlines as 0915-*******, ID numbers as 610923********123X."""
    text = (text or "").translate(_FULL_WIDTH_DIGITS)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    text = _ID_CARD.sub(lambda m: f"{m.group(1)}********{m.group(2)}", text)
    return _LANDLINE.sub(lambda m: f"{m.group(1)}-{'*' * len(m.group(2))}", text)
