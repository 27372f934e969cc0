"""The meeting's overall satisfaction rate (总体满意率) and its change against the township's meeting of
the year before, as the result summary states them: "总体满意率 86.7%，较上年提高 3.2 个百分点".

The overall rate pools every rated line's valid marks: (满意 + 基本满意) of all lines ÷ the valid marks
of all lines, so a line many marked weighs as it was marked. The year before's is its newest closed
meeting of the year before (a re-rating replaces the first), computed from its ballots as its own
summary would.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from .models import EvaluationMeeting, MeetingState
from .rules import Counts, percent, satisfaction_rate
from .tally import LineResult, results


def overall_rate(rows: Iterable[LineResult]) -> Fraction | None:
    """(满意 + 基本满意) ÷ valid marks over every line; None without a valid mark."""
    total = Counts()
    for row in rows:
        c = row.counts
        total = Counts(
            total.satisfied + c.satisfied,
            total.basic + c.basic,
            total.dissatisfied + c.dissatisfied,
            total.invalid + c.invalid,
        )
    return satisfaction_rate(total)


def previous_year_meeting(meeting: EvaluationMeeting) -> EvaluationMeeting | None:
    """The township's newest closed meeting rating the year before ``meeting``'s, if it held one."""
    return db.session.execute(
        select(EvaluationMeeting)
        .where(
            EvaluationMeeting.township_id == meeting.township_id,
            EvaluationMeeting.year == meeting.year - 1,
            EvaluationMeeting.state == MeetingState.closed,
        )
        .order_by(EvaluationMeeting.held_on.desc(), EvaluationMeeting.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def _points(rate: Fraction) -> Fraction:
    """A rate in percent exactly as ``percent`` prints it (86.7), so that the change adds up."""
    return Fraction(percent(rate).rstrip("%"))


@dataclass(frozen=True)
class Overall:
    rate: Fraction | None
    previous_rate: Fraction | None
    previous_year: int
    had_previous: bool  # a closed meeting of the year before exists (its rate may still be None)

    @property
    def change(self) -> Fraction | None:
        """The change in percentage points between the printed rates (so the sentence adds up)."""
        if self.rate is None or self.previous_rate is None:
            return None
        return _points(self.rate) - _points(self.previous_rate)

    def text(self) -> str:
        """The sentence the summary prints (in the current locale)."""
        if self.rate is None:
            return _("总体满意率：无有效票。")
        head = _("总体满意率 %(rate)s", rate=percent(self.rate))
        change = self.change
        if not self.had_previous:
            tail = _("%(year)d年度未召开民主评议会，无上年数据可比", year=self.previous_year)
        elif change is None:
            tail = _("%(year)d年度评议无有效票，无从比较", year=self.previous_year)
        elif change > 0:
            tail = _(
                "较上年（%(before)s）提高 %(n)s 个百分点",
                before=percent(self.previous_rate),
                n=_number(change),
            )
        elif change < 0:
            tail = _(
                "较上年（%(before)s）降低 %(n)s 个百分点",
                before=percent(self.previous_rate),
                n=_number(-change),
            )
        else:
            tail = _("与上年（%(before)s）持平", before=percent(self.previous_rate))
        return _("%(head)s，%(tail)s。", head=head, tail=tail)


def _number(points: Fraction) -> str:
    return f"{float(points):.1f}".rstrip("0").rstrip(".")


def overall_of(meeting: EvaluationMeeting, rows: list[LineResult] | None = None) -> Overall:
    """This meeting's overall rate against the year before's (``rows``: its results, when at hand)."""
    rate = overall_rate(rows if rows is not None else results(meeting))
    previous = previous_year_meeting(meeting)
    previous_rate = overall_rate(results(previous)) if previous is not None else None
    return Overall(rate, previous_rate, meeting.year - 1, previous is not None)
