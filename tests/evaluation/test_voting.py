"""Roll call, quorum, ballots on paper and phone, double entry, reconciliation, closing, results."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from supervise.ballots import paper, phone
from supervise.ballots import tally as ballots_tally
from supervise.ballots.models import SealedBallot
from supervise.ballots.queries import serial_list
from supervise.core.dates import add_months_clamped
from supervise.core.errors import DomainError
from supervise.evaluation import operations as ops
from supervise.evaluation.models import (
    Attendance,
    Ballot,
    BallotKind,
    BallotMark,
    EvaluationMeeting,
    MeetingState,
    PaperEntry,
    SerialState,
)
from supervise.evaluation.rules import Counts, Denominator
from supervise.evaluation.tally import line_counts, results
from supervise.extensions import db
from supervise.lists.models import ItemState, Rating
from tests.helpers import refused

from .conftest import B, D, S


def ballot_count() -> int:
    """Ballots cast: in the ballot table, or (phone ballots while voting is open) in the sealed pool."""
    stored = db.session.execute(select(func.count()).select_from(Ballot)).scalar_one()
    return stored + db.session.execute(select(func.count()).select_from(SealedBallot)).scalar_one()


# ---- preparing ---------------------------------------------------------------------------------


def test_a_new_meeting_rates_the_years_open_items_and_every_office(factory):
    from supervise.org.models import Deputy, Office

    chair = factory.user("presidium")
    office = factory.office(name="规划建设环保办公室")
    factory.item("verified", title="集镇道路改造提升项目", lead_office_id=office.id)
    factory.item("completed", title="沙坪村产业路硬化", lead_office_id=office.id)
    factory.item("verified", title="建议：增设路灯", lead_office_id=office.id, kind="suggestion")
    factory.item("supervising", title="还在监督", lead_office_id=office.id)
    factory.item("closed", title="已经销号", lead_office_id=office.id, result=Rating.satisfied)
    factory.item("withdrawn", title="已经撤销", lead_office_id=office.id)
    factory.item("verified", title="去年的事项", lead_office_id=office.id, kind="livelihood")
    factory.supervision_list("livelihood").year = 2025
    factory.office(factory.township("城关镇"), name="别镇的站所")
    meeting = factory.evaluation_meeting(chair, deputies=3, items=[])

    items = [line.title for line in meeting.lines if line.item_id]
    offices = [line.office_id for line in meeting.lines if line.office_id]
    # Every open item of the year, under supervision or done; not the ended ones, nor last year's.
    assert items == ["集镇道路改造提升项目", "沙坪村产业路硬化", "还在监督", "建议：增设路灯"]
    township_offices = (
        db.session.execute(
            select(Office.id).where(Office.township_id == chair.township_id).order_by(Office.id)
        )
        .scalars()
        .all()
    )
    assert offices == township_offices
    assert [line.position for line in meeting.lines] == list(range(1, len(meeting.lines) + 1))
    # The roster is the township's deputies now; one numbered sheet per deputy.
    deputies = db.session.execute(
        select(func.count()).select_from(Deputy).where(Deputy.township_id == chair.township_id)
    ).scalar_one()
    assert len(meeting.roster) == deputies
    assert len(serial_list(meeting.id, SerialState.printed)) == deputies
    assert meeting.state is MeetingState.preparing


def test_lines_can_be_left_out_while_preparing_only(hall):
    first, second = hall.lines[0], hall.lines[1]
    assert ops.remove_lines(hall.chair, hall.meeting, [first.id]) == 1
    db.session.commit()
    assert [line.position for line in hall.meeting.lines] == list(range(1, len(hall.meeting.lines) + 1))
    assert hall.meeting.lines[0].id == second.id
    refused(lambda: ops.remove_lines(hall.chair, hall.meeting, [line.id for line in hall.lines]), "至少")
    hall.roll_call()
    refused(lambda: ops.remove_lines(hall.chair, hall.meeting, [second.id]), "点名中")


def test_another_townships_presidium_cannot_run_the_meeting(hall, factory):
    outsider = factory.user("presidium", township=factory.township("城关镇"))
    refused(lambda: ops.start_roll_call(outsider, hall.meeting), "本镇主席团")


# ---- roll call and quorum ------------------------------------------------------------------------


def test_voting_opens_only_with_more_than_two_thirds_present_and_says_how_many_more(hall):
    roster = len(hall.deputy_ids)  # 8: more than 16/3 means at least 6
    hall.roll_call(present=5)
    message = refused(lambda: ops.open_voting(hall.chair, hall.meeting), "还差 1 人")
    assert f"应到 {roster} 人，实到 5 人，至少需要 6 人" in message
    ops.mark_attendance(hall.chair, hall.meeting, hall.deputy_ids[5], True)
    ops.open_voting(hall.chair, hall.meeting)
    db.session.commit()
    assert hall.meeting.state is MeetingState.voting


def test_a_configured_quorum_applies(factory):
    chair = factory.user("presidium")
    meeting = factory.evaluation_meeting(
        chair, deputies=2, quorum_numerator=1, quorum_denominator=2, quorum_strict=False
    )
    ops.start_roll_call(chair, meeting)
    for row in meeting.roster[:2]:  # 2 of 4: exactly half is enough when not strict
        ops.mark_attendance(chair, meeting, row.deputy_id, True)
    ops.open_voting(chair, meeting)
    assert meeting.state is MeetingState.voting


def test_a_deputy_gets_a_paper_sheet_or_a_phone_code_never_both(hall):
    ids = hall.open(present=7)
    ops.hand_out(hall.chair, hall.meeting, ids[0], BallotKind.paper)
    db.session.commit()
    refused(lambda: ops.hand_out(hall.chair, hall.meeting, ids[0], BallotKind.phone), "已领取纸质票")
    refused(lambda: ops.hand_out(hall.chair, hall.meeting, ids[0], BallotKind.paper), "只能领一张")
    absent = hall.deputy_ids[7]
    ops.mark_attendance(hall.chair, hall.meeting, absent, False)
    db.session.commit()
    refused(lambda: ops.hand_out(hall.chair, hall.meeting, absent, BallotKind.phone), "还没有登记到会")
    # Someone who received a ballot cannot be marked absent afterwards.
    refused(lambda: ops.mark_attendance(hall.chair, hall.meeting, ids[0], False), "已领取选票")


# ---- phone ballots -------------------------------------------------------------------------------


def test_a_phone_code_casts_one_ballot_and_is_then_spent(hall):
    ids = hall.open()
    (code,) = hall.phone_codes(ids[:1])
    hall.vote(code.lower().replace("-", " "), S, B, D, S)  # typed in lower case, with a space
    refused(lambda: hall.vote(code, S, S, S, S), "已经投过票")
    assert ballot_count() == 1
    counts = line_counts(hall.meeting)
    assert [counts[line.id] for line in hall.lines] == [
        Counts(satisfied=1),
        Counts(basic=1),
        Counts(dissatisfied=1),
        Counts(satisfied=1),
    ]


def test_codes_are_stored_hashed_and_unknown_or_foreign_codes_are_refused(hall, factory):
    ids = hall.open()
    (code,) = hall.phone_codes(ids[:1])
    stored = db.session.execute(select(phone.PhoneCode.code_hash)).scalars().all()
    assert code.replace("-", "") not in " ".join(stored)
    refused(lambda: hall.vote("ABCD-EFGH", S, S, S, S), "没有这个投票码")
    refused(lambda: hall.vote("12", S, S, S, S), "没有这个投票码")
    # A code of another township's meeting cannot vote in this one.
    other_chair = factory.user("presidium", township=factory.township("城关镇"))
    other = factory.evaluation_meeting(other_chair, deputies=3)
    ops.start_roll_call(other_chair, other)
    for row in other.roster:
        ops.mark_attendance(other_chair, other, row.deputy_id, True)
    ops.open_voting(other_chair, other)
    ops.hand_out(other_chair, other, other.roster[0].deputy_id, BallotKind.phone)
    (foreign,) = phone.draw_codes(other_chair, other, 1)
    db.session.commit()
    refused(lambda: hall.vote(foreign, S, S, S, S), "不属于这次评议会")
    assert ballot_count() == 0


def test_a_ballot_must_mark_every_line_and_only_this_meetings_lines(hall):
    ids = hall.open()
    (code,) = hall.phone_codes(ids[:1])
    refused(lambda: hall.vote(code, S, S), "还有 2 项没有选择：第 3、4 项")
    refused(lambda: phone.submit_phone_ballot(code, hall.meeting.id, {999999: S}), "不符")
    hall.vote(code, S, S, S, S)  # the refusals did not spend the code
    assert ballot_count() == 1


def test_no_ballot_before_voting_opens_or_after_it_closes(hall):
    ids = hall.roll_call()
    ops.hand_out(hall.chair, hall.meeting, ids[0], BallotKind.phone)
    (code,) = phone.draw_codes(hall.chair, hall.meeting, 1)
    db.session.commit()
    refused(lambda: hall.vote(code, S, S, S, S), "不在投票时间")
    assert ballot_count() == 0


# ---- paper ---------------------------------------------------------------------------------------


def test_a_sheet_is_entered_once_by_serial_and_blank_or_double_marks_are_invalid(hall):
    ids = hall.open()
    serials = hall.paper(ids[:2])
    outcome = hall.enter(serials[0], S, None, [S, D], D)
    assert outcome.first
    counts = line_counts(hall.meeting)
    assert [counts[line.id] for line in hall.lines] == [
        Counts(satisfied=1),
        Counts(invalid=1),
        Counts(invalid=1),
        Counts(dissatisfied=1),
    ]
    # The same clerk cannot enter it again; a second clerk checks it.
    refused(lambda: hall.enter(serials[0], S, S, S, S), "另一名工作人员")
    check = hall.enter(serials[0], S, None, [S, D], D, clerk=hall.clerk)
    assert not check.first and check.differences == []
    assert ballot_count() == 1
    refused(lambda: hall.enter(99, S, S, S, S), "没有编号为 99 的测评表")
    refused(lambda: hall.enter(len(ids) + 0, S, S, S, S), "没有登记发出")


def test_a_second_entry_that_differs_is_shown_until_a_correction_settles_it(hall):
    ids = hall.open()
    (serial,) = hall.paper(ids[:1])
    hall.enter(serial, S, S, S, S)
    db.session.commit()
    check = hall.enter(serial, S, D, S, S, clerk=hall.clerk)
    assert [(line.position, was, typed) for line, was, typed in check.differences] == [(2, S, D)]
    assert paper.unresolved_serials(hall.meeting) == [serial]
    refused(lambda: paper.correct_ballot(hall.chair, hall.meeting, serial, {}, False, " "), "理由")
    paper.correct_ballot(
        hall.chair,
        hall.meeting,
        serial,
        {line.id: [m] for line, m in zip(hall.lines, (S, D, S, S))},
        False,
        "核对原件：第 2 项勾的是不满意。",
    )
    db.session.commit()
    assert paper.unresolved_serials(hall.meeting) == []
    assert line_counts(hall.meeting)[hall.lines[1].id] == Counts(dissatisfied=1)
    # Nothing was overwritten: the first entry's marks are still stored next to the correction's.
    marks = db.session.execute(
        select(BallotMark.mark).where(BallotMark.line_id == hall.lines[1].id)
    ).scalars()
    assert sorted(marks) == ["dissatisfied", "satisfied"]
    assert db.session.execute(select(func.count()).select_from(PaperEntry)).scalar_one() == 2


# ---- reconciliation and closing ------------------------------------------------------------------


def test_closing_waits_until_the_paper_reconciliation_balances_and_says_what_is_off(hall):
    ids = hall.open()
    serials = hall.paper(ids[:3])
    codes = hall.phone_codes(ids[3:5])
    hall.vote(codes[0], S, S, S, S)
    hall.enter(serials[0], S, S, B, S)
    message = refused(lambda: ops.close_voting(hall.chair, hall.meeting), "账目不平")
    assert "发出 3 张 ≠ 收回 1 张 + 未收回 0 张" in message and "002、003" in message
    hall.enter(serials[1], S, S, S, S, void=True)
    paper.mark_not_returned(hall.chair, hall.meeting, [serials[2]])
    db.session.commit()
    # Double entry: sheets entered once only keep voting open, and are named (the counts balance).
    message = refused(lambda: ops.close_voting(hall.chair, hall.meeting), "还不能结束投票")
    assert "账目不平" not in message
    assert "测评表 001、002 只录入了一次，还没有复核" in message
    assert "另一名工作人员" in message and "003" not in message
    assert hall.meeting.state is MeetingState.voting
    hall.enter(serials[0], S, S, B, S, clerk=hall.clerk)
    message = refused(lambda: ops.close_voting(hall.chair, hall.meeting), "还不能结束投票")
    assert "002 只录入了一次" in message and "001" not in message
    hall.enter(serials[1], S, S, S, S, void=True, clerk=hall.clerk)
    check = ballots_tally.reconcile(hall.meeting)
    assert (check.issued, check.returned, check.not_returned, check.valid, check.invalid) == (3, 2, 1, 1, 1)
    assert check.balances, check.problems
    ops.close_voting(hall.chair, hall.meeting)
    db.session.commit()
    assert hall.meeting.state is MeetingState.closed
    refused(lambda: hall.vote(codes[1], S, S, S, S), "不在投票时间")


def test_no_more_serials_than_paper_hand_outs_can_be_issued(hall):
    ids = hall.open()
    refused(lambda: paper.issue_serials(hall.chair, hall.meeting, [1]), "最多还能登记 0 张")
    for deputy_id in ids[:2]:
        ops.hand_out(hall.chair, hall.meeting, deputy_id, BallotKind.paper)
    db.session.commit()
    refused(
        lambda: paper.issue_serials(hall.chair, hall.meeting, [1, 2, 3, 4, 5]),
        "登记领表的代表 2 人，已登记发出测评表 0 张，最多还能登记 2 张，这次登记了 5 张",
        "还须先在名单中登记 3 位代表领表",
    )
    paper.issue_serials(hall.chair, hall.meeting, [1])
    db.session.commit()
    refused(lambda: paper.issue_serials(hall.chair, hall.meeting, [2, 3]), "最多还能登记 1 张")
    paper.issue_serials(hall.chair, hall.meeting, [2])
    db.session.commit()
    hall.enter(1, S, S, S, S)
    refused(lambda: hall.enter(3, S, S, S, S), "没有登记发出")
    # An entered sheet still counts against the hand-outs.
    refused(lambda: paper.issue_serials(hall.chair, hall.meeting, [3]), "已登记发出测评表 2 张")
    hall.enter(2, S, S, S, S)
    hall.check()
    assert ballots_tally.reconcile(hall.meeting).balances


def test_voting_with_no_ballot_back_cannot_be_closed(hall):
    """Closing decides every line: with nothing returned, every line would fail and a run-off be spent."""
    hall.open()
    refused(lambda: ops.close_voting(hall.chair, hall.meeting), "还没有收回任何选票")
    [code] = hall.phone_codes(hall.deputy_ids[:1])
    hall.vote(code, S, S, S, S)
    ops.close_voting(hall.chair, hall.meeting)


def test_more_serials_issued_than_deputies_with_sheets_blocks_closing(hall):
    """Serials issued before the cap existed (or a hand-out undone in the database): closing still checks."""
    ids = hall.open()
    hall.paper(ids[:2])
    paper.mark_not_returned(hall.chair, hall.meeting, [1, 2])
    db.session.execute(update(Attendance).where(Attendance.deputy_id == ids[1]).values(ballot_kind=None))
    db.session.commit()
    refused(
        lambda: ops.close_voting(hall.chair, hall.meeting), "登记发出的测评表 2 张，而登记领表的代表为 1 人"
    )


def test_no_more_codes_than_phone_hand_outs_can_be_drawn(hall):
    ids = hall.open()
    refused(lambda: phone.draw_codes(hall.chair, hall.meeting, 1), "最多还能生成 0 个")
    codes = hall.phone_codes(ids[:2])
    refused(lambda: phone.draw_codes(hall.chair, hall.meeting, 1), "已生成投票码 2 个，最多还能生成 0 个")
    for code in codes:
        hall.vote(code, S, S, S, S)
    assert ballots_tally.reconcile(hall.meeting).balances


def test_more_phone_ballots_than_deputies_given_codes_blocks_closing(hall):
    """Codes drawn before the cap existed (or a hand-out undone in the database): closing still checks."""
    ids = hall.open()
    codes = hall.phone_codes(ids[:2])
    for code in codes:
        hall.vote(code, S, S, S, S)
    db.session.execute(update(Attendance).where(Attendance.deputy_id == ids[1]).values(ballot_kind=None))
    db.session.commit()
    refused(lambda: ops.close_voting(hall.chair, hall.meeting), "手机票 2 张，多于登记领取投票码的代表 1 人")


def test_an_unsettled_check_entry_blocks_closing(hall):
    ids = hall.open()
    (serial,) = hall.paper(ids[:1])
    hall.enter(serial, S, S, S, S)
    hall.enter(serial, D, S, S, S, clerk=hall.clerk)
    refused(lambda: ops.close_voting(hall.chair, hall.meeting), "001 的复核录入")


# ---- results -------------------------------------------------------------------------------------


def _closed_meeting(hall, votes):
    ids = hall.open()
    codes = hall.phone_codes(ids[: len(votes)])
    for code, marks in zip(codes, votes):
        hall.vote(code, *marks)
    ops.close_voting(hall.chair, hall.meeting)
    db.session.commit()


def test_results_are_recomputed_from_the_ballots_with_the_same_answer(hall):
    _closed_meeting(
        hall, [(S, D, S, B), (S, D, B, B), (B, D, D, B), (S, S, D, B), (S, D, D, D), (S, B, S, S)]
    )
    first = [(r.line.id, r.counts, r.grade) for r in results(hall.meeting)]
    db.session.expire_all()
    meeting = db.session.get(EvaluationMeeting, hall.meeting.id)
    assert [(r.line.id, r.counts, r.grade) for r in results(meeting)] == first
    # 8 on the roster, 8 present (the denominator): 5 satisfied ≥ 4 → satisfied; 1 + 1 < 4 → dissatisfied.
    assert [grade for _id, _counts, grade in first] == [
        Rating.satisfied,
        Rating.dissatisfied,
        Rating.dissatisfied,
        Rating.basically_satisfied,
    ]


def test_applying_results_records_them_on_the_items_through_the_workflow(hall):
    _closed_meeting(hall, [(S, D, S, S)] * 5 + [(B, D, S, S)])
    good, bad = hall.lines[0].item, hall.lines[1].item
    applied, waiting = ops.apply_results(hall.chair, hall.meeting)
    db.session.commit()
    assert (applied, waiting) == (2, [])
    assert (good.state, good.result, good.result_is_manual) == (ItemState.verified, Rating.satisfied, False)
    assert (bad.state, bad.result) == (ItemState.supervising, Rating.dissatisfied)
    assert bad.rerate_deadline == add_months_clamped(hall.meeting.held_on, 3)
    event = good.events[-1]
    assert event.action == "record_result" and event.details["meeting_id"] == hall.meeting.id
    assert "满意 5、基本满意 1、不满意 0、无效 0；满意率 100%" in event.details["summary"]
    # Applying again changes nothing; the satisfied item can now be closed (销号).
    assert ops.apply_results(hall.chair, hall.meeting) == (0, [])
    from supervise.lists import operations as item_ops

    item_ops.fire(hall.chair, good, "close")
    assert good.state is ItemState.closed


def test_an_item_not_yet_verified_gets_its_result_and_keeps_its_state(factory):
    chair = factory.user("presidium")
    item = factory.item("completed", title="沙坪村产业路硬化")
    meeting = factory.closed_evaluation(chair, voters=2, denominator=Denominator.valid)
    applied, not_recorded = ops.apply_results(chair, meeting)
    assert (applied, not_recorded) == (3, [])
    assert (item.state, item.result) == (ItemState.completed, Rating.satisfied)
    assert item.result_on == meeting.held_on


def test_serial_text_is_parsed_or_refused_with_the_bad_part():
    assert paper.parse_serials("1-3, 7、9 - 10") == [1, 2, 3, 7, 9, 10]
    with pytest.raises(DomainError, match="abc"):
        paper.parse_serials("1-3, abc")
    with pytest.raises(DomainError, match="5-2"):
        paper.parse_serials("5-2")
    with pytest.raises(DomainError):
        paper.parse_serials("  ")
