"""Liaison-station activity days (活动日座谈会): minutes linked into each discussed item's timeline."""

from __future__ import annotations

from datetime import date, timedelta

from supervise.core.clock import today
from supervise.extensions import db
from supervise.lists.models import Item, ItemEvent, ItemState
from supervise.meetings.models import ActivityDay
from tests.helpers import count, text_of


def day_form(station, items, offices=(), **overrides) -> dict:
    data = {
        "station_id": str(station.id),
        "held_on": "2026-06-15",
        "item_ids": [str(i.id) for i in items],
        "office_ids": [str(o.id) for o in offices],
        "minutes": "交通站汇报道路改造进度，代表建议雨季前完成排水沟。",
    }
    data.update(overrides)
    return data


def test_an_activity_day_is_linked_into_each_discussed_items_timeline(client, factory, chair):
    station = factory.station(name="江口镇代表联络站")
    office = factory.office(name="交通站")
    road = factory.item("supervising", title="集镇道路改造提升项目")
    done = factory.item("completed", title="村级活动室改造")

    response = client.post("/activity-days/new", data=day_form(station, [road, done], [office]))

    assert response.status_code == 302
    activity_day = db.session.execute(db.select(ActivityDay)).scalar_one()
    assert response.headers["Location"].endswith(f"/activity-days/{activity_day.id}")
    assert activity_day.township_id == chair.township_id and activity_day.recorded_by_id == chair.id
    for item_id, state in ((road.id, ItemState.supervising), (done.id, ItemState.completed)):
        item = db.session.get(Item, item_id)
        assert item.state is state  # no state change
        page = client.get(f"/items/{item_id}")
        timeline = text_of(page)
        assert "联络站活动日座谈" in timeline
        assert "江口镇代表联络站（2026-06-15）：交通站汇报道路改造进度" in timeline
        assert "汇报站所：交通站" in timeline
        assert f'href="/activity-days/{activity_day.id}"' in page.get_data(as_text=True)

    detail = text_of(client.get(f"/activity-days/{activity_day.id}"))
    assert "江口镇代表联络站" in detail and "雨季前完成排水沟" in detail and "集镇道路改造提升项目" in detail
    listing = text_of(client.get("/activity-days/"))
    assert "江口镇代表联络站" in listing and "集镇道路改造提升项目" in listing


def test_bad_input_is_refused_in_chinese_and_nothing_is_written(client, factory, chair):
    station = factory.station()
    item = factory.item("supervising")
    events_before = count(ItemEvent)

    empty = client.post("/activity-days/new", data=day_form(station, [], station_id="", minutes=""))
    assert empty.status_code == 200
    page = text_of(empty)
    assert "请选择联络站" in page and "请至少选择一个座谈的事项" in page and "请填写座谈会纪要" in page

    future = (today() + timedelta(days=3)).isoformat()
    too_late = client.post("/activity-days/new", data=day_form(station, [item], held_on=future))
    assert too_late.status_code == 409
    assert "活动日期不能晚于今天" in text_of(too_late)
    assert "雨季前完成排水沟" in too_late.get_data(as_text=True)

    foreign_station = factory.station(factory.township("外镇"))
    foreign = client.post("/activity-days/new", data=day_form(foreign_station, [item]))
    assert foreign.status_code == 409 and "所选联络站必须属于本镇" in text_of(foreign)

    draft = factory.item("draft")
    drafted = client.post("/activity-days/new", data=day_form(station, [draft]))
    assert drafted.status_code == 409 and "尚未列入清单" in text_of(drafted)

    assert count(ActivityDay) == 0
    assert count(ItemEvent) == events_before


def test_the_list_page_runs_the_same_queries_for_3_and_30_days(client, factory, chair, count_queries):
    station = factory.station()

    def add(n):
        for _ in range(n):
            db.session.add(
                ActivityDay(
                    township_id=chair.township_id,
                    station_id=station.id,
                    held_on=date(2026, 6, 1),
                    minutes="纪要",
                    items=[factory.item("supervising")],
                    offices=[factory.office()],
                )
            )
        db.session.commit()

    add(3)
    with count_queries() as few:
        assert client.get("/activity-days/").status_code == 200
    add(27)
    with count_queries() as many:
        assert client.get("/activity-days/").status_code == 200
    assert few.count == many.count
