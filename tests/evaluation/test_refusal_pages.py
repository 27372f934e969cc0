"""A refused step shows the page it was taken from: with the operation's message, its status, and the
form as typed; nothing of the refused request is kept. One row per refusal a chair can meet."""

from __future__ import annotations

import pytest

from supervise.evaluation.models import Attendance, MeetingState, PaperSerial, SerialState
from supervise.extensions import db
from tests.helpers import text_of

from .conftest import Hall, S

STATE = "不能进行这项操作"  # require_state's message: the meeting is in the wrong state


def _hall(factory, login_as, stage: str) -> Hall:
    hall = Hall(factory)
    login_as(hall.chair)
    if stage == "roll_call":
        hall.roll_call(present=0)
    elif stage == "voting":
        hall.open()
    return hall


# (stage the meeting is in, path under /evaluation/<id>, form data, status, message, the page's title)
REFUSALS = [
    ("preparing", "/actions/open_voting", {}, 409, STATE, "MEETING"),
    ("preparing", "/publish", {}, 409, STATE, "测评结果"),
    ("roll_call", "/lines", {"remove": "LINE"}, 409, STATE, "MEETING"),
    ("roll_call", "/items", {"item": "ITEM"}, 409, STATE, "MEETING"),
    ("preparing", "/roll-call", {"deputy_id": "DEPUTY", "present": "1"}, 409, STATE, "点名"),
    ("preparing", "/roll-call/all-present", {}, 409, STATE, "点名"),
    ("preparing", "/ballots", {"deputy_id": "DEPUTY", "kind": "paper"}, 409, STATE, "发放选票"),
    ("voting", "/serials", {"serials": "1"}, 409, "还须先在名单中登记 1 位代表领表", "发放选票"),
    ("roll_call", "/serials/not-returned", {"missing-serials": "1"}, 409, STATE, "发放选票"),
    ("voting", "/codes", {"count": "1"}, 409, "最多还能生成 0 个", "发放选票"),
    ("voting", "/ballots/undo", {"deputy_id": "DEPUTY", "undo-reason": "点错"}, 409, "无需撤销", "发放选票"),
    (
        "voting",
        "/serials/unissue",
        {"unissue-serials": "1", "unissue-reason": "误登"},
        409,
        "只有已发出、尚未录入的测评表才能撤回发出登记",
        "发放选票",
    ),
    (
        "voting",
        "/serials/exchange",
        {"exchange-spoiled": "1", "exchange-replacement": "2", "exchange-reason": "填错"},
        409,
        "不能作废调换",
        "发放选票",
    ),
    (
        "voting",
        "/codes/void",
        {"void-code": "ABCD-2345", "void-reason": "撕坏"},
        409,
        "请填写退回的投票码",
        "发放选票",
    ),
    (
        "voting",
        "/codes/void-unused",
        {"void_unused-reason": "纸条遗失"},
        409,
        "没有尚未使用的投票码",
        "发放选票",
    ),
    ("voting", "/paper", {"serial": "077"}, 409, "没有编号为 77 的测评表", "录入测评表"),
    ("voting", "/paper/1", {"reason": "核对原件"}, 409, "还没有录入，无需更正", "测评表 001"),
]


@pytest.mark.parametrize(("stage", "path", "data", "status", "message", "title"), REFUSALS)
def test_a_refusal_shows_the_page_with_the_message_and_its_status(
    client, factory, login_as, stage, path, data, status, message, title
):
    hall = _hall(factory, login_as, stage)
    meeting = hall.meeting
    stand_ins = {"LINE": str(meeting.lines[0].id), "DEPUTY": str(hall.deputy_ids[0])}
    if "ITEM" in data.values():
        stand_ins["ITEM"] = str(factory.item("verified", township=meeting.township, title="加项").id)
        db.session.commit()
    form = {key: stand_ins.get(value, value) for key, value in data.items()}
    response = client.post(f"/evaluation/{meeting.id}{path}", data=form)
    assert response.status_code == status, text_of(response)
    html = response.get_data(as_text=True)
    assert message in text_of(response)
    page_title = meeting.title if title == "MEETING" else title
    assert f"<title>{page_title}" in html or f"<title>\n{page_title}" in html, html[:400]


def test_a_refused_serial_entry_marks_the_field_and_keeps_what_was_typed(client, factory, login_as):
    hall = _hall(factory, login_as, "voting")
    response = client.post(f"/evaluation/{hall.meeting.id}/serials", data={"serials": "1-2"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert (
        'value="1-2"' in html and html.count("还须先在名单中登记 2 位代表领表") == 2
    )  # the box and the field
    states = db.session.execute(db.select(PaperSerial.state).where(PaperSerial.meeting_id == hall.meeting.id))
    assert set(states.scalars()) == {SerialState.printed}


def test_a_refused_adjustment_keeps_its_form_open_as_typed(client, factory, login_as):
    hall = _hall(factory, login_as, "voting")
    data = {"unissue-serials": "1", "unissue-reason": "误登记了"}
    response = client.post(f"/evaluation/{hall.meeting.id}/serials/unissue", data=data)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert 'value="误登记了"' in html


def test_the_rules_refused_after_the_roll_call_began_come_back_as_typed(client, factory, login_as):
    hall = _hall(factory, login_as, "roll_call")
    rules = {
        "denominator": "roster",
        "satisfied_percent": "61",
        "basic_percent": "70",
        "quorum_numerator": "1",
        "quorum_denominator": "2",
    }
    response = client.post(f"/evaluation/{hall.meeting.id}/rules", data=rules)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "修改评定规则" in html and STATE in text_of(response) and 'value="61"' in html
    db.session.expire_all()
    assert hall.meeting.satisfied_percent == 50 and hall.meeting.state is MeetingState.roll_call


def test_a_refused_roll_call_mark_keeps_nothing(client, factory, login_as):
    hall = _hall(factory, login_as, "voting")
    deputy_id = hall.deputy_ids[0]
    hall.paper([deputy_id])
    refused = client.post(
        f"/evaluation/{hall.meeting.id}/roll-call", data={"deputy_id": deputy_id, "present": "0"}
    )
    assert refused.status_code == 409 and "不能再登记为缺席" in text_of(refused)
    db.session.expire_all()
    row = db.session.execute(db.select(Attendance).where(Attendance.deputy_id == deputy_id)).scalar_one()
    assert row.present is True


def test_a_refused_phone_ballot_shows_the_ballot_again_and_a_spent_code_the_code_page(app, factory):
    hall = Hall(factory)
    ids = hall.open()
    (code,) = hall.phone_codes(ids[:1])
    phone = app.test_client()
    data = {"code": code, "meeting_id": hall.meeting.id, f"line-{hall.lines[0].id}": S.value}
    partial = phone.post("/vote/ballot", data=data)
    assert partial.status_code == 400 and "项没有选择" in text_of(partial)
    assert "<title>选票" in partial.get_data(as_text=True)
    assert partial.headers["Cache-Control"] == "no-store"
    hall.vote(code, *[S] * len(hall.lines))
    spent = phone.post("/vote/ballot", data={**data, **{f"line-{line.id}": S.value for line in hall.lines}})
    assert spent.status_code == 409 and "已经投过票" in text_of(spent)
    assert "<title>人大代表手机投票</title>" in spent.get_data(as_text=True)
    assert spent.headers["Cache-Control"] == "no-store"
