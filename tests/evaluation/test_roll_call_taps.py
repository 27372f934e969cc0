"""A roll-call tap asked for JSON (by the hall's script) answers with the deputy's row and the count
alone; the same form without the script still reloads the page; the server refuses as before."""

from __future__ import annotations

from supervise.evaluation import operations as ops
from supervise.evaluation.models import Attendance, BallotKind
from supervise.extensions import db

from .conftest import Hall

JSON = {"Accept": "application/json"}


def _present(meeting_id: int, deputy_id: int):
    return db.session.execute(
        db.select(Attendance.present).where(
            Attendance.meeting_id == meeting_id, Attendance.deputy_id == deputy_id
        )
    ).scalar_one()


def test_a_tap_answers_with_the_row_and_the_count(client, factory, login_as):
    hall = Hall(factory)
    login_as(hall.chair)
    hall.roll_call(present=0)
    deputy_id = hall.deputy_ids[0]
    url = f"/evaluation/{hall.meeting.id}/roll-call"
    response = client.post(url, data={"deputy_id": deputy_id, "present": "1"}, headers=JSON)
    assert response.status_code == 200 and response.is_json
    answer = response.get_json()
    assert f'id="deputy-{deputy_id}"' in answer["row"] and "<html" not in answer["row"]
    assert 'aria-pressed="true"' in answer["row"] and "text-bg-success" in answer["row"]
    roster = len(hall.deputy_ids)
    assert f'<strong id="present-count">1</strong> / {roster}' in answer["count"]
    assert answer["uncalled"] == roster - 1 and str(roster - 1) in answer["uncalled_text"]
    assert response.headers["Cache-Control"] == "no-store"
    assert _present(hall.meeting.id, deputy_id) is True


def test_without_the_script_a_tap_still_reloads_the_page(client, factory, login_as):
    hall = Hall(factory)
    login_as(hall.chair)
    hall.roll_call(present=0)
    deputy_id = hall.deputy_ids[1]
    url = f"/evaluation/{hall.meeting.id}/roll-call"
    response = client.post(url, data={"deputy_id": deputy_id, "present": "0", "q": "x"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/roll-call?q=x#deputy-{deputy_id}")
    assert _present(hall.meeting.id, deputy_id) is False
    html = client.get(url).get_data(as_text=True)
    # The row's form is an ordinary form: the script only takes it over where it runs.
    assert f'name="deputy_id" value="{deputy_id}"' in html and 'method="post"' in html


def test_a_refused_tap_answers_with_the_message_and_changes_nothing(client, factory, login_as):
    hall = Hall(factory)
    login_as(hall.chair)
    ids = hall.open()
    ops.hand_out(hall.chair, hall.meeting, ids[0], BallotKind.paper)
    db.session.commit()
    url = f"/evaluation/{hall.meeting.id}/roll-call"
    response = client.post(url, data={"deputy_id": ids[0], "present": "0"}, headers=JSON)
    assert response.status_code == 409 and response.is_json
    assert "已领取选票，不能再登记为缺席" in response.get_json()["message"]
    assert _present(hall.meeting.id, ids[0]) is True


def test_a_tap_is_refused_to_another_role_and_outside_the_roll_call(client, factory, login_as):
    hall = Hall(factory)
    login_as(hall.chair)
    url = f"/evaluation/{hall.meeting.id}/roll-call"
    data = {"deputy_id": hall.deputy_ids[0], "present": "1"}
    preparing = client.post(url, data=data, headers=JSON)
    assert preparing.status_code == 409 and "不能进行这项操作" in preparing.get_json()["message"]
    client.post("/logout")
    login_as("government")
    assert client.post(url, data=data, headers=JSON).status_code == 403
    assert _present(hall.meeting.id, hall.deputy_ids[0]) is None
