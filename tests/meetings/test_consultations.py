"""Consultations (会商): opening puts items into consulting together or not at all; concluding
records the measures, returns the items to supervising and amends their deadline on the timeline."""

from __future__ import annotations

from datetime import date

from supervise.extensions import db
from supervise.lists.models import Item, ItemEvent, ItemState
from supervise.meetings.models import Consultation
from tests.helpers import count, text_of


def open_form(items, **overrides) -> dict:
    data = {
        "held_on": "2026-05-10",
        "place": "镇政府三楼会议室",
        "attendees": "张建国（副镇长）、李明（交通站站长）",
        "item_ids": [str(i.id) for i in items],
    }
    data.update(overrides)
    return data


def test_the_new_form_offers_supervising_items_and_preselects_the_one_asked_for(client, factory, chair):
    wanted = factory.item("supervising", title="集镇道路改造提升项目")
    other = factory.item("supervising", title="村级活动室改造")
    listed = factory.item("listed", title="尚未指定监督员的事项")

    page = client.get(f"/consultations/new?item={wanted.id}").get_data(as_text=True)

    assert f'value="{wanted.id}" id="item_ids-{wanted.id}" checked' in page
    assert f'value="{other.id}" id="item_ids-{other.id}">' in page
    assert listed.title not in page


def test_opening_with_an_item_not_supervising_changes_nothing(client, factory, chair):
    ready = factory.item("supervising")
    not_ready = factory.item("listed")
    events_before = count(ItemEvent)

    response = client.post("/consultations/new", data=open_form([ready, not_ready]))

    assert response.status_code == 409
    page = text_of(response)
    assert "只有“监督中”的事项才能提请会商" in page
    assert f"{not_ready.code}（已列入清单）" in page
    assert "李明（交通站站长）" in response.get_data(as_text=True)  # what was typed is kept
    assert db.session.get(Item, ready.id).state is ItemState.supervising
    assert db.session.get(Item, not_ready.id).state is ItemState.listed
    assert count(Consultation) == 0
    assert count(ItemEvent) == events_before


def test_a_consultation_far_ahead_is_refused_with_the_typing_kept(client, factory, chair):
    from datetime import timedelta

    from supervise.core.clock import today

    item = factory.item("supervising")
    too_far = (today() + timedelta(days=91)).isoformat()
    response = client.post("/consultations/new", data=open_form([item], held_on=too_far))
    assert response.status_code == 409 and f"会商日期 {too_far} 不对" in text_of(response)
    assert "李明（交通站站长）" in response.get_data(as_text=True) and count(Consultation) == 0
    soon = (today() + timedelta(days=90)).isoformat()
    assert client.post("/consultations/new", data=open_form([item], held_on=soon)).status_code == 302


def test_opening_with_another_townships_item_changes_nothing(client, factory, chair):
    mine = factory.item("supervising")
    foreign = factory.item("supervising", township=factory.township("外镇"))

    response = client.post("/consultations/new", data=open_form([mine, foreign]))

    assert response.status_code == 409
    assert "所选事项必须属于本镇" in text_of(response)
    assert db.session.get(Item, mine.id).state is ItemState.supervising
    assert db.session.get(Item, foreign.id).state is ItemState.supervising
    assert count(Consultation) == 0


def test_bad_input_is_shown_in_chinese_with_the_typed_values_kept(client, factory, chair):
    item = factory.item("supervising")

    response = client.post(
        "/consultations/new", data=open_form([], held_on="2026-13-45", attendees="", place="村委会")
    )

    assert response.status_code == 200
    page = text_of(response)
    assert "日期格式不正确" in page
    assert "请至少选择一个事项" in page
    assert "请填写参加会商的人员" in page
    assert 'value="2026-13-45"' in response.get_data(as_text=True)
    assert 'value="村委会"' in response.get_data(as_text=True)
    assert db.session.get(Item, item.id).state is ItemState.supervising


def test_an_unknown_item_id_is_refused_not_a_500(client, factory, chair):
    response = client.post("/consultations/new", data={**open_form([]), "item_ids": ["99999", "abc"]})
    assert response.status_code == 200
    assert count(Consultation) == 0


def test_open_and_conclude_with_a_new_deadline_shows_on_each_items_timeline(client, factory, chair):
    office = factory.office(name="交通站")
    road = factory.item("supervising", title="集镇道路改造提升项目", deadline=date(2026, 8, 31))
    bridge = factory.item("supervising", title="便民桥维修", deadline=date(2026, 9, 30))

    opened = client.post(
        "/consultations/new", data={**open_form([road, bridge]), "office_ids": [str(office.id)]}
    )
    assert opened.status_code == 302
    consultation = db.session.execute(db.select(Consultation)).scalar_one()
    assert opened.headers["Location"].endswith(f"/consultations/{consultation.id}")
    assert [i.id for i in sorted(consultation.items, key=lambda i: i.id)] == [road.id, bridge.id]
    assert [o.name for o in consultation.offices] == ["交通站"]
    assert {db.session.get(Item, i).state for i in (road.id, bridge.id)} == {ItemState.consulting}

    item_page = client.get(f"/items/{road.id}")
    timeline = text_of(item_page)
    assert "提请会商 监督中 → 会商中" in timeline
    assert "会商记录" in timeline and "地点：镇政府三楼会议室" in timeline
    assert f'href="/consultations/{consultation.id}"' in item_page.get_data(as_text=True)
    # The item page's 结束会商 button leads to the consultation that holds the item (meetings tells it).
    assert f'href="/consultations/{consultation.id}/conclude"' in item_page.get_data(as_text=True)

    detail = text_of(client.get(f"/consultations/{consultation.id}"))
    assert "会商中" in detail and "结束会商" in detail and "张建国（副镇长）" in detail

    concluded = client.post(
        f"/consultations/{consultation.id}/conclude",
        data={"measures": "交通站增派施工力量，每周向主席团报告进度", "new_deadline": "2026-11-30"},
    )
    assert concluded.status_code == 302

    db.session.expire_all()
    consultation = db.session.get(Consultation, consultation.id)
    assert consultation.concluded_at is not None and consultation.concluded_by_id == chair.id
    assert consultation.new_deadline == date(2026, 11, 30)
    for item_id in (road.id, bridge.id):
        item = db.session.get(Item, item_id)
        assert item.state is ItemState.supervising
        assert item.deadline == date(2026, 11, 30)

    timeline = text_of(client.get(f"/items/{road.id}"))
    assert "会商结束 会商中 → 监督中" in timeline
    assert "修改事项" in timeline
    assert "理由：2026-05-10 会商（镇政府三楼会议室）商定新的完成时限" in timeline
    assert "完成时限： 2026-08-31 → 2026-11-30" in timeline
    assert "会商商定措施：交通站增派施工力量" in timeline
    assert "新的完成时限：2026-11-30" in timeline
    assert "2026-09-30 → 2026-11-30" in text_of(client.get(f"/items/{bridge.id}"))

    detail = client.get(f"/consultations/{consultation.id}")
    assert "已结束" in text_of(detail) and "交通站增派施工力量" in text_of(detail)
    assert f"/consultations/{consultation.id}/conclude" not in detail.get_data(as_text=True)


def test_concluding_without_a_new_deadline_leaves_deadlines_alone(client, factory, chair):
    item = factory.item("supervising", deadline=date(2026, 8, 31))
    client.post("/consultations/new", data=open_form([item]))
    consultation = db.session.execute(db.select(Consultation)).scalar_one()

    response = client.post(f"/consultations/{consultation.id}/conclude", data={"measures": "按原计划推进"})

    assert response.status_code == 302
    item = db.session.get(Item, item.id)
    assert item.state is ItemState.supervising and item.deadline == date(2026, 8, 31)
    assert [e.action for e in item.events][-2:] == ["conclude_consultation", "consultation_record"]


def test_conclude_form_errors_keep_the_input_and_change_nothing(client, factory, chair):
    item = factory.item("supervising")
    client.post("/consultations/new", data=open_form([item]))
    consultation = db.session.execute(db.select(Consultation)).scalar_one()

    bad_date = client.post(
        f"/consultations/{consultation.id}/conclude", data={"measures": "增加投入", "new_deadline": "明年"}
    )
    assert bad_date.status_code == 200
    assert "日期格式不正确" in text_of(bad_date) and "增加投入" in bad_date.get_data(as_text=True)

    too_early = client.post(
        f"/consultations/{consultation.id}/conclude",
        data={"measures": "增加投入", "new_deadline": "2026-01-01"},
    )
    assert too_early.status_code == 409
    assert "新的完成时限不能早于会商日期" in text_of(too_early)

    no_measures = client.post(f"/consultations/{consultation.id}/conclude", data={"measures": " "})
    assert "请填写商定的措施" in text_of(no_measures)

    assert db.session.get(Consultation, consultation.id).concluded_at is None
    assert db.session.get(Item, item.id).state is ItemState.consulting


def test_a_concluded_consultation_cannot_be_concluded_again(client, factory, chair):
    item = factory.item("supervising")
    client.post("/consultations/new", data=open_form([item]))
    consultation = db.session.execute(db.select(Consultation)).scalar_one()
    client.post(f"/consultations/{consultation.id}/conclude", data={"measures": "增加投入"})

    again = client.get(f"/consultations/{consultation.id}/conclude")

    assert again.status_code == 302
    assert again.headers["Location"].endswith(f"/consultations/{consultation.id}")
    assert [e.action for e in db.session.get(Item, item.id).events].count("conclude_consultation") == 1


def test_an_item_concluded_elsewhere_is_left_as_it_is(client, factory, chair):
    """Items that left consulting (e.g. withdrawn) get the record but no transition or amendment."""
    kept = factory.item("supervising")
    gone = factory.item("supervising", deadline=date(2026, 8, 31))
    client.post("/consultations/new", data=open_form([kept, gone]))
    consultation = db.session.execute(db.select(Consultation)).scalar_one()
    gone = db.session.get(Item, gone.id)
    gone.state, gone.withdrawn_reason = ItemState.withdrawn, "镇人大决定撤销"
    db.session.commit()

    response = client.post(
        f"/consultations/{consultation.id}/conclude",
        data={"measures": "增加投入", "new_deadline": "2026-12-15"},
    )

    assert response.status_code == 302
    gone = db.session.get(Item, gone.id)
    assert gone.state is ItemState.withdrawn and gone.deadline == date(2026, 8, 31)
    assert gone.events[-1].action == "consultation_record"
    assert db.session.get(Item, kept.id).deadline == date(2026, 12, 15)


def test_consultation_list_shows_the_townships_consultations(client, factory, chair):
    item = factory.item("supervising", title="集镇道路改造提升项目")
    client.post("/consultations/new", data=open_form([item]))
    foreign = Consultation(
        township_id=factory.township("外镇").id, held_on=date(2026, 4, 1), place="外镇会议室"
    )
    db.session.add(foreign)

    page = text_of(client.get("/consultations/"))

    assert "集镇道路改造提升项目" in page and "镇政府三楼会议室" in page
    assert "外镇会议室" not in page
    assert "镇政府三楼会议室" not in text_of(client.get("/consultations/?status=concluded"))


def test_the_list_page_runs_the_same_queries_for_3_and_30_consultations(
    client, factory, chair, count_queries
):
    def add(n):
        for _ in range(n):
            consultation = Consultation(
                township_id=chair.township_id,
                held_on=date(2026, 4, 1),
                items=[factory.item("consulting"), factory.item("consulting")],
                offices=[factory.office()],
            )
            db.session.add(consultation)
        db.session.commit()

    add(3)
    with count_queries() as few:
        assert client.get("/consultations/").status_code == 200
    add(27)
    with count_queries() as many:
        assert client.get("/consultations/").status_code == 200
    assert few.count == many.count


def test_a_voted_projects_new_deadline_needs_the_congress_decision(client, factory, chair):
    """A livelihood project chosen by the deputies' vote changes only by a congress decision: the
    conclusion asks for it, keeps the typing and changes nothing without it, and records it."""
    voted = factory.item("supervising", title="小河口村便民桥重建", deadline=date(2026, 8, 31))
    voted.chosen_by_vote = True
    plain = factory.item("supervising", title="村级活动室改造", deadline=date(2026, 9, 30))
    client.post("/consultations/new", data=open_form([voted, plain]))
    consultation = db.session.execute(db.select(Consultation)).scalar_one()
    form = client.get(f"/consultations/{consultation.id}/conclude")
    assert "人大决定（文号或会议）" in text_of(form)

    data = {"measures": "增派施工力量", "new_deadline": "2026-11-30"}
    refused = client.post(f"/consultations/{consultation.id}/conclude", data=data)

    assert refused.status_code == 409
    assert f"{voted.code} 由代表票决产生，调整完成时限须依据人大的决定" in text_of(refused)
    assert "增派施工力量" in refused.get_data(as_text=True)  # the typing stays
    db.session.expire_all()
    assert db.session.get(Consultation, consultation.id).concluded_at is None
    assert db.session.get(Item, plain.id).deadline == date(2026, 9, 30)

    decision = "江口镇第十八届人大第五次会议决定"
    concluded = client.post(f"/consultations/{consultation.id}/conclude", data={**data, "decision": decision})

    assert concluded.status_code == 302
    db.session.expire_all()
    assert {db.session.get(Item, i.id).deadline for i in (voted, plain)} == {date(2026, 11, 30)}
    amended = next(e for e in db.session.get(Item, voted.id).events if e.action == "amend")
    assert amended.details["decision"] == decision
    assert text_of(client.get(f"/items/{voted.id}")).count(decision) == 1  # once on the timeline


def test_the_decision_field_shows_only_for_a_consultation_on_a_voted_project(client, factory, chair):
    item = factory.item("supervising")
    client.post("/consultations/new", data=open_form([item]))
    consultation = db.session.execute(db.select(Consultation)).scalar_one()

    assert "人大决定" not in text_of(client.get(f"/consultations/{consultation.id}/conclude"))
