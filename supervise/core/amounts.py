"""Amounts of money as lists write them: in 万元, with 余 when approximate ("230余万元", "1.2亿元").

One helper for every page, export and document that shows an amount (the ``wan_yuan`` template
filter, registered in create_app), so that an approximate amount never loses its 余 somewhere.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _

# 1 亿 = 10,000 万: a round amount this large reads as 亿元, as lists write it ("1.2亿元").
WAN_PER_YI = Decimal(10000)


def plain_number(value: Decimal | int | float) -> str:
    """An amount without trailing zeros or exponent, to the fen: 230.00 → "230", 335.10 → "335.1"."""
    return format(Decimal(str(value)).quantize(Decimal("0.01")).normalize(), "f")


def wan_yuan(
    value: Decimal | int | float | None, approx: bool = False, empty: str = "—", unit: bool = True
) -> str:
    """An amount in 万元 as text: "230万元", "230余万元" (approximate), "1.2亿元"; ``empty`` when None.

    ``unit=False`` gives the figure alone ("230余"), for a column headed in 万元.
    """
    if value is None:
        return empty
    amount = Decimal(str(value))
    if not unit:
        return plain_number(amount) + ("余" if approx else "")
    if amount >= WAN_PER_YI and amount % 100 == 0:
        number = plain_number(amount / WAN_PER_YI)
        return _("%(amount)s余亿元", amount=number) if approx else _("%(amount)s亿元", amount=number)
    number = plain_number(amount)
    return _("%(amount)s余万元", amount=number) if approx else _("%(amount)s万元", amount=number)
