"""Demo consultations (one concluded, one open) and a liaison-station activity day for 江口镇."""

from __future__ import annotations

from sqlalchemy import select

from ..core.demo_calendar import DemoCalendar
from ..extensions import db
from ..lists.models import Item
from ..org.models import LiaisonStation, Office
from . import operations as ops


def _item(code: str) -> Item:
    return db.session.execute(select(Item).where(Item.code == code)).scalar_one()


def seed_meetings(calendar: DemoCalendar, township, chair) -> None:
    offices = {
        o.name: o
        for o in db.session.execute(select(Office).where(Office.township_id == township.id)).scalars()
    }
    construction, farming = offices["规划建设环保办公室"], offices["农业综合服务站"]
    sewage, water = _item(calendar.code("C-002")), _item(calendar.code("C-003"))

    concluded = ops.open_consultation(
        chair,
        held_on=calendar.day(6, 18),
        place="镇政府三楼会议室",
        attendees="镇人大主席王建华，副镇长张建国，规划建设环保办公室、财政所负责人",
        items=[sewage],
        offices=[construction, offices["财政所"]],
    )
    ops.conclude_consultation(
        chair,
        concluded,
        measures="财政所 7 月底前拨付配套资金 80 万元；施工单位增加一个作业班组。",
        new_deadline=calendar.day(12, 20),
        conclusion="项目资金缺口已落实，按新时限推进。",
    )
    ops.open_consultation(
        chair,
        held_on=calendar.day(11, 12),
        place="高桥村村委会",
        attendees="镇人大主席王建华，副镇长张建国，高桥村党支部书记，规划建设环保办公室",
        items=[water],
        offices=[construction],
    )
    station = db.session.execute(
        select(LiaisonStation).where(
            LiaisonStation.township_id == township.id, LiaisonStation.name == "江口镇人大代表联络站"
        )
    ).scalar_one()
    ops.record_activity_day(
        chair,
        station=station,
        held_on=calendar.day(9, 20),
        minutes="规划建设环保办公室、农业综合服务站分别报告了污水处理站提标改造和农村人居环境整治的进展；"
        "代表们提出加快管网铺设、增加垃圾收集点等意见，两个单位当场作了回应。",
        items=[sewage, _item(calendar.code("C-007"))],
        offices=[construction, farming],
    )
