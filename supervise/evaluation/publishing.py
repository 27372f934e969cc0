"""Publishing a closed meeting's results to the public board (公示): a frozen snapshot, copied once.

The public pages read only the snapshot (PublishedResult and its lines), never the live meeting,
its ballots or its roster: what was published stays as it was, and nothing about who voted shows.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..ballots.guards import require_runner, require_state
from ..ballots.tally import Turnout, turnout
from ..core.errors import DomainError
from ..extensions import db
from ..org.models import Township
from ..org.scoping import public_township
from .models import EvaluationMeeting, MeetingState
from .published_models import PublishedResult, PublishedResultLine
from .rules import percent
from .tally import results


def published_result_of(meeting: EvaluationMeeting) -> PublishedResult | None:
    return db.session.execute(
        select(PublishedResult).where(PublishedResult.meeting_id == meeting.id)
    ).scalar_one_or_none()


def rule_text(meeting: EvaluationMeeting, numbers: Turnout) -> str:
    """The grade rule as the published results print it, with what the rate and the grade are each
    counted on (the meeting's own numbers)."""
    return meeting.rule.text() + meeting.rule.bases_note(numbers.roster, numbers.present)


def title_taken(township_id: int, title: str) -> bool:
    """Has the township published results under this title already?"""
    return (
        db.session.execute(
            select(PublishedResult.id).where(
                PublishedResult.township_id == township_id, PublishedResult.title == title
            )
        ).first()
        is not None
    )


def default_title(meeting: EvaluationMeeting) -> str:
    """The title proposed for publishing: the year's, or with the meeting's date when the year's is
    taken (a second meeting of the year, re-rating items)."""
    title = _(
        "%(township)s%(year)s年度民主评议测评结果公示",
        township=meeting.township.name,
        year=meeting.year,
    )
    if title_taken(meeting.township_id, title):
        title += _("（%(day)s）", day=meeting.held_on.isoformat())
    return title


def _title_refusal(title: str) -> DomainError:
    return DomainError(
        _("本镇已有标题为“%(title)s”的公示结果，请换一个标题（如注明会议日期）。", title=title)
    )


def publish_results(user, meeting: EvaluationMeeting, title: str | None = None) -> PublishedResult:
    """Copy the closed meeting's results into a published snapshot; once per meeting, under a title
    no other published result of the township carries."""
    require_runner(user, meeting)
    require_state(meeting, MeetingState.closed)
    if published_result_of(meeting) is not None:
        raise DomainError(_("这次评议会的测评结果已经公示过了。"))
    title = (title or "").strip() or default_title(meeting)
    if title_taken(meeting.township_id, title):
        raise _title_refusal(title)
    numbers = turnout(meeting)
    published = PublishedResult(
        township_id=meeting.township_id,
        meeting_id=meeting.id,
        title=title,
        held_on=meeting.held_on,
        place=meeting.place,
        roster=numbers.roster,
        present=numbers.present,
        ballots=numbers.ballots,
        rule_text=rule_text(meeting, numbers),
        issuer=_("%(township)s人民代表大会主席团", township=meeting.township.name),
        published_by_id=user.id,
    )
    published.lines = [
        PublishedResultLine(
            position=r.line.position,
            is_office=r.line.office_id is not None,
            title=r.line.title,
            subtitle=r.line.subtitle,
            satisfied=r.counts.satisfied,
            basic=r.counts.basic,
            dissatisfied=r.counts.dissatisfied,
            invalid=r.counts.invalid,
            rate=percent(r.rate),
            grade=str(r.grade.label) if r.grade else "",
        )
        for r in results(meeting, numbers)
    ]
    try:
        with db.session.begin_nested():
            db.session.add(published)
    except IntegrityError as error:
        # Two chairs publishing at once: the unique meeting_id or (township, title) decides.
        if published_result_of(meeting) is not None:
            raise DomainError(_("这次评议会的测评结果已经公示过了。")) from error
        raise _title_refusal(title) from error
    return published


# ---- the public side (no login) -------------------------------------------------------------------


def public_results(slug: str) -> tuple[Township, list[PublishedResult]] | None:
    """An active township's published results, newest first; None for an unknown or inactive one."""
    township = public_township(slug)
    if township is None:
        return None
    newest_first = published_of(township.id).order_by(*(column.desc() for column in NEWEST_FIRST))
    return township, list(db.session.execute(newest_first).scalars())


# The order the public lists show results in (each column descending): the latest meeting first.
NEWEST_FIRST = (PublishedResult.held_on, PublishedResult.id)


def published_of(township_id: int) -> Select:
    """The township's published results (not ordered: see NEWEST_FIRST)."""
    return select(PublishedResult).where(PublishedResult.township_id == township_id)


def public_result(slug: str, result_id: int) -> PublishedResult | None:
    """A published result of the active township ``slug`` with its lines, else None."""
    return (
        db.session.execute(
            select(PublishedResult)
            .join(Township, Township.id == PublishedResult.township_id)
            .where(PublishedResult.id == result_id, Township.slug == slug, Township.is_active)
            .options(joinedload(PublishedResult.township), joinedload(PublishedResult.lines))
        )
        .unique()
        .scalar_one_or_none()
    )


def townships_with_results_only(except_ids: list[int]) -> list[Township]:
    """Active townships with published evaluation results, other than ``except_ids`` (those the public
    index lists for their notices already)."""
    return list(
        db.session.execute(
            select(Township)
            .where(
                Township.is_active,
                Township.id.in_(select(PublishedResult.township_id)),
                Township.id.not_in(except_ids),
            )
            .order_by(Township.name)
        ).scalars()
    )
