"""Amounts of money as lists and documents write them: in 万元, with 余 when the figure is approximate."""

from __future__ import annotations

from decimal import Decimal


def format_amount(value: Decimal | float | int | None, approx: bool = False, unit: bool = True) -> str:
    """``230余万元`` for 230 marked approximate, ``335.15万元``, ``1200万元``; "—" for no amount.

    Trailing zeros go (230.00 is 230); ``unit=False`` leaves 万元 out, for a column headed in 万元.
    """
    if value is None:
        return "—"
    number = Decimal(str(value)).quantize(Decimal("0.01"))
    text = f"{number:f}".rstrip("0").rstrip(".") if "." in f"{number:f}" else f"{number:f}"
    return f"{text}{'余' if approx else ''}{'万元' if unit else ''}"
