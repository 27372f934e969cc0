"""Results computed from the stored ballots alone: the same answer every time they are asked for,
and the reconciliation (对账) that must balance before voting closes.

A ballot's marks are its newest correction's marks if it has been corrected, else the marks it was
entered with. One GROUP BY per meeting, whatever the number of ballots, read by the meeting's
shape. While voting is open, the phone ballots in the sealed pool (sealed.py) are counted with
the ballot table's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Subquery, and_, case, func, literal, or_, select, union_all

from ..extensions import db
from .kinds import shape_of, words
from .models import (
    Attendance,
    Ballot,
    BallotCorrection,
    BallotKind,
    BallotMark,
    Meeting,
    PaperSerial,
    SerialState,
)
from .paper import format_serials, unresolved_serials
from .queries import serial_list, unchecked_serials
from .reconciliation import Accounts, Imbalance
from .sealed import pooled_count, pooled_marks
from .shape import plain


def latest_corrections(meeting_id: int) -> Subquery:
    """A subquery: (ballot_id, id of its newest correction) for the meeting's corrected ballots."""
    return (
        select(BallotCorrection.ballot_id, func.max(BallotCorrection.id).label("latest"))
        .join(Ballot, Ballot.id == BallotCorrection.ballot_id)
        .where(Ballot.meeting_id == meeting_id)
        .group_by(BallotCorrection.ballot_id)
        .subquery()
    )


def effective_marks_condition(latest):
    """Marks that count: a corrected ballot's newest correction's, an uncorrected ballot's own."""
    return or_(
        and_(latest.c.latest.is_(None), BallotMark.correction_id.is_(None)),
        BallotMark.correction_id == latest.c.latest,
    )


def line_marks(meeting: Meeting) -> dict[int, Counter[str]]:
    """{line id: Counter of its marks}, from the ballots as they now stand, read by the shape."""
    meeting_id = meeting.id
    latest = latest_corrections(meeting_id)
    newest = BallotCorrection.__table__.alias("newest")
    # A ballot void as it stands counts every line as invalid, whatever marks it keeps (a sheet
    # with more 赞成 than places keeps them as entered, for the check entry).
    void = or_(and_(latest.c.latest.is_(None), Ballot.is_void.is_(True)), newest.c.is_void.is_(True))
    mark = case((void, literal(plain(shape_of(meeting).invalid))), else_=BallotMark.mark)
    stored = (
        select(BallotMark.line_id.label("line_id"), mark.label("mark"))
        .join(Ballot, Ballot.id == BallotMark.ballot_id)
        .outerjoin(latest, latest.c.ballot_id == Ballot.id)
        .outerjoin(newest, newest.c.id == latest.c.latest)
        .where(Ballot.meeting_id == meeting_id, effective_marks_condition(latest))
    )
    marks = union_all(stored, pooled_marks(meeting_id)).subquery()
    rows = db.session.execute(
        select(marks.c.line_id, marks.c.mark, func.count()).group_by(marks.c.line_id, marks.c.mark)
    )
    return shape_of(meeting).count(rows)


@dataclass(frozen=True)
class Turnout:
    roster: int
    present: int
    paper_handed: int
    phone_handed: int
    paper_ballots: int
    phone_ballots: int
    void_ballots: int

    @property
    def ballots(self) -> int:
        return self.paper_ballots + self.phone_ballots


def turnout(meeting: Meeting) -> Turnout:
    """Who is here and how many ballots are in, in three queries."""
    roster_rows = db.session.execute(
        select(
            func.count(),
            func.count().filter(Attendance.present.is_(True)),
            func.count().filter(Attendance.ballot_kind == BallotKind.paper),
            func.count().filter(Attendance.ballot_kind == BallotKind.phone),
            pooled_count(meeting.id),
        ).where(Attendance.meeting_id == meeting.id)
    ).one()
    ballots = dict(
        db.session.execute(
            select(Ballot.source, func.count()).where(Ballot.meeting_id == meeting.id).group_by(Ballot.source)
        ).all()
    )
    return Turnout(
        roster=roster_rows[0],
        present=roster_rows[1],
        paper_handed=roster_rows[2],
        phone_handed=roster_rows[3],
        paper_ballots=ballots.get(BallotKind.paper, 0),
        phone_ballots=ballots.get(BallotKind.phone, 0) + roster_rows[4],
        void_ballots=void_ballot_count(meeting.id),
    )


def void_ballot_count(meeting_id: int) -> int:
    """Ballots that are invalid as a whole, as they now stand (a correction may void or restore one)."""
    latest = latest_corrections(meeting_id)
    correction = BallotCorrection.__table__.alias("newest")
    return db.session.execute(
        select(func.count())
        .select_from(Ballot)
        .outerjoin(latest, latest.c.ballot_id == Ballot.id)
        .outerjoin(correction, correction.c.id == latest.c.latest)
        .where(
            Ballot.meeting_id == meeting_id,
            or_(
                and_(latest.c.latest.is_(None), Ballot.is_void.is_(True)),
                correction.c.is_void.is_(True),
            ),
        )
    ).scalar_one()


# ---- the reconciliation --------------------------------------------------------------------------


@dataclass(frozen=True)
class Reconciliation(Accounts):
    """The engine's accounts (reconciliation.py), with ``problems`` said in the meeting's words."""

    sheet: str = ""

    @property
    def problems(self) -> list[str]:
        return reconciliation_problems(self, self.sheet)


def reconcile(meeting: Meeting) -> Reconciliation:
    """issued = returned + not returned; returned = valid + invalid; and the hand-outs agree."""
    states = dict(
        db.session.execute(
            select(PaperSerial.state, func.count())
            .where(PaperSerial.meeting_id == meeting.id)
            .group_by(PaperSerial.state)
        ).all()
    )
    returned = states.get(SerialState.returned, 0)
    not_returned = states.get(SerialState.not_returned, 0)
    waiting = states.get(SerialState.issued, 0)
    numbers = turnout(meeting)
    return Reconciliation(
        issued=returned + not_returned + waiting,
        returned=returned,
        not_returned=not_returned,
        # Spoiled sheets were exchanged for fresh ones: the fresh one counts as the deputy's sheet.
        spoiled=states.get(SerialState.spoiled, 0),
        outstanding=serial_list(meeting.id, SerialState.issued) if waiting else [],
        valid=numbers.paper_ballots - numbers.void_ballots,
        invalid=numbers.void_ballots,
        paper_handed=numbers.paper_handed,
        phone_handed=numbers.phone_handed,
        phone_ballots=numbers.phone_ballots,
        mismatched=unresolved_serials(meeting),
        unchecked=unchecked_serials(meeting.id),
        sheet=words(meeting)["sheet"],
    )


def reconciliation_problems(check: Accounts, sheet: str) -> list[str]:
    """What keeps the accounts from balancing, each said with its numbers and what to do."""
    texts = {
        Imbalance.outstanding: lambda: _(
            "发出 %(issued)d 张 ≠ 收回 %(returned)d 张 + 未收回 %(not_returned)d 张：%(sheet)s %(serials)s "
            "已发出，但既未录入，也未登记为未收回。如果是误登记发出，请在“发放选票”页撤回发出登记。",
            issued=check.issued,
            returned=check.returned,
            not_returned=check.not_returned,
            serials=format_serials(check.outstanding),
            sheet=sheet,
        ),
        Imbalance.returned_not_sorted: lambda: _(
            "收回 %(returned)d 张 ≠ 有效 %(valid)d 张 + 无效 %(invalid)d 张。",
            returned=check.returned,
            valid=check.valid,
            invalid=check.invalid,
        ),
        Imbalance.issued_not_handed: lambda: _(
            "登记发出的%(sheet)s %(issued)d 张，而登记领表的代表为 %(handed)d 人，两者须相等："
            "误登记的编号可撤回发出登记，误登记的领表可撤销（收回那张%(sheet)s）。",
            sheet=sheet,
            issued=check.issued,
            handed=check.paper_handed,
        ),
        Imbalance.phone_surplus: lambda: _(
            "手机票 %(ballots)d 张，多于登记领取投票码的代表 %(handed)d 人。",
            ballots=check.phone_ballots,
            handed=check.phone_handed,
        ),
        Imbalance.mismatched: lambda: _(
            "%(sheet)s %(serials)s 的复核录入与现有录入不一致，请核对原件后更正。",
            serials=format_serials(check.mismatched),
            sheet=sheet,
        ),
        Imbalance.unchecked: lambda: _(
            "%(sheet)s %(serials)s 只录入了一次，还没有复核：每张收回的%(sheet)s须由另一名工作人员"
            "再录入一次（双人录入），复核一致后才能结束投票。",
            serials=format_serials(check.unchecked),
            sheet=sheet,
        ),
    }
    return [texts[imbalance]() for imbalance in check.imbalances()]
