"""The pages: the chair's run of a meeting, permissions, and bad input (never a 500); the phone
ballot's pages are in test_vote_pages."""

from __future__ import annotations

import re
from urllib.parse import quote

from supervise.ballots import paper
from supervise.evaluation.models import EvaluationMeeting, MeetingState
from supervise.extensions import db
from tests.helpers import text_of

from .conftest import D, S, base


def test_the_chair_creates_a_meeting_and_bad_input_is_kept(client, login_as, factory):
    chair = login_as("presidium")
    factory.deputy(chair.township)
    factory.item("verified", title="集镇道路改造提升项目")
    db.session.commit()
    bad = client.post(
        "/evaluation/new",
        data={
            "year": "二〇二六",
            "held_on": "2026-10-15",
            "place": "会议室",
            "denominator": "present",
            "satisfied_percent": "150",
            "basic_percent": "50",
            "quorum_numerator": "3",
            "quorum_denominator": "2",
        },
    )
    assert bad.status_code == 400
    page = text_of(bad)
    assert "请填写整数" in page and "1 到 100" in page and "分子不能大于分母" in page
    assert 'value="会议室"' in bad.get_data(as_text=True)
    good = client.post(
        "/evaluation/new",
        data={
            "year": "2026",
            "held_on": "2026-10-15",
            "place": "会议室",
            "denominator": "valid",
            "satisfied_percent": "50",
            "basic_percent": "50",
            "quorum_numerator": "2",
            "quorum_denominator": "3",
            "quorum_strict": "y",
        },
    )
    assert good.status_code == 302
    meeting = db.session.execute(db.select(EvaluationMeeting)).scalar_one()
    assert meeting.denominator.value == "valid" and meeting.results_hidden_until_closed is False
    assert "集镇道路改造提升项目" in text_of(client.get(good.location))


def test_a_year_with_nothing_to_rate_is_refused_with_a_message(client, login_as, factory):
    chair = login_as("presidium")
    factory.deputy(chair.township)
    db.session.commit()
    response = client.post(
        "/evaluation/new",
        data={
            "year": "2020",
            "held_on": "2020-10-15",
            "denominator": "present",
            "satisfied_percent": "50",
            "basic_percent": "50",
            "quorum_numerator": "2",
            "quorum_denominator": "3",
        },
    )
    assert response.status_code == 409  # no item of 2020 and no office in this township
    assert "没有可以测评的事项或站所" in text_of(response)


def test_roll_call_by_tap_and_the_quorum_message(client, chair_hall):
    hall = chair_hall
    assert client.post(f"{base(hall)}/actions/open_voting").status_code == 409  # still preparing
    assert client.post(f"{base(hall)}/actions/start_roll_call").status_code == 302
    ids = hall.deputy_ids
    for deputy_id in ids[:3]:
        response = client.post(f"{base(hall)}/roll-call", data={"deputy_id": deputy_id, "present": "1"})
        assert response.status_code == 302 and response.location.endswith(f"#deputy-{deputy_id}")
    page = text_of(client.get(f"{base(hall)}/roll-call"))
    assert "实到 3 / 8" in page and "还差 3 人" in page
    refused = client.post(f"{base(hall)}/actions/open_voting")
    assert refused.status_code == 409 and "还差 3 人" in text_of(refused)
    name = hall.meeting.roster[0].deputy.name
    found = text_of(client.get(f"{base(hall)}/roll-call", query_string={"q": name}))
    assert name in found
    assert (
        client.post(f"{base(hall)}/roll-call", data={"deputy_id": "abc", "present": "1"}).status_code == 400
    )
    assert (
        client.post(f"{base(hall)}/roll-call", data={"deputy_id": "999999", "present": "1"}).status_code
        == 409
    )


def test_all_present_marks_every_deputy_not_called_yet_and_single_marks_keep_the_place(client, chair_hall):
    hall = chair_hall
    assert client.post(f"{base(hall)}/actions/start_roll_call").status_code == 302
    ids = hall.deputy_ids
    name = hall.meeting.roster[1].deputy.name
    tapped = client.post(f"{base(hall)}/roll-call", data={"deputy_id": ids[1], "present": "0", "q": name})
    assert tapped.status_code == 302 and tapped.location.endswith(f"?q={quote(name)}#deputy-{ids[1]}")
    page = client.get(f"{base(hall)}/roll-call")
    assert "全部到会" in text_of(page) and f"还有 {len(ids) - 1} 位代表未点到" in text_of(page)
    assert "data-confirm=" in page.get_data(as_text=True)
    done = client.post(f"{base(hall)}/roll-call/all-present")
    assert done.status_code == 302
    shown = text_of(client.get(done.location))
    assert f"已将其余 {len(ids) - 1} 位代表登记为到会" in shown and "全部到会" not in shown
    db.session.expire_all()
    present = {
        row.deputy_id: row.present for row in db.session.get(EvaluationMeeting, hall.meeting.id).roster
    }
    assert present == {deputy_id: deputy_id != ids[1] for deputy_id in ids}  # the absent deputy stays absent


def test_hand_out_serials_and_codes_over_http(client, chair_hall):
    hall = chair_hall
    ids = hall.open()
    b = base(hall)
    assert client.post(f"{b}/ballots", data={"deputy_id": ids[0], "kind": "paper"}).status_code == 302
    twice = client.post(f"{b}/ballots", data={"deputy_id": ids[0], "kind": "phone"})
    assert twice.status_code == 409 and "每位代表只能领一张选票" in text_of(twice)
    assert client.post(f"{b}/ballots", data={"deputy_id": ids[1], "kind": "ballot"}).status_code == 400
    bad = client.post(f"{b}/serials", data={"serials": "1-2, 七"})
    assert (
        bad.status_code == 409
        and "无法识别的编号：七" in text_of(bad)
        and 'value="1-2, 七"' in bad.get_data(as_text=True)
    )
    # No more serials than deputies recorded as receiving a sheet.
    over = client.post(f"{b}/serials", data={"serials": "1-5"})
    assert over.status_code == 409 and "还须先在名单中登记 4 位代表领表" in text_of(over)
    assert client.post(f"{b}/serials", data={"serials": "1"}).status_code == 302
    # No more codes than deputies recorded as receiving one.
    too_many = client.post(f"{b}/codes", data={"count": "1"})
    assert too_many.status_code == 409 and "最多还能生成 0 个" in text_of(too_many)
    for deputy_id in ids[2:5]:
        assert client.post(f"{b}/ballots", data={"deputy_id": deputy_id, "kind": "phone"}).status_code == 302
    assert client.post(f"{b}/codes", data={"count": "4"}).status_code == 409
    codes = client.post(f"{b}/codes", data={"count": "3"})
    assert codes.status_code == 200 and codes.headers["Cache-Control"] == "no-store"
    assert len(re.findall(r'class="eval-code">[A-Z0-9]{4}-[A-Z0-9]{4}<', codes.get_data(as_text=True))) == 3
    assert client.post(f"{b}/codes", data={"count": "0"}).status_code == 400


def test_paper_entry_by_serial_keeps_the_typing_on_errors(client, chair_hall):
    hall = chair_hall
    ids = hall.open()
    hall.paper(ids[:1])
    b = base(hall)
    lines = {f"line-{line.id}": "satisfied" for line in hall.lines}
    malformed = client.post(f"{b}/paper", data={"serial": "No.abc", **lines})
    assert malformed.status_code == 400 and "测评表编号是数字" in text_of(malformed)
    assert malformed.get_data(as_text=True).count("checked") == len(hall.lines)
    unknown = client.post(f"{b}/paper", data={"serial": "77", **lines})
    assert unknown.status_code == 409 and "没有编号为 77 的测评表" in text_of(unknown)
    tampered = client.post(f"{b}/paper", data={"serial": "1", f"line-{hall.lines[0].id}": "great"})
    assert tampered.status_code == 400 and "第 1 项的选择无法识别" in text_of(tampered)
    assert client.post(f"{b}/paper", data={"serial": "001", **lines}).status_code == 302
    again = client.post(f"{b}/paper", data={"serial": "1", **lines})
    assert again.status_code == 409 and "另一名工作人员" in text_of(again)
    sheet = client.get(f"{b}/paper", query_string={"serial": "1"})
    assert sheet.status_code == 302 and sheet.location.endswith(f"{b}/paper/1")
    assert "首录" in text_of(client.get(sheet.location))
    no_reason = client.post(f"{b}/paper/1", data={"reason": "", **lines})
    assert no_reason.status_code == 400 and "更正须写明理由" in text_of(no_reason)


def test_the_recheck_counter_counts_agreeing_rechecks_and_lists_the_others(client, chair_hall):
    hall = chair_hall
    ids = hall.open()
    hall.paper(ids[:3])
    for serial in (1, 2, 3):
        hall.enter(serial, S, S, S, S)
    hall.enter(1, S, S, S, S, clerk=hall.clerk)  # agrees
    hall.enter(2, S, D, S, S, clerk=hall.clerk)  # disagrees on line 2
    page = client.get(f"{base(hall)}/paper")
    shown = text_of(page)
    assert "已复核 1 张" in shown and "复核不一致 1 张" in shown
    assert f'href="{base(hall)}/paper/2"' in page.get_data(as_text=True)
    # Once a correction settles it, the sheet counts as checked.
    paper.correct_ballot(
        hall.chair,
        hall.meeting,
        2,
        {line.id: [m] for line, m in zip(hall.lines, (S, D, S, S))},
        False,
        "核对原件",
    )
    db.session.commit()
    shown = text_of(client.get(f"{base(hall)}/paper"))
    assert "已复核 2 张" in shown and "复核不一致" not in shown


def test_the_projection_shows_the_meeting_without_staff_navigation(client, chair_hall):
    hall = chair_hall
    hall.open()
    page = client.get(f"{base(hall)}/projection")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "navbar" not in html and "logout" not in html and "退出" not in text_of(page)
    assert hall.chair.display_name not in html
    assert f'<h1 class="eval-projection-title">江口镇 {hall.meeting.title}</h1>' in html
    assert f'data-refresh-url="{base(hall)}/projection?partial=1"' in html and "evaluation.js" in html


def test_another_townships_meeting_is_404_and_other_roles_are_403(app, factory, chair_hall):
    hall = chair_hall
    b = base(hall)
    outsider = factory.user("presidium", township=factory.township("城关镇"))
    deputy = factory.user("deputy")
    db.session.commit()
    for user, status in ((outsider, 404), (deputy, 403)):
        client = app.test_client()
        assert (
            client.post("/login", data={"username": user.username, "password": factory.PASSWORD}).status_code
            == 302
        )
        for path in ("", "/roll-call", "/ballots", "/paper", "/paper/1", "/projection", "/results"):
            assert client.get(b + path).status_code == status, (user.role, path)
        for path in ("/actions/start_roll_call", "/roll-call", "/ballots", "/serials", "/codes", "/paper"):
            assert client.post(b + path, data={"deputy_id": hall.deputy_ids[0]}).status_code == status, path
    assert hall.meeting.state is MeetingState.preparing


def test_the_meeting_list_costs_the_same_queries_for_many_meetings(client, login_as, factory, count_queries):
    chair = login_as("presidium")
    factory.evaluation_meeting(chair, deputies=2)
    db.session.commit()
    with count_queries() as one:
        assert client.get("/evaluation/").status_code == 200
    for _n in range(3):
        factory.evaluation_meeting(chair, deputies=1)
    db.session.commit()
    with count_queries() as four:
        page = client.get("/evaluation/")
    assert page.status_code == 200 and text_of(page).count("2026 年度民主评议会") == 4
    assert four.count == one.count


def test_while_preparing_the_chair_adds_items_of_any_year_and_edits_the_rules(client, factory, chair_hall):
    from datetime import date

    hall = chair_hall
    b = base(hall)
    last_year = factory.supervision_list(year=2025)
    rerated = factory.item("supervising", title="去年不满意的道路整治", supervisors=1)
    rerated.list_id, rerated.rerate_deadline = last_year.id, date(2026, 11, 30)
    factory.item("withdrawn", title="已撤销的道路整治", withdrawn_reason="规划调整")
    outsider = factory.item("verified", title="外镇道路整治", township=factory.township("城关镇"))
    db.session.commit()
    found = text_of(client.get(b, query_string={"find": "道路整治"}))
    assert "去年不满意的道路整治" in found and "2025" in found and "须于 2026-11-30 前重新测评" in found
    assert "已撤销的道路整治" not in found and "外镇道路整治" not in found
    assert "没有找到可以加入的事项" in text_of(client.get(b, query_string={"find": "评议事项1"}))  # rated
    assert client.post(f"{b}/items", data={"item": ["²", str(outsider.id)]}).status_code == 400
    added = client.post(f"{b}/items", data={"item": [str(rerated.id)]})
    assert added.status_code == 302
    db.session.expire_all()
    meeting = db.session.get(EvaluationMeeting, hall.meeting.id)
    titles = [line.title for line in meeting.lines]
    assert titles.index("去年不满意的道路整治") < next(
        i for i, line in enumerate(meeting.lines) if line.office_id
    )
    # The rules, while preparing.
    form = client.get(f"{b}/rules")
    assert form.status_code == 200 and 'value="50"' in form.get_data(as_text=True)
    rules = {
        "denominator": "roster",
        "satisfied_percent": "60",
        "basic_percent": "70",
        "quorum_numerator": "1",
        "quorum_denominator": "2",
    }
    bad = client.post(f"{b}/rules", data={**rules, "quorum_numerator": "3"})
    assert bad.status_code == 400 and "分子不能大于分母" in text_of(bad)
    assert client.post(f"{b}/rules", data=rules).status_code == 302
    db.session.expire_all()
    meeting = db.session.get(EvaluationMeeting, hall.meeting.id)
    assert (meeting.satisfied_percent, meeting.basic_percent, meeting.denominator.value) == (60, 70, "roster")
    assert (meeting.quorum_numerator, meeting.quorum_denominator, meeting.quorum_strict) == (1, 2, False)
    assert meeting.results_hidden_until_closed is False
    # Once the roll call starts, neither changes.
    assert client.post(f"{b}/actions/start_roll_call").status_code == 302
    assert client.get(f"{b}/rules").status_code == 302
    late = client.post(f"{b}/rules", data=rules)
    assert late.status_code == 409 and "不能进行这项操作" in text_of(late)
    assert client.post(f"{b}/items", data={"item": [str(rerated.id)]}).status_code == 409
    assert "加入测评事项" not in text_of(client.get(b))


def test_the_hall_and_voting_pages_have_a_plain_title(chair_hall, client):
    """A script tag inside the title block showed as text in the browser's tab."""
    chair_hall.open()
    for path in (f"{base(chair_hall)}/roll-call", f"{base(chair_hall)}/paper", "/vote"):
        page = client.get(path)
        assert page.status_code == 200, path
        title = re.search(r"<title>(.*?)</title>", page.get_data(as_text=True), re.S).group(1)
        assert "<" not in title and "script" not in title, (path, title)


def test_the_meeting_page_costs_the_same_for_2_and_8_rated_items(app, factory, count_queries):
    """The page shows each rated item's state and what would stop its result: one query for all."""
    from tests.helpers import statements_of_a_second_visit

    costs = []
    for n in (2, 8):
        township = factory.township()
        chair = factory.user("presidium", township=township)
        items = [factory.item("supervising", township=township, title=f"事项{k}") for k in range(n)]
        meeting = factory.evaluation_meeting(chair, items=items)
        assert len(meeting.lines) >= n
        db.session.commit()
        client = app.test_client()
        client.post("/login", data={"username": chair.username, "password": factory.PASSWORD})
        costs.append(statements_of_a_second_visit(client, count_queries, f"/evaluation/{meeting.id}"))
    assert costs[0] == costs[1], costs


def test_a_meeting_date_far_from_the_year_rated_is_the_forms_error(client, login_as):
    login_as("presidium")
    form = {"year": "2026", "held_on": "9999-12-31", "denominator": "present", "satisfied_percent": "50"}
    form |= {"basic_percent": "50", "quorum_numerator": "2", "quorum_denominator": "3", "place": "会议室"}
    response = client.post("/evaluation/new", data=form)
    assert response.status_code == 400
    assert "会议日期应在评议年度或次年之内。" in text_of(response)
    assert 'value="会议室"' in response.get_data(as_text=True)  # the typing is kept
    assert db.session.execute(db.select(EvaluationMeeting)).first() is None
