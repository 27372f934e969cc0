"""Sheet numbers: `<short name>人大督〔<year>〕<n>号`, per township and year from 1, no gaps and no
duplicates, even when two sheets are issued at the same moment."""

from __future__ import annotations

import threading
from datetime import date, timedelta

from sqlalchemy import select

from supervise.accounts.models import User
from supervise.core.clock import today
from supervise.extensions import db
from supervise.sheets import operations as ops
from supervise.sheets.models import FollowUpSheet
from tests.factories import Factory
from tests.helpers import at_the_same_moment

FIELDS = {
    "title": "督办单",
    "requirements": "按期整改。",
    "deadline": today() + timedelta(days=30),  # never past: a sheet is not issued with one
    "leader_name": "张建国",
}


def _draft(chair, office, findings="问题"):
    return ops.create_sheet(chair, dict(FIELDS), office, [(None, findings)])


def test_numbers_count_from_one_per_township_and_year(factory, monkeypatch):
    year = {"value": 2026}
    monkeypatch.setattr(ops, "today", lambda: date(year["value"], 6, 1))
    jiangkou = factory.default_township
    other = factory.township()
    chairs = {t.id: factory.user("presidium", township=t) for t in (jiangkou, other)}
    offices = {t.id: factory.office(t) for t in (jiangkou, other)}

    def issue(township):
        return ops.issue_sheet(chairs[township.id], _draft(chairs[township.id], offices[township.id]))

    numbers = [issue(jiangkou).document_number for _ in range(3)] + [issue(other).number]
    year["value"] = 2027
    numbers += [issue(jiangkou).document_number]

    short = jiangkou.short_name
    assert numbers == [
        f"{short}人大督〔2026〕1号",
        f"{short}人大督〔2026〕2号",
        f"{short}人大督〔2026〕3号",
        1,
        f"{short}人大督〔2027〕1号",
    ]


def test_a_draft_has_no_number_and_an_abandoned_issue_leaves_no_gap(factory):
    chair, office = factory.user("presidium"), factory.office()
    first = _draft(chair, office)
    assert first.number is None and first.document_number == ""
    db.session.commit()
    ops.issue_sheet(chair, first)
    db.session.rollback()  # the request failed after taking a number
    second = _draft(chair, office)
    ops.issue_sheet(chair, second)
    db.session.commit()
    assert second.number == 1
    db.session.refresh(first)
    assert first.number is None


def test_sheets_issued_at_the_same_moment_get_distinct_numbers_without_gaps(postgres_app):
    """Eight presidium members press 编号下发 at once, each on their own draft (PostgreSQL)."""
    factory = Factory()
    office = factory.office()
    chairs = [factory.user("presidium") for _ in range(8)]
    drafts = [_draft(chair, office, f"问题{n}") for n, chair in enumerate(chairs)]
    db.session.commit()
    pairs = [(chair.id, sheet.id) for chair, sheet in zip(chairs, drafts)]

    def issue(index: int) -> None:
        chair_id, sheet_id = pairs[index]
        ops.issue_sheet(db.session.get(User, chair_id), db.session.get(FollowUpSheet, sheet_id))

    assert at_the_same_moment(postgres_app, issue, len(pairs)) == ["done"] * len(pairs)
    db.session.expire_all()
    numbers = sorted(db.session.execute(select(FollowUpSheet.number)).scalars())
    assert numbers == list(range(1, len(pairs) + 1))


def test_one_draft_issued_twice_at_once_gets_one_number(postgres_app):
    """Two members issue the same draft at the same moment: one wins, the other is told (409)."""
    from supervise.core.errors import DomainError

    factory = Factory()
    office = factory.office()
    chairs = [factory.user("presidium") for _ in range(2)]
    sheet_id = _draft(chairs[0], office).id
    db.session.commit()
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def issue(chair_id: int) -> None:
        with postgres_app.app_context():
            chair = db.session.get(User, chair_id)
            sheet = db.session.get(FollowUpSheet, sheet_id)
            start.wait()
            try:
                ops.issue_sheet(chair, sheet)
                db.session.commit()
                outcomes.append("issued")
            except DomainError:
                db.session.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=issue, args=(c.id,)) for c in chairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["issued", "refused"]
    db.session.expire_all()
    assert db.session.get(FollowUpSheet, sheet_id).number == 1
    next_sheet = _draft(chairs[0], office)
    ops.issue_sheet(chairs[0], next_sheet)
    assert next_sheet.number == 2  # the refused issue took no number
