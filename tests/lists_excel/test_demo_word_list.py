"""The demo's livelihood list of the year comes from a Word table through the import."""

from __future__ import annotations

from sqlalchemy import select

from supervise.core.clock import today
from supervise.core.demo_calendar import DemoCalendar
from supervise.demo import seed_demo
from supervise.extensions import db
from supervise.lists.models import ItemState, ListKind, SupervisionList
from supervise.org.models import Office, Township


def test_the_demo_imports_its_livelihood_list_from_word(app):
    seed_demo()
    db.session.commit()
    year = DemoCalendar(today()).year
    township = db.session.execute(select(Township).where(Township.name == "江口镇")).scalar_one()
    livelihood = db.session.execute(
        select(SupervisionList).where(
            SupervisionList.township_id == township.id,
            SupervisionList.year == year,
            SupervisionList.kind == ListKind.livelihood,
        )
    ).scalar_one()
    items = {item.title: item for item in livelihood.items}

    assert livelihood.categories == ["医疗卫生", "教育", "交通出行"]
    clinic, kindergarten = items["村卫生室标准化建设"], items["江口中心幼儿园扩建"]
    assert clinic.number == 1 and clinic.lead_office.name == "社会保障服务站"  # the suggestion taken
    assert clinic.state is ItemState.supervising
    assert [o.name for o in kindergarten.joint_lead_offices] == ["规划建设环保办公室"]
    assert kindergarten.planned_funds_approx and kindergarten.end_year == year + 1
    assert items["高桥至沙坪村道安全防护"].deadline_text == "下半年"
    offices = set(db.session.execute(select(Office.name).where(Office.township_id == township.id)).scalars())
    assert {"江口镇中心卫生院", "镇交通运输站"} <= offices and "镇社会保障服务站" not in offices
