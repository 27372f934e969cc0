"""Whether an item's work is ahead of, on or behind its schedule (超前 / 正常 / 滞后), as notices print it.

The rule, printed under every notice that counts by it (``rule_text``): the time share (时间进度) is the
part of the time from the start of the item's list year, or from the day supervision began when that is
later, to its deadline that has passed by the end of the month reported on; the latest reported percent
is compared with it. More than ``TOLERANCE`` points above it is ahead, more than ``TOLERANCE`` points
below it is behind, anything in between (the limits included) on schedule. An item without a deadline
or without any report is not judged.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from flask_babel import gettext as _
from sqlalchemy import select

from ..core.database import in_ids
from ..core.enums import N_, LabeledEnum
from ..extensions import db

# Percentage points either side of the time share that still count as on schedule.
TOLERANCE = 10


class ProgressStatus(LabeledEnum):
    ahead = ("ahead", N_("超前"), "success")
    on_schedule = ("on_schedule", N_("正常"), "primary")
    behind = ("behind", N_("滞后"), "danger")


def time_share(start: date, reference: date, deadline: date) -> Fraction:
    """The share (0 to 1) of the time from ``start`` to ``deadline`` passed on ``reference``; a deadline
    on or before the start counts as all the time passed."""
    if deadline <= start:
        return Fraction(1)
    passed = (min(max(reference, start), deadline) - start).days
    return Fraction(passed, (deadline - start).days)


def progress_status(
    percent: int | None,
    start: date,
    reference: date,
    deadline: date | None,
    tolerance: int = TOLERANCE,
) -> tuple[ProgressStatus | None, int | None]:
    """(status, time share in whole percent) of an item reported at ``percent`` on ``reference``.

    (None, None) without a deadline; (None, share) without a report. Exactly ``tolerance`` points off
    the time share is still on schedule."""
    if deadline is None:
        return None, None
    share = time_share(start, reference, deadline) * 100
    expected = int(share + Fraction(1, 2))  # rounded half up, as printed
    if percent is None:
        return None, expected
    if percent - share > tolerance:
        return ProgressStatus.ahead, expected
    if share - percent > tolerance:
        return ProgressStatus.behind, expected
    return ProgressStatus.on_schedule, expected


def rule_text(tolerance: int = TOLERANCE) -> str:
    """The rule as the footnote of a notice states it (in the current locale; notices render in Chinese)."""
    return _(
        "进度状态的判定：时间进度为自清单年度1月1日（年中列入监督的，自列入监督之日）至完成时限已过去的"
        "时间比例，计至公示月份月末；最新报送的完成进度高于时间进度超过 %(n)d 个百分点的为“超前”，"
        "低于时间进度超过 %(n)d 个百分点的为“滞后”，其余为“正常”。未定完成时限或未报送进度的事项不作判定。",
        n=tolerance,
    )


def latest_progress(item_ids, month: date) -> dict[int, tuple[int, Decimal | None]]:
    """Each item's progress by ``month`` (its reports of that month and earlier, each month's newest
    version): (the latest percent, the funds invested so far, or None when no report states any).

    A report states the month's spending (本月使用资金), so the invested total is the sum over the
    months; a corrected report replaces its month's figure, never adds to it. One query; an item
    without any report by then is left out."""
    ids = list(item_ids)
    if not ids:
        return {}
    from .models import MonthlyReport

    rows = db.session.execute(
        select(MonthlyReport.item_id, MonthlyReport.month, MonthlyReport.percent, MonthlyReport.funds_spent)
        .where(in_ids(MonthlyReport.item_id, ids), MonthlyReport.month <= month)
        .order_by(MonthlyReport.item_id, MonthlyReport.month, MonthlyReport.version)
    )
    percents: dict[int, int] = {}
    spent: dict[tuple[int, date], Decimal | None] = {}
    for item_id, report_month, percent, funds in rows:
        # Oldest first: a later month's percent, and a later version's figure for its month, win.
        percents[item_id] = percent
        spent[(item_id, report_month)] = funds
    invested: dict[int, Decimal] = {}
    for (item_id, _month), funds in spent.items():
        if funds is not None:
            invested[item_id] = invested.get(item_id, Decimal(0)) + funds
    return {item_id: (percent, invested.get(item_id)) for item_id, percent in percents.items()}
