"""A clerk's mistake never makes a meeting impossible to close: serials un-issued, spoiled sheets
exchanged, hand-outs undone while nothing was cast with them, codes voided; each with who and why."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from supervise.ballots import adjustments as adj
from supervise.ballots import paper, phone
from supervise.ballots import tally as ballots_tally
from supervise.core.history import HistoryIsAppendOnly
from supervise.evaluation import operations as ops
from supervise.evaluation.models import (
    AdjustmentKind,
    BallotKind,
    HandOutAdjustment,
    MeetingState,
    PaperSerial,
    SerialState,
)
from supervise.extensions import db
from tests.helpers import refused, text_of

from .conftest import S


def serial_state(hall, serial: int) -> SerialState:
    return db.session.execute(
        select(PaperSerial.state).where(
            PaperSerial.meeting_id == hall.meeting.id, PaperSerial.serial == serial
        )
    ).scalar_one()


def records(hall) -> list[HandOutAdjustment]:
    return adj.adjustments_of(hall.meeting)


def test_a_serial_issued_by_mistake_is_unissued_before_entry_only(hall):
    ids = hall.open()
    for deputy_id in ids[:2]:
        ops.hand_out(hall.chair, hall.meeting, deputy_id, BallotKind.paper)
    paper.issue_serials(hall.chair, hall.meeting, [1, 3])  # a typo: 3 was never handed out, 2 was
    db.session.commit()
    refused(lambda: paper.issue_serials(hall.chair, hall.meeting, [2]), "最多还能登记 0 张")
    refused(lambda: adj.unissue_serials(hall.chair, hall.meeting, [3], " "), "请写明原因")
    hall.enter(1, S, S, S, S)
    refused(lambda: adj.unissue_serials(hall.chair, hall.meeting, [1], "误登"), "尚未录入")
    assert adj.unissue_serials(hall.clerk, hall.meeting, [3], "编号输错，应为 2") == 1
    db.session.commit()
    assert serial_state(hall, 3) is SerialState.printed
    (record,) = records(hall)
    assert (record.action, record.detail, record.made_by_id) == (AdjustmentKind.unissue, "003", hall.clerk.id)
    assert record.reason == "编号输错，应为 2" and record.deputy_id is None
    paper.issue_serials(hall.chair, hall.meeting, [2])
    hall.enter(2, S, S, S, S)
    hall.check()
    ops.close_voting(hall.chair, hall.meeting)
    assert hall.meeting.state is MeetingState.closed


def test_a_spoiled_sheet_is_exchanged_and_counted_apart(hall):
    ids = hall.open()
    hall.paper(ids[:1])  # serial 1
    refused(lambda: adj.exchange_serial(hall.chair, hall.meeting, 2, 3, "填错"), "不是已发出")
    refused(lambda: adj.exchange_serial(hall.chair, hall.meeting, 1, 1, "填错"), "已经发出过")
    adj.exchange_serial(hall.chair, hall.meeting, 1, 5, "代表填错，换发新表")
    db.session.commit()
    assert serial_state(hall, 1) is SerialState.spoiled and serial_state(hall, 5) is SerialState.issued
    # The fresh sheet takes the spoiled one's place: still one sheet for one hand-out.
    refused(lambda: paper.issue_serials(hall.chair, hall.meeting, [6]), "最多还能登记 0 张")
    refused(lambda: hall.enter(1, S, S, S, S), "作废")
    hall.enter(5, S, S, S, S)
    hall.check()
    check = ops.close_voting(hall.chair, hall.meeting)
    assert (check.issued, check.returned, check.spoiled) == (1, 1, 1)
    assert records(hall)[0].detail == "001 → 005"


def test_a_paper_hand_out_is_undone_with_its_sheet_handed_back(hall):
    ids = hall.open()
    hall.paper(ids[:2])  # serials 1, 2
    refused(lambda: adj.undo_hand_out(hall.chair, hall.meeting, ids[0], "领错"), "请填写退回的测评表编号")
    hall.enter(1, S, S, S, S)
    refused(lambda: adj.undo_hand_out(hall.chair, hall.meeting, ids[0], "领错", "1"), "尚未录入")
    adj.undo_hand_out(hall.chair, hall.meeting, ids[0], "代表改用手机投票", "002")
    db.session.commit()
    assert serial_state(hall, 2) is SerialState.printed
    (record,) = records(hall)
    assert (record.deputy_id, record.ballot_kind, record.detail) == (ids[0], BallotKind.paper, "")
    refused(lambda: adj.undo_hand_out(hall.chair, hall.meeting, ids[2], "x"), "没有领取选票")
    # The deputy may now take a phone code instead; the meeting balances and closes.
    (code,) = hall.phone_codes(ids[:1])
    hall.vote(code, S, S, S, S)
    hall.check()
    ops.close_voting(hall.chair, hall.meeting)


def test_a_phone_hand_out_is_undone_only_with_its_unused_code(hall):
    ids = hall.open()
    codes = hall.phone_codes(ids[:2])
    refused(lambda: adj.undo_hand_out(hall.chair, hall.meeting, ids[0], "领错"), "请填写退回的投票码")
    hall.vote(codes[0], S, S, S, S)
    refused(lambda: adj.undo_hand_out(hall.chair, hall.meeting, ids[0], "领错", codes[0]), "已经使用或作废")
    adj.undo_hand_out(hall.chair, hall.meeting, ids[1], "代表离场，交回投票码", codes[1].lower())
    db.session.commit()
    with pytest.raises(phone.CodeRefused) as caught:
        hall.vote(codes[1], S, S, S, S)
    db.session.rollback()
    assert "已作废" in caught.value.message
    # A hand-out recorded without a code yet needs nothing handed back.
    ops.hand_out(hall.chair, hall.meeting, ids[2], BallotKind.phone)
    adj.undo_hand_out(hall.chair, hall.meeting, ids[2], "点错了人")
    db.session.commit()
    assert [r.action for r in records(hall)] == [AdjustmentKind.undo_hand_out] * 2
    assert ballots_tally.reconcile(hall.meeting).balances


def test_a_voided_code_frees_its_place_for_a_new_one(hall):
    ids = hall.open()
    (code,) = hall.phone_codes(ids[:1])
    refused(lambda: phone.draw_codes(hall.chair, hall.meeting, 1), "最多还能生成 0 个")
    refused(lambda: adj.void_code(hall.chair, hall.meeting, "ABCD-EFGH", "撕坏"), "请填写退回的投票码")
    adj.void_code(hall.chair, hall.meeting, code, "投票码纸条撕坏")
    db.session.commit()
    (fresh,) = phone.draw_codes(hall.chair, hall.meeting, 1)
    db.session.commit()
    hall.vote(fresh, S, S, S, S)
    assert records(hall)[0].action is AdjustmentKind.void_code


def test_adjustments_are_append_only(hall):
    ids = hall.open()
    hall.paper(ids[:1])
    adj.unissue_serials(hall.chair, hall.meeting, [1], "误登")
    db.session.commit()
    (record,) = records(hall)
    record.reason = "改写"
    with pytest.raises(HistoryIsAppendOnly):
        db.session.flush()
    db.session.rollback()


def test_the_clerks_buttons_over_http(client, login_as, hall):
    login_as(hall.chair)
    ids = hall.open()
    hall.paper(ids[:2])
    (code,) = hall.phone_codes(ids[2:3])
    b = f"/evaluation/{hall.meeting.id}"
    page = text_of(client.get(f"{b}/ballots"))
    assert "撤回发出登记" in page and "作废调换" in page and "撤销领取" in page and "作废投票码" in page
    no_reason = client.post(f"{b}/serials/unissue", data={"unissue-serials": "2", "unissue-reason": ""})
    assert no_reason.status_code == 400 and "请写明原因" in text_of(no_reason)
    done = client.post(f"{b}/serials/unissue", data={"unissue-serials": "2", "unissue-reason": "误登"})
    assert done.status_code == 302
    assert (
        client.post(
            f"{b}/serials/exchange",
            data={"exchange-spoiled": "1", "exchange-replacement": "2", "exchange-reason": "填错"},
        ).status_code
        == 302
    )
    bad = client.post(
        f"{b}/serials/exchange",
        data={"exchange-spoiled": "²", "exchange-replacement": "3", "exchange-reason": "x"},
    )
    assert bad.status_code == 400
    undo = client.post(
        f"{b}/ballots/undo",
        data={"deputy_id": ids[1], "undo-returned": "", "undo-reason": "点错"},
    )
    assert undo.status_code == 302, text_of(undo)
    assert client.post(f"{b}/codes/void", data={"void-code": code, "void-reason": "撕坏"}).status_code == 302
    listed = text_of(client.get(f"{b}/ballots"))
    assert "误登" in listed and "001 → 002" in listed and "点错" in listed and "撕坏" in listed
    assert code not in listed
