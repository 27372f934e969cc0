"""A township ready for its monthly notice: a chair, the construction office, items under
supervision with this month's reports, and a second township to show isolation."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from supervise.core.clock import today
from supervise.extensions import db

MONTH = today().replace(day=1)


@dataclass
class Town:
    factory: object
    township: object
    chair: object
    office: object
    items: list = field(default_factory=list)

    def publish(self, **kwargs):
        notice = self.factory.published_notice(self.chair, **kwargs)
        db.session.commit()
        return notice

    def notice_url(self, notice, suffix: str = "") -> str:
        return f"/public/{self.township.slug}/notices/{notice.id}{suffix}"


def make_town(factory, township=None, items: int = 2, name: str = "王建华") -> Town:
    township = township or factory.default_township
    office = factory.office(township, name="规划建设环保办公室")
    chair = factory.user("presidium", township=township, display_name=name)
    supervisors = [factory.deputy(township, name="杨春花", phone="13891501000")]
    made = []
    for n in range(items):
        item = factory.item(
            "supervising",
            township=township,
            title="集镇道路改造提升项目" if n == 0 else f"沙坪村产业路硬化{n}",
            lead_office_id=office.id,
            supervisors=supervisors,
            escalation_note="内部备注：进度慢，考虑约谈",
        )
        factory.report_row(item, percent=60, done="路基完成，正在铺设沥青。", problems="雨季影响工期。")
        made.append(item)
    db.session.commit()
    return Town(factory, township, chair, office, made)


@pytest.fixture
def town(factory) -> Town:
    return make_town(factory)
