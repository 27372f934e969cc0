"""Notice texts for readers: the labels copied into notice lines. What residents type is cleaned by
core/text.py (HTML stripped, private numbers masked)."""

from __future__ import annotations

from flask_babel import get_locale


def reader_labels() -> dict[str, str]:
    """The item state and list kind labels copied into notice lines (Chinese, as published) mapped to
    the reader's language: the web pages show them translated, the printed notice as published.
    A label that is no current state or kind (renamed since) is shown as stored."""
    from ..lists.models import ItemState, ListKind

    return {member._label: member.label for enum in (ItemState, ListKind) for member in enum}


CHINESE_NUMERALS = "一二三四五六七八九十"


def chinese_numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十: how an official text numbers its parts (一、 and （一）)."""
    if n <= 10:
        return CHINESE_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = CHINESE_NUMERALS[tens - 1] if tens > 1 else ""
    return head + "十" + (CHINESE_NUMERALS[ones - 1] if ones else "")


def part_heading(n: int, title: str, level: int = 1) -> str:
    """A part's heading on the web pages: "一、政府承诺事项" / "（一）基础设施" in Chinese, as the notice
    prints it; "1. Government commitments" / "(1) 基础设施" for a reader of another language."""
    locale = get_locale()
    if locale is None or locale.language == "zh":
        return f"{chinese_numeral(n)}、{title}" if level == 1 else f"（{chinese_numeral(n)}）{title}"
    return f"{n}. {title}" if level == 1 else f"({n}) {title}"
