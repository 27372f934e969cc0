"""Reading a ballot from a posted form, whatever its shape: a line's field is ``line-<id>``.

A paper sheet's entry may tick several boxes on a line (the field repeats: a double mark that the
shape reads as it says); a phone ballot carries one choice per line or none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Protocol


class Line(Protocol):
    """A line of a ballot as a form reads it: its id and its printed position."""

    @property
    def id(self) -> int: ...

    @property
    def position(self) -> int: ...


SERIAL_PATTERN = re.compile(r"^\s*(?:No\.?|№|#)?\s*0*(\d{1,6})\s*$", re.IGNORECASE)


def parse_serial(text: str | None) -> int | None:
    """A sheet's serial as typed or scanned ("7", "007", "No.007"); None if it is not one."""
    match = SERIAL_PATTERN.match(text or "")
    if not match or int(match.group(1)) == 0:
        return None
    return int(match.group(1))


def parse_ticks(
    formdata: Any, lines: Iterable[Line], marks: tuple[str, ...]
) -> tuple[dict[int, list[str]], list[str]]:
    """The boxes a clerk ticked per line, and the positions of lines with a value not in ``marks``."""
    ticks: dict[int, list[str]] = {}
    bad: list[str] = []
    for line in lines:
        chosen = formdata.getlist(f"line-{line.id}")
        if any(v not in marks for v in chosen):
            bad.append(str(line.position))
        ticks[line.id] = [v for v in chosen if v in marks]
    return ticks, bad


def parse_choices(
    formdata: Mapping[str, str], lines: Iterable[Line], marks: tuple[str, ...]
) -> dict[int, str]:
    """A phone ballot's choices: one of ``marks`` per line; anything else is left out (not chosen)."""
    chosen = {}
    for line in lines:
        value = formdata.get(f"line-{line.id}", "")
        if value in marks:
            chosen[line.id] = value
    return chosen
