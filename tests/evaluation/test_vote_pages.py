"""The pages: the phone ballot, guessing codes, the results page, and numbers that are refused."""

from __future__ import annotations

import re

from config import TestConfig
from supervise import create_app
from supervise.evaluation.models import EvaluationMeeting, Mark
from supervise.evaluation.tally import results
from supervise.extensions import db
from tests.helpers import text_of

from .conftest import S, base


def _vote_page(anonymous, code):
    return anonymous.post("/vote", data={"code": code})


def test_the_phone_ballot_without_login(app, chair_hall):
    hall = chair_hall
    ids = hall.open()
    code, used = hall.phone_codes(ids[:2])
    anonymous = app.test_client()
    assert anonymous.get("/vote").status_code == 200
    page = _vote_page(anonymous, code.lower())
    assert page.status_code == 200 and hall.lines[0].title in text_of(page)
    assert page.headers["Cache-Control"] == "no-store"
    # Missing marks: the choices made are kept, the missing ones named.
    partial = anonymous.post(
        "/vote/ballot",
        data={"code": code, "meeting_id": hall.meeting.id, f"line-{hall.lines[0].id}": "basic"},
    )
    assert partial.status_code == 400 and "还有 3 项没有选择" in text_of(partial)
    kept = f'value="basic" id="v{hall.lines[0].id}-basic" autocomplete="off" checked'
    assert kept in partial.get_data(as_text=True)
    marks = {f"line-{line.id}": "satisfied" for line in hall.lines}
    done = anonymous.post("/vote/ballot", data={"code": code, "meeting_id": hall.meeting.id, **marks})
    assert done.status_code == 302 and "您的选票已提交" in text_of(anonymous.get(done.location))
    spent = _vote_page(anonymous, code)
    assert spent.status_code == 400 and "已经投过票" in text_of(spent)
    again = anonymous.post("/vote/ballot", data={"code": code, "meeting_id": hall.meeting.id, **marks})
    assert again.status_code == 409 and "已经投过票" in text_of(again)
    assert _vote_page(anonymous, "ZZZZ-ZZZZ").status_code == 400
    assert _vote_page(anonymous, "").status_code == 400
    garbage = anonymous.post("/vote/ballot", data={"code": used, "meeting_id": "x" * 40, **marks})
    assert garbage.status_code == 400 and "重新输入投票码" in text_of(garbage)
    assert (
        anonymous.post("/vote/ballot", data={"code": used, "meeting_id": "99999", **marks}).status_code == 400
    )


def test_guessing_codes_is_rate_limited_per_phone_and_loosely_per_address(app, chair_hall):
    """One phone's typos lock out that phone, not the hall behind the same address (NAT); a guesser
    dropping the cookie each time meets the looser limit per address."""
    app.config["EVALUATION_CODE_FAILURES_PER_PHONE"] = "3/minute"
    app.config["EVALUATION_CODE_FAILURES_PER_ADDRESS"] = "5/minute"
    hall = chair_hall
    ids = hall.open()
    code, other = hall.phone_codes(ids[:2])
    anonymous = app.test_client()
    for _n in range(3):
        assert _vote_page(anonymous, "ABCD-EFGH").status_code == 400
    blocked = _vote_page(anonymous, code)
    assert blocked.status_code == 429 and "这部手机请 1 分钟后再试" in text_of(blocked)
    assert f'value="{code}"' in blocked.get_data(as_text=True)
    # Another phone in the same hall (same address, its own session) still votes.
    neighbour = app.test_client()
    assert _vote_page(neighbour, other).status_code == 200
    assert _vote_page(neighbour, "ABCD-EFGH").status_code == 400
    # Five failures from the address in all: a fresh cookie no longer helps.
    assert _vote_page(app.test_client(), "ABCD-EFGH").status_code == 400
    assert _vote_page(app.test_client(), other).status_code == 429


def test_the_vote_form_carries_a_csrf_token_and_refuses_a_post_without_it():
    config = type(
        "CsrfConfig", (TestConfig,), {"WTF_CSRF_ENABLED": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    app = create_app(config)
    with app.app_context():
        db.create_all()
        client = app.test_client()
        assert 'name="csrf_token"' in client.get("/vote").get_data(as_text=True)
        assert client.post("/vote", data={"code": "ABCD-EFGH"}).status_code == 400
        assert client.post("/vote/ballot", data={"code": "ABCD-EFGH", "meeting_id": "1"}).status_code == 400
        db.session.remove()
        db.drop_all()


def test_the_results_page_shows_what_the_ballots_recompute_to(client, chair_hall):
    hall = chair_hall
    ids = hall.open()
    codes = hall.phone_codes(ids[:6])
    votes = [(S, "basic", "dissatisfied", S)] * 3 + [(S, S, "dissatisfied", "basic")] * 3
    for code, marks in zip(codes, votes):
        hall.vote(code, *[Mark(m) for m in marks])
    b = base(hall)
    hidden = text_of(client.get(f"{b}/results"))
    assert "测评结果在结束投票后显示" in hidden
    assert "测评结果将在主持人宣布结束投票后显示" in text_of(client.get(f"{b}/projection"))
    assert client.post(f"{b}/actions/close_voting").status_code == 302
    html = client.get(f"{b}/results").get_data(as_text=True)
    shown = re.findall(r'<tr data-line="(\d+)">(.*?)</tr>', html, flags=re.S)
    db.session.expire_all()
    expected = results(db.session.get(EvaluationMeeting, hall.meeting.id))
    assert len(shown) == len(expected)
    for (line_id, row), result in zip(shown, expected):
        cells = re.findall(r'<td class="text-end">([^<]*)</td>', row)
        c = result.counts
        assert int(line_id) == result.line.id
        assert cells[:5] == [
            str(c.satisfied),
            str(c.basic),
            str(c.dissatisfied),
            str(c.invalid),
            str(c.valid),
        ]
        assert result.grade.label in row
    partial = client.get(f"{b}/projection", query_string={"partial": "1"})
    assert "<html" not in partial.get_data(as_text=True) and 'id="results"' in partial.get_data(as_text=True)
    # Applying the results records them on the items (the timeline shows them).
    assert client.post(f"{b}/actions/apply_results").status_code == 302
    item = hall.lines[0].item
    assert "民主评议会（2026-10-15）测评：满意 6" in text_of(client.get(f"/items/{item.id}"))


def test_superscript_digits_and_huge_numbers_are_refused_never_a_500(app, client, chair_hall):
    """'²' passes str.isdigit() and then int() fails: every id and year from a request is parsed strictly."""
    hall = chair_hall
    b = base(hall)
    anonymous = app.test_client()
    for meeting_id in ("²", "¹²", "٣", "9" * 30, "-1"):
        response = anonymous.post("/vote/ballot", data={"code": "ABCD-EFGH", "meeting_id": meeting_id})
        assert response.status_code == 400 and "重新输入投票码" in text_of(response), meeting_id
    removed = client.post(f"{b}/lines", data={"remove": ["²", "9" * 30]})
    assert removed.status_code == 400 and "请先勾选要移出测评的项目" in text_of(removed)
    assert client.post(f"{b}/actions/start_roll_call").status_code == 302
    for deputy_id in ("²", "³³", "9" * 30):
        marked = client.post(f"{b}/roll-call", data={"deputy_id": deputy_id, "present": "1"})
        assert marked.status_code == 400 and "请选择代表后再登记" in text_of(marked), deputy_id
        handed = client.post(f"{b}/ballots", data={"deputy_id": deputy_id, "kind": "paper"})
        assert handed.status_code == 400, deputy_id
    for year in ("²²²²", "２０２６", "20266", "1999"):
        page = client.get("/evaluation/assessment", query_string={"year": year})
        assert page.status_code == 200, year
        assert client.get("/evaluation/assessment.xlsx", query_string={"year": year}).status_code == 200
    empty = client.get("/evaluation/assessment", query_string={"year": "2026"})
    assert "2026" in text_of(empty)
    # One township: 11 columns (no township column), and the empty row spans exactly those.
    assert 'colspan="11"' in empty.get_data(as_text=True)
