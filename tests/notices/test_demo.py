"""The demo's notices: two months published, the first corrected for a reason that shows in what the
correction prints, and an approved opinion with the presidium's answer."""

from __future__ import annotations

from sqlalchemy import select

from supervise.demo import seed_demo
from supervise.extensions import db
from supervise.notices.models import Opinion, OpinionState, PublicNotice


def _lines(notice) -> dict[str, tuple]:
    return {line.item_code: (line.percent, line.progress) for line in notice.lines}


def test_the_demo_correction_corrects_something(app):
    from supervise.core.clock import today
    from supervise.core.demo_calendar import DemoCalendar
    from supervise.notices.demo import CORRECTED_ITEM

    corrected = DemoCalendar(today()).code(CORRECTED_ITEM)
    seed_demo()
    db.session.commit()
    [correction] = db.session.execute(
        select(PublicNotice).where(PublicNotice.corrects_id.isnot(None))
    ).scalars()
    original = correction.corrects
    assert correction.correction_reason and correction.month == original.month
    before, after = _lines(original), _lines(correction)
    changed = {code for code in after if after[code] != before.get(code)}
    assert changed == {corrected}
    assert after[corrected][0] < before[corrected][0]
    # The reason names what it corrects.
    title = next(line.title for line in correction.lines if line.item_code == corrected)
    assert title in correction.correction_reason
    answered = (
        db.session.execute(
            select(Opinion).where(Opinion.state == OpinionState.approved, Opinion.answer != "")
        )
        .scalars()
        .all()
    )
    assert answered


def test_the_demo_month_leaves_out_items_closed_before_it_and_keeps_those_awaiting_verification(app):
    from supervise.core.clock import today
    from supervise.core.dates import month_of
    from supervise.lists.models import Item, ItemState
    from supervise.notices.queries import snapshot_lines
    from supervise.org.models import Township

    seed_demo()
    db.session.commit()
    township = db.session.execute(select(Township).where(Township.slug == "jiangkou")).scalar_one()
    month = month_of(today())
    codes = {line.item_code for line in snapshot_lines(township.id, month)}
    items = db.session.execute(select(Item).where(Item.township_id == township.id)).scalars().all()
    closed_before = {
        item.code
        for item in items
        if item.supervision_list.year < month.year and item.state is ItemState.closed
    }
    awaiting_verification = {item.code for item in items if item.state is ItemState.completed}
    still_open = {item.code for item in items if item.state in (ItemState.supervising, ItemState.consulting)}
    # The demo has each kind, so that the checks below check something.
    assert closed_before and awaiting_verification and still_open
    assert not closed_before & codes  # last year's road, closed long before
    assert awaiting_verification <= codes  # a completion report still being checked stays on the board
    assert still_open <= codes


def test_the_demos_notice_numbers_follow_their_dates_of_publication(app):
    seed_demo()
    notices = db.session.execute(select(PublicNotice).where(PublicNotice.number.is_not(None))).scalars().all()
    by_township: dict[int, list] = {}
    for notice in notices:
        by_township.setdefault(notice.township_id, []).append(notice)
    assert by_township
    for same in by_township.values():
        by_date = sorted(same, key=lambda n: (n.published_at, n.id))
        assert [n.number for n in by_date] == sorted(n.number for n in same)


def test_the_demo_notice_prints_categories_contact_and_period(app):
    from supervise.notices.queries import line_groups

    seed_demo()
    db.session.commit()
    notice = (
        db.session.execute(
            select(PublicNotice).where(PublicNotice.corrects_id.is_(None)).order_by(PublicNotice.id.desc())
        )
        .scalars()
        .first()
    )
    assert notice.objection_days == 7 and notice.contact_person and notice.contact_phone
    categories = [category for _kind, groups in line_groups(notice.lines) for category, _lines in groups]
    assert len([c for c in categories if c]) >= 2
    assert any(line.joint_lead_names for line in notice.lines)
    assert any(line.planned_funds_approx for line in notice.lines)
    assert any(line.progress_status is not None for line in notice.lines)
