"""The year's assessment table (年度考核): each office's result at the year's evaluation meeting, with
its responsible leader and how the items it led were rated. Viewable and exportable to .xlsx.

Read from the closed meetings' ballots (tally.results), never from a stored copy: the table always
agrees with the results pages. When a year has several closed meetings (a re-rating), an office's
newest result counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import BinaryIO

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ..core.exports import register_export
from ..core.xlsx import neutralise
from ..extensions import db
from ..lists.models import Item, Rating
from .models import EvaluationMeeting, MeetingState, RatedLine
from .rules import Counts, percent
from .tally import results


@dataclass
class AssessmentRow:
    township: str
    office: str
    leader_title: str
    leader_name: str
    meeting: EvaluationMeeting
    counts: Counts
    rate: Fraction | None
    grade: Rating | None
    # How the items this office led were graded at the same meeting: {Rating: n}.
    items: dict[Rating, int] = field(default_factory=dict)

    @property
    def items_text(self) -> str:
        if not self.items:
            return "—"
        return _("、").join(f"{grade.label} {n}" for grade, n in self.items.items())


def closed_meetings(user, year: int) -> list[EvaluationMeeting]:
    return list(
        db.session.execute(
            select(EvaluationMeeting)
            .where(
                user.visible_township_filter(EvaluationMeeting.township_id),
                EvaluationMeeting.year == year,
                EvaluationMeeting.state == MeetingState.closed,
            )
            .options(
                joinedload(EvaluationMeeting.township),
                selectinload(EvaluationMeeting.lines.of_type(RatedLine))
                .joinedload(RatedLine.item)
                .load_only(Item.lead_office_id)
                .selectinload(Item.joint_lead_offices),
            )
            .order_by(EvaluationMeeting.held_on, EvaluationMeeting.id)
        )
        .unique()
        .scalars()
    )


def assessment_rows(user, year: int) -> list[AssessmentRow]:
    """One row per office rated at the year's closed meetings the user may see (newest result wins)."""
    newest: dict[int, AssessmentRow] = {}
    for meeting in closed_meetings(user, year):
        rows = results(meeting)
        item_grades: dict[int, dict[Rating, int]] = {}
        for r in rows:
            if r.line.item is None or r.grade is None:
                continue
            # Each of the item's lead offices led it (the lead and the joint leads, 联合牵头).
            for lead_id in _lead_office_ids(r.line.item):
                grades = item_grades.setdefault(lead_id, {})
                grades[r.grade] = grades.get(r.grade, 0) + 1
        for r in rows:
            office_id = r.line.office_id
            if office_id is None:
                continue
            # The office and its leader as they were at the meeting (copied onto the rated line).
            newest[office_id] = AssessmentRow(
                township=meeting.township.name,
                office=r.line.title,
                leader_title=r.line.leader_title,
                leader_name=r.line.leader_name,
                meeting=meeting,
                counts=r.counts,
                rate=r.rate,
                grade=r.grade,
                items={g: item_grades[office_id][g] for g in Rating if g in item_grades.get(office_id, {})},
            )
    return sorted(newest.values(), key=lambda row: (row.township, row.meeting.held_on, row.office))


def _lead_office_ids(item: Item) -> list[int]:
    """The ids of the item's lead office and joint leads, once each (the lead office is not loaded)."""
    ids = [item.lead_office_id] if item.lead_office_id is not None else []
    return ids + [o.id for o in item.joint_lead_offices if o.id not in ids]


def headers() -> list[str]:
    return [
        _("乡镇"),
        _("站所（部门）"),
        _("负责人职务"),
        _("负责人"),
        _("测评会议日期"),
        _("满意"),
        _("基本满意"),
        _("不满意"),
        _("无效"),
        _("满意率"),
        _("测评等次"),
        _("主办事项测评情况"),
    ]


def _rate_cell(sheet, rate: Fraction | None):
    """The satisfaction rate as a number shown as a percentage, so a spreadsheet can sort and sum it;
    "—" where there were no valid marks."""
    if rate is None:
        return percent(rate)
    cell = WriteOnlyCell(sheet, value=float(rate))
    cell.number_format = "0.0%"
    return cell


def write_assessment(rows: list[AssessmentRow], year: int, out: BinaryIO) -> None:
    """The table as .xlsx; every text cell a spreadsheet would run as a formula is neutralised."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("%(year)s年度考核", year=year))
    title = _("%(year)s年度站所（部门）民主评议考核表", year=year)
    sheet.append([neutralise(title)])
    sheet.append([neutralise(h) for h in headers()])
    for row in rows:
        values = [
            row.township,
            row.office,
            row.leader_title,
            row.leader_name,
            row.meeting.held_on,
            row.counts.satisfied,
            row.counts.basic,
            row.counts.dissatisfied,
            row.counts.invalid,
            _rate_cell(sheet, row.rate),
            str(row.grade.label) if row.grade else _("无有效票"),
            row.items_text,
        ]
        sheet.append([neutralise(v) for v in values])
    workbook.save(out)


# ---- made by a worker (core/exports.py) ---------------------------------------------------------------

EXPORT_KIND = "assessment-export"


def export_year(args) -> int:
    """The year asked for (four ASCII digits, 2000-2100), else this year: never a 500 on '²²²²'."""
    from ..core.clock import today

    value = args.get("year", "")
    if len(value) == 4 and value.isascii() and value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return today().year


def _write(user, args, out: BinaryIO, progress) -> None:
    year = export_year(args)
    rows = assessment_rows(user, year)
    progress(50)
    write_assessment(rows, year, out)


def _count(user, args) -> int:
    """At most one row per office line of the year's closed meetings the user sees (one COUNT)."""
    query = (
        select(func.count(RatedLine.id))
        .join(EvaluationMeeting, RatedLine.meeting_id == EvaluationMeeting.id)
        .where(
            user.visible_township_filter(EvaluationMeeting.township_id),
            EvaluationMeeting.year == export_year(args),
            EvaluationMeeting.state == MeetingState.closed,
            RatedLine.office_id.is_not(None),
        )
    )
    return db.session.execute(query).scalar_one()


def _fingerprint(user, _args) -> str:
    """Changes with any change to the townships the user sees (their data versions)."""
    from ..lists.filters import visible_townships_and_versions

    return str(visible_townships_and_versions(user)[1])


def _load_user(user_id: int):
    from ..accounts.models import User

    return db.session.get(User, user_id)


register_export(EXPORT_KIND, write=_write, count=_count, fingerprint=_fingerprint, load_user=_load_user)
