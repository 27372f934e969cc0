"""Amounts of money as lists write them: in 万元, approximate with 余 ("230余万元": more than) or
with 约 ("约85万元": about), "1.2亿元".

One helper for every page, export and document that shows an amount (the ``wan_yuan`` template
filter, registered in create_app), so that an approximate amount never loses its 余 or 约 somewhere,
nor trades one for the other: they mean different things.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _

# 1 亿 = 10,000 万: a round amount this large reads as 亿元, as lists write it ("1.2亿元").
WAN_PER_YI = Decimal(10000)


def plain_number(value: Decimal | int | float) -> str:
    """An amount without trailing zeros or exponent, to the fen: 230.00 → "230", 335.10 → "335.1"."""
    return format(Decimal(str(value)).quantize(Decimal("0.01")).normalize(), "f")


def written_figure(value: Decimal | int | float, approx: bool = False, about: bool = False) -> str:
    """The figure as a list writes it in a column headed 万元, in Chinese whatever the reader's
    language ("230", "230余", "约230"): what an export writes and the import reads back."""
    number = plain_number(value)
    if approx and about:
        return "约" + number
    return number + "余" if approx else number


def wan_yuan(
    value: Decimal | int | float | None,
    approx: bool = False,
    empty: str = "—",
    unit: bool = True,
    about: bool = False,
) -> str:
    """An amount in 万元 as text: "230万元", "230余万元" (approximate), "约230万元" (approximate,
    ``about``), "1.2亿元"; ``empty`` when None.

    ``unit=False`` gives the figure alone ("230余", "约230"; "over 230" in English), for a column
    headed in 万元 on a page (a workbook writes ``written_figure``).
    """
    if value is None:
        return empty
    amount = Decimal(str(value))
    about = approx and about
    if not unit:
        number = plain_number(amount)
        if about:
            return _("约%(amount)s", amount=number)
        return _("%(amount)s余", amount=number) if approx else number
    if amount >= WAN_PER_YI and amount % 100 == 0:
        number = plain_number(amount / WAN_PER_YI)
        if about:
            return _("约%(amount)s亿元", amount=number)
        return _("%(amount)s余亿元", amount=number) if approx else _("%(amount)s亿元", amount=number)
    number = plain_number(amount)
    if about:
        return _("约%(amount)s万元", amount=number)
    return _("%(amount)s余万元", amount=number) if approx else _("%(amount)s万元", amount=number)
