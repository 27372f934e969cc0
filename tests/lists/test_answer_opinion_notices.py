"""Who hears of a proposer's 不满意: the presidium and the clerks of every lead office (the lead and
the joint leads) get one notification per opinion, linking to the suggestion; nobody else does. The
office's home shows the suggestion as a fresh handling due on its new deadline."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from supervise.core.clock import today
from supervise.core.dates import add_months_clamped
from supervise.extensions import db
from supervise.lists.models import AnswerClass
from supervise.progress.models import Notification
from tests.helpers import html_of, text_of


@pytest.fixture
def proposer(people):
    user = people.factory.user("deputy", display_name="王秀兰")
    people.users["proposer"] = user
    return user


@pytest.fixture
def joint_office(people):
    office = people.factory.office(name="镇财政所")
    people.users["joint_clerk"] = people.factory.user("government", office_id=office.id)
    return office


def _suggestion(people, proposer, joint_office):
    item = people.item(
        "supervising",
        kind="suggestion",
        handed_over_on=date(2026, 3, 1),
        proposers=[proposer.deputy],
        answer_class=AnswerClass.B,
        answer_text="已列入明年计划。",
        joint_lead_offices=[joint_office],
    )
    db.session.commit()
    return item


def _notifications() -> list[Notification]:
    return list(
        db.session.execute(select(Notification).where(Notification.kind == "answer_dissatisfied")).scalars()
    )


def test_a_dissatisfied_proposer_tells_the_presidium_and_the_lead_offices_once(
    people, proposer, joint_office
):
    item = _suggestion(people, proposer, joint_office)
    # Another township's chair and an inactive chair of this one hear nothing.
    people.factory.user("presidium", is_active_account=False)
    db.session.commit()
    assert _notifications() == []

    response = people.client("proposer").post(
        f"/items/{item.id}/opinion", data={"opinion": "dissatisfied", "comment": "没有时间表。"}
    )

    assert response.status_code == 302
    due = add_months_clamped(today(), 1)
    sent = _notifications()
    told = sorted(n.user_id for n in sent)
    expected = sorted(people.users[p].id for p in ("presidium", "lead_clerk", "joint_clerk"))
    assert told == expected  # once each; not the other office, other townships, deputies
    assert all(n.due_on == due and n.params["item_id"] == item.id for n in sent)
    assert f"代表对答复不满意，须于 {due.isoformat()} 前重新答复" in sent[0].text
    assert item.title in sent[0].text

    page = people.client("joint_clerk").get("/notifications")
    assert f"代表对答复不满意，须于 {due.isoformat()} 前重新答复" in text_of(page)
    assert f"/items/{item.id}#answer-opinion" in html_of(page)
    assert "代表对答复不满意" not in text_of(people.client("other_clerk").get("/notifications"))
    assert "代表对答复不满意" not in text_of(people.client("presidium_elsewhere").get("/notifications"))


def test_the_office_home_shows_the_fresh_handling_due_date(people, proposer, joint_office):
    item = _suggestion(people, proposer, joint_office)
    home = text_of(people.client("lead_clerk").get("/"))
    assert item.title not in home.split("待答复的代表建议")[1].split("待签收")[0]  # answered: nothing to do

    people.client("proposer").post(
        f"/items/{item.id}/opinion", data={"opinion": "dissatisfied", "comment": "不行"}
    )

    due = add_months_clamped(today(), 1)
    for clerk in ("lead_clerk", "joint_clerk"):
        home = text_of(people.client(clerk).get("/"))
        card = home.split("待答复的代表建议")[1].split("待签收")[0]
        assert item.title in card and f"重新办理，须于 {due.isoformat()} 前重新答复" in card


def test_the_presidium_home_lists_suggestions_handled_afresh(people, proposer, joint_office):
    item = _suggestion(people, proposer, joint_office)
    assert "代表不满意、重新办理中的建议" not in text_of(people.client("presidium").get("/"))

    people.client("proposer").post(
        f"/items/{item.id}/opinion", data={"opinion": "dissatisfied", "comment": "不行"}
    )

    home = text_of(people.client("presidium").get("/"))
    card = home.split("代表不满意、重新办理中的建议")[1]
    assert item.title in card and f"须于 {add_months_clamped(today(), 1).isoformat()} 前重新答复" in card
    assert item.title not in text_of(people.client("presidium_elsewhere").get("/"))


def test_the_offices_new_answer_settles_the_notifications(people, proposer, joint_office):
    item = _suggestion(people, proposer, joint_office)
    people.client("proposer").post(
        f"/items/{item.id}/opinion", data={"opinion": "dissatisfied", "comment": "不行"}
    )
    assert len(_notifications()) == 3 and all(n.read_at is None for n in _notifications())

    response = people.client("joint_clerk").post(
        f"/items/{item.id}/answer", data={"answer_class": "A", "answer_text": "两组路灯已于本月装好。"}
    )

    assert response.status_code == 302
    db.session.expire_all()
    assert all(n.read_at is not None and n.params.get("done") for n in _notifications())
    assert "已办结" in text_of(people.client("presidium").get("/notifications"))
