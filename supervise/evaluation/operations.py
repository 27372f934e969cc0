"""What changes an evaluation meeting as a whole: preparing it, roll call and hand-outs, opening and
closing voting, and recording the results on the items. Check, change, flush; never commits.

Paper sheets are in paper.py, phone codes and ballots in phone.py. Secrecy rules kept here: a
hand-out records only the kind of ballot a deputy received; nothing here logs a deputy, a code or a
ballot's marks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select

from ..ballots import hall
from ..ballots.guards import flush_or_conflict, link, lock, require_runner, require_state
from ..ballots.hall import (  # noqa: F401  (the evaluation's hall is the engine's)
    hand_out,
    mark_all_present,
    mark_attendance,
    open_voting,
    quorum_problem,
    start_roll_call,
)
from ..ballots.tally import Reconciliation
from ..core.clock import utcnow
from ..core.documents import changed
from ..core.errors import DomainError, PermissionDenied
from ..core.permissions import Role
from ..extensions import db
from ..lists import operations as item_operations
from ..lists.models import RATEABLE_STATES, Item, ListKind, Rating, SupervisionList
from ..lists.workflow import WORKFLOW as ITEM_WORKFLOW
from ..lists.workflow import ItemInput
from ..org.models import Office
from ..uploads.storage import attach
from .models import (
    OPEN_MEETING_STATES,
    REPORT_OWNER,
    Attendance,
    CommentsLayout,
    EvaluationMeeting,
    MeetingState,
    RatedLine,
)
from .rules import Denominator, percent
from .tally import LineResult, results

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..uploads.models import Attachment

# Rated by default: every item of the year's lists in an open state (RATEABLE_STATES), then offices.
KIND_ORDER = {ListKind.commitment: 0, ListKind.livelihood: 1, ListKind.suggestion: 2}


# ---- before the meeting --------------------------------------------------------------------------


def default_lines(township_id: int | None, year: int) -> list[tuple[Item | None, Office | None]]:
    """Every item of the year's lists in an open state (under supervision or done), then every
    active office; the presidium leaves out what this meeting does not rate."""
    items = db.session.execute(
        select(Item)
        .join(SupervisionList, SupervisionList.id == Item.list_id)
        .where(
            Item.township_id == township_id,
            SupervisionList.year == year,
            Item.state.in_(RATEABLE_STATES),
        )
    ).scalars()
    ordered = sorted(items, key=lambda i: (KIND_ORDER.get(i.kind, 9), i.number))
    offices = db.session.execute(
        select(Office).where(Office.township_id == township_id, Office.is_active).order_by(Office.id)
    ).scalars()
    return [(item, None) for item in ordered] + [(None, office) for office in offices]


@dataclass(frozen=True)
class MeetingRules:
    satisfied_percent: int = 50
    basic_percent: int = 50
    denominator: Denominator = Denominator.present
    satisfied_strict: bool = False
    basic_strict: bool = False
    quorum_numerator: int = 2
    quorum_denominator: int = 3
    quorum_strict: bool = True
    results_hidden_until_closed: bool = True
    # Where the printed sheet leaves room for comments (意见建议): at its foot, under each line, or none.
    comments_layout: CommentsLayout = CommentsLayout.sheet

    def problem(self) -> str | None:
        if not (1 <= self.satisfied_percent <= 100 and 1 <= self.basic_percent <= 100):
            return _("评定标准的百分比须在 1 到 100 之间。")
        if not (0 < self.quorum_denominator <= 100 and 0 <= self.quorum_numerator <= self.quorum_denominator):
            return _("法定人数须是不大于 1 的分数，如 2/3。")
        return None


def create_meeting(
    user: User, *, year: int, held_on: date, place: str, rules: MeetingRules | None = None
) -> EvaluationMeeting:
    """Make the meeting: the roster (the township's deputies now), what is rated, numbered sheets."""
    if user.role is not Role.presidium:
        raise PermissionDenied(_("只有本镇主席团可以召开民主评议会。"))
    rules = rules or MeetingRules()
    problem = rules.problem()
    if problem:
        raise DomainError(problem)
    township_id = user.township_id
    deputies = hall.active_deputies(township_id) if township_id is not None else []
    if not deputies:
        raise DomainError(_("本镇还没有在任的代表，无法组织评议。"))
    lines = default_lines(township_id, year)
    if not lines:
        raise DomainError(_("%(year)d 年没有可以测评的事项或站所。", year=year))
    meeting = EvaluationMeeting(
        township_id=township_id,
        year=year,
        held_on=held_on,
        place=place.strip(),
        state=MeetingState.preparing,
        created_by_id=user.id,
        **rules.__dict__,
    )
    meeting.lines = [_line(n, item, office) for n, (item, office) in enumerate(lines, start=1)]
    meeting.roster = [Attendance(deputy_id=d.id) for d in deputies]
    db.session.add(meeting)
    db.session.flush()
    hall.number_sheets(meeting, len(deputies))
    db.session.flush()
    return meeting


def _line(position: int, item: Item | None, office: Office | None) -> RatedLine:
    if item is not None:
        # The lead office and the joint leads (联合牵头): whoever answers for the item is named.
        office_name = "、".join(office.name for office in item.lead_offices)
        return RatedLine(
            position=position,
            item_id=item.id,
            title=item.title,
            subtitle=f"{item.code} {office_name}".strip()[:200],
            category=item.category,
        )
    if office is None:
        raise ValueError("a rated line rates an item or an office")
    leader = " ".join(part for part in (office.leader_title, office.leader_name) if part)
    return RatedLine(
        position=position,
        office_id=office.id,
        title=office.name,
        subtitle=leader,
        leader_title=office.leader_title,
        leader_name=office.leader_name,
    )


def update_rules(user: User, meeting: EvaluationMeeting, rules: MeetingRules) -> None:
    """Change the grade rule, the quorum or when results show, while the meeting is prepared."""
    require_runner(user, meeting)
    lock(meeting)
    require_state(meeting, MeetingState.preparing)
    problem = rules.problem()
    if problem:
        raise DomainError(problem)
    for name, value in rules.__dict__.items():
        setattr(meeting, name, value)
    flush_or_conflict(meeting)


def add_item_lines(user: User, meeting: EvaluationMeeting, items: list[Item]) -> int:
    """Rate more items of the township than the default (e.g. one finished last year), while the
    meeting is prepared; they are numbered after the items already rated, before the offices."""
    require_runner(user, meeting)
    require_state(meeting, MeetingState.preparing)
    rated = {line.item_id for line in meeting.lines if line.item_id}
    for item in items:
        if item.township_id != meeting.township_id:
            raise DomainError(_("只能测评本镇的事项。"))
        if item.state not in RATEABLE_STATES:
            raise DomainError(
                _("%(code)s 当前为“%(state)s”，不能测评。", code=item.code, state=item.state.label)
            )
    new = [item for item in items if item.id not in rated]
    if not new:
        return 0
    item_lines = [line for line in meeting.lines if line.item_id]
    office_lines = [line for line in meeting.lines if line.office_id]
    _number_lines(meeting, item_lines + [_line(0, item, None) for item in new] + office_lines)
    return len(new)


def remove_lines(user: User, meeting: EvaluationMeeting, line_ids: list[int]) -> int:
    """Leave lines out of the rating while the meeting is prepared; the rest are renumbered."""
    require_runner(user, meeting)
    require_state(meeting, MeetingState.preparing)
    kept = [line for line in meeting.lines if line.id not in set(line_ids)]
    if not kept:
        raise DomainError(_("至少要保留一项测评内容。"))
    removed = len(meeting.lines) - len(kept)
    _number_lines(meeting, kept)
    return removed


def _number_lines(meeting: EvaluationMeeting, lines: list[RatedLine]) -> None:
    """Make ``lines`` the meeting's rated lines (any other is deleted), numbered 1, 2, … in order."""
    meeting.lines = lines
    for position, line in enumerate(lines, start=1):
        line.position = -position  # two steps: the unique (meeting, position) holds at every flush
    db.session.flush()
    for line in lines:
        line.position = -line.position
    flush_or_conflict(meeting)


def close_voting(user: User, meeting: EvaluationMeeting) -> Reconciliation:
    """Close voting (the engine's rule: only when the reconciliation balances); the summary for
    signatures then holds the results."""
    check = hall.close_voting(user, meeting)
    changed("evaluation-summary", meeting.id)
    return check


# ---- what follows --------------------------------------------------------------------------------


def _summary(meeting: EvaluationMeeting, result: LineResult) -> str:
    c = result.counts
    return _(
        "民主评议会（%(day)s）测评：满意 %(s)d、基本满意 %(b)d、不满意 %(d)d、无效 %(i)d；满意率 %(rate)s。",
        day=meeting.held_on.isoformat(),
        s=c.satisfied,
        b=c.basic,
        d=c.dissatisfied,
        i=c.invalid,
        rate=percent(result.rate),
    )


def apply_results(user: User, meeting: EvaluationMeeting) -> tuple[int, list[str]]:
    """Record each rated item's grade on the item through the item workflow (its timeline shows it),
    whatever open state the item is in: 不满意 sends a completed or verified item back to supervising,
    to be re-rated within three months; a verified 满意/基本满意 item may then be closed (销号); an
    item still under way keeps its state and shows its rating. Returns how many were recorded and,
    for every rated item that was not, why (no valid ballots, ended since, a newer rating)."""
    require_runner(user, meeting)
    require_state(meeting, MeetingState.closed)
    applied, not_recorded = 0, []
    for result in results(meeting):
        line = result.line
        if line.item is None or line.applied_at is not None:
            continue
        problem = result_problem(meeting, line.item, result)
        if problem:
            not_recorded.append(problem)
            continue
        item_operations.fire(
            user,
            line.item,
            "record_result",
            rating=result.grade,
            rated_on=meeting.held_on,
            evaluation={
                "meeting_id": meeting.id,
                "summary": _summary(meeting, result),
                "link": link(meeting),
            },
        )
        line.applied_at = utcnow()
        line.applied_rating = result.grade
        applied += 1
    db.session.flush()
    return applied, not_recorded


def result_problem(meeting: EvaluationMeeting, item: Item, result: LineResult | None = None) -> str | None:
    """Why the meeting's result cannot be recorded on this rated item (None: it can): the item has
    ended (closed, withdrawn, carried over) or holds a newer rating, or the line had no valid vote."""
    transition = ITEM_WORKFLOW["record_result"]
    if item.state not in transition.sources:
        return _(
            "%(code)s：事项当前为“%(state)s”，不能登记测评结果。", code=item.code, state=item.state.label
        )
    if result is not None and result.grade is None:
        return _("%(code)s：没有有效票，未登记结果。", code=item.code)
    grade = result.grade if result is not None else Rating.satisfied
    problem = transition.guard(item, ItemInput(rating=grade, rated_on=meeting.held_on))
    return _("%(code)s：%(problem)s", code=item.code, problem=problem) if problem else None


def attach_report(user: User, meeting: EvaluationMeeting, attachments: list[Attachment]) -> int:
    """Attach the government's report (政府工作报告) files to the meeting, until voting is closed."""
    require_runner(user, meeting)
    require_state(meeting, *OPEN_MEETING_STATES)
    if not attachments:
        raise DomainError(_("请选择政府工作报告的文件（PDF、Word 或照片）。"))
    attach(attachments, REPORT_OWNER, meeting.id)
    db.session.flush()
    return len(attachments)
