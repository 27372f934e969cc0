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
    seed_demo()
    db.session.commit()
    [correction] = db.session.execute(
        select(PublicNotice).where(PublicNotice.corrects_id.isnot(None))
    ).scalars()
    original = correction.corrects
    assert correction.correction_reason and correction.month == original.month
    before, after = _lines(original), _lines(correction)
    changed = {code for code in after if after[code] != before.get(code)}
    assert changed == {"jiangkou-2026-C-002"}
    assert after["jiangkou-2026-C-002"][0] < before["jiangkou-2026-C-002"][0]
    # The reason names what it corrects.
    title = next(line.title for line in correction.lines if line.item_code == "jiangkou-2026-C-002")
    assert title in correction.correction_reason
    answered = (
        db.session.execute(
            select(Opinion).where(Opinion.state == OpinionState.approved, Opinion.answer != "")
        )
        .scalars()
        .all()
    )
    assert answered
