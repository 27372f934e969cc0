"""Voting opens before the meeting's date only as an explicit early start with a reason, which is
recorded; two published results of one township never carry the same title."""

from __future__ import annotations

from datetime import timedelta

import pytest

from supervise.core.clock import today
from supervise.core.dates import chinese_date
from supervise.core.errors import DomainError
from supervise.evaluation import operations as ops
from supervise.evaluation.models import EvaluationMeeting, MeetingState, PublishedResult
from supervise.extensions import db
from tests.helpers import pdf_text, text_of


def _called(factory, chair, days_ahead: int) -> EvaluationMeeting:
    """A meeting ``days_ahead`` days from today (negative: past), all present, roll call done."""
    meeting = factory.evaluation_meeting(chair, deputies=3, held_on=today() + timedelta(days=days_ahead))
    ops.start_roll_call(chair, meeting)
    for row in meeting.roster:
        ops.mark_attendance(chair, meeting, row.deputy_id, True)
    db.session.commit()
    return meeting


def test_voting_opens_early_only_with_a_reason_which_is_kept(factory):
    chair = factory.user("presidium")
    meeting = _called(factory, chair, 7)
    for reason in ("", "   "):
        with pytest.raises(DomainError, match="提前开始投票须选择“提前开始”并写明理由"):
            ops.open_voting(chair, meeting, early_reason=reason)
    db.session.rollback()
    assert meeting.state is MeetingState.roll_call and meeting.voting_opened_at is None
    planned = meeting.held_on
    ops.open_voting(chair, meeting, early_reason="  汛期提前召开，经主席团决定  ")
    assert meeting.state is MeetingState.voting
    # Held today: the documents and the results carry this day; the record keeps the planned one.
    assert meeting.held_on == today()
    assert meeting.early_start_reason == f"原定 {planned.isoformat()} 召开。汛期提前召开，经主席团决定"


@pytest.mark.parametrize("days_ahead", [0, -3])
def test_on_or_after_its_date_voting_opens_without_a_reason(factory, days_ahead):
    chair = factory.user("presidium")
    meeting = _called(factory, chair, days_ahead)
    ops.open_voting(chair, meeting, early_reason="不需要")
    assert meeting.state is MeetingState.voting and meeting.early_start_reason is None


def test_the_open_voting_form_asks_to_confirm_and_keeps_the_reason_typed(client, login_as, factory, tmp_path):
    chair = login_as("presidium")
    meeting = _called(factory, chair, 7)
    url = f"/evaluation/{meeting.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'id="open-voting"' in page and 'data-confirm="提前开始投票：评议会改为今天召开' in page
    assert "会议日期之前开始投票，须勾选“提前开始”并写明理由" in page
    # The reason typed without ticking "start early": refused, and the reason is still in the box.
    refused = client.post(f"{url}/actions/open_voting", data={"early_reason": "代表们已到齐"})
    assert refused.status_code == 409
    assert "提前开始投票须选择“提前开始”并写明理由" in text_of(refused)
    assert "代表们已到齐</textarea>" in refused.get_data(as_text=True)
    assert client.post(f"{url}/actions/open_voting", data={"start_early": "y"}).status_code == 409
    db.session.expire_all()
    assert db.session.get(EvaluationMeeting, meeting.id).state is MeetingState.roll_call
    early = {"start_early": "y", "early_reason": "代表们已到齐"}
    opened = client.post(f"{url}/actions/open_voting", data=early)
    assert opened.status_code == 302
    record = text_of(client.get(url))
    assert "开始投票" in record and "提前开始" in record and "召开。代表们已到齐" in record
    summary = pdf_text(client.get(f"{url}/summary.pdf").data, tmp_path)
    assert "提前开始" in summary and "代表们已到齐" in summary and chinese_date(today()) in summary


def test_on_the_day_the_form_has_no_early_start(client, login_as, factory):
    chair = login_as("presidium")
    meeting = _called(factory, chair, 0)
    page = client.get(f"/evaluation/{meeting.id}").get_data(as_text=True)
    assert 'data-confirm="开始投票后不能撤回' in page and "start_early" not in page
    assert client.post(f"/evaluation/{meeting.id}/actions/open_voting").status_code == 302


def test_a_second_result_of_the_year_needs_its_own_title(client, login_as, factory):
    chair = login_as("presidium")
    first = factory.closed_evaluation(chair, voters=2, publish=True)
    second = factory.closed_evaluation(chair, voters=2, held_on=first.held_on + timedelta(days=40))
    db.session.commit()
    taken = db.session.execute(db.select(PublishedResult.title)).scalar_one()
    assert taken == f"{chair.township.name}2026年度民主评议测评结果公示"
    # The results page proposes the year's title with the meeting's date, the year's being taken.
    proposed = f"{taken}（{second.held_on.isoformat()}）"
    assert f'value="{proposed}"' in client.get(f"/evaluation/{second.id}/results").get_data(as_text=True)
    refused = client.post(f"/evaluation/{second.id}/publish", data={"title": taken})
    assert refused.status_code == 409
    assert f"本镇已有标题为“{taken}”的公示结果" in text_of(refused)
    assert f'value="{taken}"' in refused.get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count()).select_from(PublishedResult)).scalar_one() == 1
    assert client.post(f"/evaluation/{second.id}/publish", data={"title": proposed}).status_code == 302
    titles = db.session.execute(db.select(PublishedResult.title).order_by(PublishedResult.id)).scalars().all()
    assert titles == [taken, proposed]
