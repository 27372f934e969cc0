"""Escalation candidates (督办预警): which open items are listed, with which reasons, for whom."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from supervise.core.clock import today
from supervise.extensions import db
from supervise.lists.models import AnswerClass, Item, Rating
from supervise.meetings.models import Consultation
from tests.helpers import text_of


def rows(response) -> dict[int, str]:
    """The text of each candidate row, by item id."""
    html = response.get_data(as_text=True)
    found = {}
    for match in re.finditer(r'<tr id="candidate-(\d+)">(.*?)</tr>', html, flags=re.S):
        found[int(match.group(1))] = " ".join(re.sub(r"<[^>]+>", " ", match.group(2)).split())
    return found


def test_each_candidate_is_listed_with_its_reasons(client, factory, chair):
    past = today() - timedelta(days=10)
    future = today() + timedelta(days=60)
    long_ago = today() - timedelta(days=150)  # past 3 months, not past 6
    overdue = factory.item("supervising", deadline=past)
    unanswered = factory.item("listed", kind="suggestion", deadline=future, handed_over_on=long_ago)
    answered = factory.item(
        "supervising", kind="suggestion", deadline=future, handed_over_on=long_ago, answer_class=AnswerClass.B
    )
    extended = factory.item(
        "supervising", kind="suggestion", deadline=future, handed_over_on=long_ago, extension_approved=True
    )
    dissatisfied = factory.item("supervising", deadline=future, result=Rating.dissatisfied)
    hard = factory.item("consulting", deadline=future, high_difficulty=True, public_attention=True)
    own_call = factory.item("completed", deadline=future, escalation_note="群众反映强烈，需主席团督办")
    several = factory.item("supervising", deadline=past, wide_impact=True)
    quiet = factory.item("supervising", deadline=future)
    withdrawn = factory.item("withdrawn", deadline=past, high_difficulty=True)
    foreign = factory.item("supervising", deadline=past, township=factory.township("外镇"))

    response = client.get("/escalation")

    assert response.status_code == 200
    listed = rows(response)
    assert set(listed) == {overdue.id, unanswered.id, dissatisfied.id, hard.id, own_call.id, several.id}
    assert f"已超过完成时限（{past.isoformat()}）" in listed[overdue.id]
    assert "代表建议超过法定答复期限" in listed[unanswered.id]
    assert "完成时限" not in listed[unanswered.id].split("预警")[-1]
    assert "测评结果为“不满意”" in listed[dissatisfied.id]
    assert "重点事项：群众关注度高、推进难度大" in listed[hard.id]
    assert "主席团提出：群众反映强烈，需主席团督办" in listed[own_call.id]
    assert "已超过完成时限" in listed[several.id] and "重点事项：影响面广" in listed[several.id]
    for item in (answered, extended, quiet, withdrawn, foreign):
        assert item.id not in listed
    # Only supervising items can go to a consultation: one button each, and for the others a note.
    assert f"/consultations/new?item={overdue.id}" in response.get_data(as_text=True)
    assert "提请会商" not in listed[unanswered.id]
    assert "“监督中”的事项才能会商" in listed[own_call.id]
    # The monthly cycle's reasons are explained (and tested in tests/progress).
    assert "连续两个月无进展" in text_of(response)


def test_an_item_in_consultation_links_to_its_consultation(client, factory, chair):
    item = factory.item("consulting", high_difficulty=True)
    consultation = Consultation(township_id=chair.township_id, held_on=date(2026, 5, 1), items=[item])
    db.session.add(consultation)

    listed = rows(client.get("/escalation"))

    assert "查看会商" in listed[item.id]
    assert f"/consultations/{consultation.id}" in client.get("/escalation").get_data(as_text=True)


def test_the_presidium_flags_and_unflags_an_item_by_its_own_call(client, factory, chair):
    item = factory.item("supervising", deadline=today() + timedelta(days=60), title="便民桥维修")
    assert item.id not in rows(client.get("/escalation"))

    flagged = client.post("/escalation/flag", data={"item_id": str(item.id), "note": "汛期临近，须加快进度"})

    assert flagged.status_code == 302
    item = db.session.get(Item, item.id)
    assert item.escalation_note == "汛期临近，须加快进度"
    assert item.events[-1].action == "escalation_flag"
    assert "主席团提出：汛期临近，须加快进度" in rows(client.get("/escalation"))[item.id]
    timeline = text_of(client.get(f"/items/{item.id}"))
    assert "列为督办预警" in timeline and "理由：汛期临近，须加快进度" in timeline

    cleared = client.post(f"/escalation/items/{item.id}/clear")

    assert cleared.status_code == 302
    item = db.session.get(Item, item.id)
    assert item.escalation_note == "" and item.events[-1].action == "escalation_clear"
    assert item.id not in rows(client.get("/escalation"))


def test_flag_form_errors_are_shown_in_chinese(client, factory, chair):
    item = factory.item("supervising")
    foreign = factory.item("supervising", township=factory.township("外镇"))
    closed = factory.item("verified")

    empty = client.post("/escalation/flag", data={"item_id": "", "note": ""})
    assert empty.status_code == 200
    assert "请选择事项" in text_of(empty) and "请说明列为督办预警的理由" in text_of(empty)

    other = client.post("/escalation/flag", data={"item_id": str(foreign.id), "note": "理由"})
    assert other.status_code == 409 and "不属于本镇" in text_of(other)

    wrong_state = client.post("/escalation/flag", data={"item_id": str(closed.id), "note": "理由"})
    assert wrong_state.status_code == 409 and "不能列为督办预警" in text_of(wrong_state)
    assert 'value="理由"' in wrong_state.get_data(as_text=True)

    for record in (item, foreign, closed):
        assert db.session.get(Item, record.id).escalation_note == ""


def test_county_staff_see_their_townships_and_cannot_decide(client, factory, login_as):
    home = factory.default_township
    neighbour = factory.township("城关镇")
    far = factory.township("涧池镇", county=factory.county("汉阴县"))
    past = today() - timedelta(days=1)
    mine = [factory.item("supervising", deadline=past, township=t) for t in (home, neighbour)]
    theirs = factory.item("supervising", deadline=past, township=far)
    login_as("county")

    response = client.get("/escalation")

    assert set(rows(response)) == {i.id for i in mine}
    assert theirs.id not in rows(response)
    page = text_of(response)
    assert "城关镇" in page and "提请会商" not in page and "列为督办预警" not in page
    assert client.post("/escalation/flag", data={"item_id": str(mine[0].id), "note": "x"}).status_code == 403


@pytest.mark.parametrize("role", ["presidium", "county"])
def test_the_page_runs_the_same_queries_for_5_and_50_items(client, factory, login_as, count_queries, role):
    login_as(role)
    past = today() - timedelta(days=5)

    def add(n):
        for i in range(n):
            kind = ("commitment", "suggestion", "livelihood")[i % 3]
            state = ("supervising", "consulting", "listed", "completed")[i % 4]
            item = factory.item(state, kind=kind, deadline=past, high_difficulty=i % 2 == 0, supervisors=1)
            if state == "consulting":
                db.session.add(
                    Consultation(township_id=item.township_id, held_on=date(2026, 5, 1), items=[item])
                )
        db.session.commit()

    add(5)
    with count_queries() as few:
        assert len(rows(client.get("/escalation"))) == 5
    add(45)
    with count_queries() as many:
        assert len(rows(client.get("/escalation"))) == 50
    assert few.count == many.count


def test_on_a_phone_each_candidate_is_a_card_whose_cells_name_their_column(client, factory, chair):
    """Below the sm breakpoint the table stacks (app.css .table-stack-sm): a cell says what it is."""
    factory.item("supervising", high_difficulty=True)

    html = client.get("/escalation").get_data(as_text=True)

    assert 'class="table align-middle table-stack-sm"' in html
    for label in ("勾选", "主办单位", "完成时限", "状态", "预警原因"):
        assert f'data-label="{label}"' in html
    assert ".table-stack-sm td[data-label]::before" in client.get("/static/app.css").get_data(as_text=True)


def test_the_escalation_page_is_paginated_and_loads_only_its_page(client, factory, chair, count_queries):
    from supervise.meetings.escalation import PER_PAGE

    future = today() + timedelta(days=60)
    # Past the SQL's coarse 89 days, not the legal 6 months: no reason, counted on no page.
    not_yet = factory.item(
        "listed",
        kind="suggestion",
        deadline=future,
        handed_over_on=today() - timedelta(days=100),
        extension_approved=True,
    )
    made = [factory.item("supervising", deadline=future, wide_impact=True) for _ in range(PER_PAGE + 5)]
    db.session.commit()

    first = client.get("/escalation")
    assert len(rows(first)) == PER_PAGE
    assert f"({PER_PAGE + 5})" in first.get_data(as_text=True)  # the total, not the page's
    assert "page=2" in first.get_data(as_text=True)
    second = rows(client.get("/escalation?page=2"))
    assert len(second) == 5
    assert set(rows(first)) | set(second) == {i.id for i in made}
    assert not_yet.id not in second
