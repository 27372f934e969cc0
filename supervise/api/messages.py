"""Field errors in the reader's language. marshmallow and webargs write their messages in English
("Longer than maximum length 200."); a clerk reading a portal's error, or a deputy whose phone shows
why a record was refused, reads Chinese. Each known English message is matched with its values and
said again through gettext; a message that is not one of them (our own, already translated) passes
unchanged."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from flask_babel import gettext as _

Say = Callable[..., str]

# (marshmallow's or webargs' template, the same said through gettext with the template's values)
_KNOWN: tuple[tuple[str, Say], ...] = (
    ("Missing data for required field.", lambda: _("必须填写。")),
    ("Field may not be null.", lambda: _("不能为空（null）。")),
    ("Invalid value.", lambda: _("取值无效。")),
    ("Invalid type.", lambda: _("类型不对，应为 JSON 对象。")),
    ("Invalid input type.", lambda: _("类型不对，应为 JSON 对象。")),
    ("Unknown field.", lambda: _("没有这个字段。")),
    ("Invalid JSON body.", lambda: _("请求体不是有效的 JSON。")),
    ("Not a valid list.", lambda: _("应为列表（JSON 数组）。")),
    ("Not a valid string.", lambda: _("应为文字（JSON 字符串）。")),
    ("Not a valid utf-8 string.", lambda: _("应为 UTF-8 编码的文字。")),
    ("Not a valid integer.", lambda: _("应为整数。")),
    ("Not a valid number.", lambda: _("应为数字。")),
    ("Number too large.", lambda: _("数字太大。")),
    ("Not a valid boolean.", lambda: _("应为 true 或 false。")),
    ("Not a valid date.", lambda: _("应为 ISO 8601 日期，例如 2026-03-15。")),
    ("Not a valid datetime.", lambda: _("应为 ISO 8601 日期时间，例如 2026-03-15T08:30:00。")),
    ("Not a valid mapping type.", lambda: _("类型不对，应为 JSON 对象。")),
    ("Longer than maximum length {max}.", lambda max: _("不能超过 %(max)s 个字。", max=max)),
    ("Shorter than minimum length {min}.", lambda min: _("至少要 %(min)s 个字。", min=min)),
    (
        "Length must be between {min} and {max}.",
        lambda min, max: _("长度应在 %(min)s 到 %(max)s 之间。", min=min, max=max),
    ),
    ("Length must be {equal}.", lambda equal: _("长度应为 %(equal)s。", equal=equal)),
    (
        "Must be greater than or equal to {min} and less than or equal to {max}.",
        lambda min, max: _("应在 %(min)s 到 %(max)s 之间。", min=min, max=max),
    ),
    ("Must be greater than or equal to {min}.", lambda min: _("不能小于 %(min)s。", min=min)),
    ("Must be less than or equal to {max}.", lambda max: _("不能大于 %(max)s。", max=max)),
    ("Must be one of: {choices}.", lambda choices: _("应为以下之一：%(choices)s。", choices=choices)),
    ("String does not match expected pattern.", lambda: _("格式不对。")),
)


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], Say], ...]:
    def pattern(template: str) -> re.Pattern[str]:
        parts = re.split(r"\{(\w+)\}", template)  # text, name, text, name, …, text
        return re.compile(
            "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)) + r"\Z"
        )

    return tuple((pattern(template), say) for template, say in _KNOWN)


def in_readers_language(message: str) -> str:
    """``message`` said in the reader's language when it is one of the libraries' known messages."""
    for pattern, say in _patterns():
        found = pattern.match(message)
        if found:
            return say(**found.groupdict())
    return message
