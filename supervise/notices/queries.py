"""What a notice shows: the month's snapshot before publication, and the published notices' pages."""

from __future__ import annotations

from datetime import date
from functools import cache

from flask_babel import force_locale
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from ..extensions import db
from ..lists.models import Item, ItemState, SupervisorAssignment
from ..org.models import Township
from .models import NoticeLine, Opinion, OpinionState, PublicNotice
from .text import mask_private

# Notices are official texts: copied, titled and printed in Chinese whatever the reader's language.
OFFICIAL_LOCALE = "zh_Hans_CN"


def month_start(day: date) -> date:
    return day.replace(day=1)


def _month_items(township_id: int, month: date) -> tuple[list[Item], dict]:
    """The township's items under supervision (supervising or consulting) during ``month``, those
    that left supervision that month (reported completed) and any other item reported on that
    month; with their current reports. Supervision spans come from the items' events."""
    from ..progress.calendar import expected_months, month_end
    from ..progress.queries import current_reports, ever_supervised, spans_for

    candidates = list(
        db.session.execute(
            select(Item)
            .where(Item.township_id == township_id, Item.state != ItemState.draft, ever_supervised())
            .options(
                joinedload(Item.supervision_list),
                joinedload(Item.lead_office),
                selectinload(Item.assignments).joinedload(SupervisorAssignment.deputy),
            )
            .order_by(Item.code)
        ).scalars()
    )
    spans = spans_for(candidates)
    reports = current_reports([item.id for item in candidates], month)
    chosen = [
        item
        for item in candidates
        if item.id in reports
        or month in expected_months(spans[item.id], month_end(month))
        or any(span.end is not None and month_start(span.end) == month for span in spans[item.id])
    ]
    return chosen, reports


def snapshot_lines(township_id: int, month: date) -> list[NoticeLine]:
    """The notice's lines as they would be published now: unsaved copies of live data.

    Labels are copied in Chinese whatever the presidium's language: the notice is an official text.
    Phone and ID numbers in the copied texts are masked: the notice is public.
    """
    items, reports = _month_items(township_id, month)
    lines = []
    with force_locale(OFFICIAL_LOCALE):
        for position, item in enumerate(items, start=1):
            report = reports.get(item.id)
            lines.append(
                NoticeLine(
                    position=position,
                    item_id=item.id,
                    item_code=item.code,
                    title=mask_private(item.title),
                    kind_label=item.kind.label,
                    state_label=item.state.label,
                    lead_office_name=item.lead_office.name if item.lead_office else "",
                    supervisor_names="、".join(deputy.name for deputy in item.supervisors),
                    target=mask_private(item.target),
                    deadline=item.deadline,
                    planned_funds=item.planned_funds,
                    reported=report is not None,
                    percent=report.percent if report else None,
                    progress=mask_private(report.done) if report else "",
                    problems=mask_private(report.problems) if report else "",
                    funds_spent=report.funds_spent if report else None,
                )
            )
    return lines


def notices_of(township_id: int) -> list[PublicNotice]:
    """A township's published notices, newest month first, each month's correction before what it corrects."""
    return list(
        db.session.execute(
            select(PublicNotice)
            .where(PublicNotice.township_id == township_id)
            .options(joinedload(PublicNotice.corrected_by))
            .order_by(PublicNotice.month.desc(), PublicNotice.published_at.desc(), PublicNotice.id.desc())
        )
        .unique()
        .scalars()
    )


def line_counts(notice_ids: list[int]) -> dict[int, int]:
    if not notice_ids:
        return {}
    rows = db.session.execute(
        select(NoticeLine.notice_id, func.count())
        .where(NoticeLine.notice_id.in_(notice_ids))
        .group_by(NoticeLine.notice_id)
    )
    return dict(rows.all())


def latest_notice(township_id: int, month: date) -> PublicNotice | None:
    """The month's notice nobody has corrected yet (the one a new correction would correct)."""
    corrected = select(PublicNotice.corrects_id).where(PublicNotice.corrects_id.is_not(None))
    return db.session.execute(
        select(PublicNotice)
        .where(
            PublicNotice.township_id == township_id,
            PublicNotice.month == month,
            PublicNotice.id.not_in(corrected),
        )
        .order_by(PublicNotice.id.desc())
        .limit(1)
    ).scalar_one_or_none()


# ---- the public side ----------------------------------------------------------------------------


def public_townships() -> list[tuple[Township, int, date]]:
    """Active townships with at least one published notice: (township, notices, latest month)."""
    rows = db.session.execute(
        select(Township, func.count(PublicNotice.id), func.max(PublicNotice.month))
        .join(PublicNotice, PublicNotice.township_id == Township.id)
        .where(Township.is_active)
        .group_by(Township.id)
        .order_by(Township.name)
    )
    return [(township, count, latest) for township, count, latest in rows]


def public_notice(slug: str, notice_id: int) -> PublicNotice | None:
    """A published notice of the active township ``slug`` (with its township and correction), else None."""
    return db.session.execute(
        select(PublicNotice)
        .join(Township, Township.id == PublicNotice.township_id)
        .where(PublicNotice.id == notice_id, Township.slug == slug, Township.is_active)
        .options(
            joinedload(PublicNotice.township),
            joinedload(PublicNotice.corrected_by),
            joinedload(PublicNotice.corrects),
        )
    ).scalar_one_or_none()


@cache
def _notice_version_statement():
    # Built once: constructing the aliased subqueries costs more than running them.
    correction = aliased(PublicNotice)
    moderated = (Opinion.notice_id == PublicNotice.id, Opinion.state != OpinionState.pending)
    return (
        select(
            Township.name,
            select(correction.id).where(correction.corrects_id == PublicNotice.id).scalar_subquery(),
            select(func.count(Opinion.id)).where(*moderated).scalar_subquery(),
            select(func.max(Opinion.changed_at)).where(*moderated).scalar_subquery(),
        )
        .select_from(PublicNotice)
        .join(Township, Township.id == PublicNotice.township_id)
        .where(
            PublicNotice.id == bindparam("notice_id"), Township.slug == bindparam("slug"), Township.is_active
        )
    )


def notice_version(slug: str, notice_id: int) -> tuple | None:
    """One light statement for the public notice page's validator: None if the address shows nothing,
    else (township name, id of its correction, public opinions, newest moderation)."""
    # On the connection: a Core statement needs none of the ORM's per-execution work, and this one runs
    # on every visit to a public page.
    row = (
        db.session.connection()
        .execute(_notice_version_statement(), {"notice_id": notice_id, "slug": slug})
        .first()
    )
    return None if row is None else tuple(row)


@cache
def _board_version_statement():
    return (
        select(Township.id, Township.name, func.count(PublicNotice.id), func.max(PublicNotice.id))
        .join(PublicNotice, PublicNotice.township_id == Township.id)
        .where(Township.slug == bindparam("slug"), Township.is_active)
        .group_by(Township.id, Township.name)
    )


def board_version(slug: str) -> tuple | None:
    """The board's validator in one statement: None unless the township is active and has published,
    else (township id, name, notices, newest notice id)."""
    row = db.session.connection().execute(_board_version_statement(), {"slug": slug}).first()
    return None if row is None else tuple(row)


def approved_opinions(notice_id: int) -> dict[int, list[Opinion]]:
    """The notice's public opinions by line, oldest first."""
    found: dict[int, list[Opinion]] = {}
    rows = db.session.execute(
        select(Opinion)
        .where(Opinion.notice_id == notice_id, Opinion.state == OpinionState.approved)
        .order_by(Opinion.submitted_at, Opinion.id)
    ).scalars()
    for opinion in rows:
        found.setdefault(opinion.line_id, []).append(opinion)
    return found


def notice_lines(notice_id: int) -> list[NoticeLine]:
    return list(
        db.session.execute(
            select(NoticeLine).where(NoticeLine.notice_id == notice_id).order_by(NoticeLine.position)
        ).scalars()
    )
