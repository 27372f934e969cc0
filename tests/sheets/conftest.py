"""Helpers for sheet tests: a township with a presidium member, the addressed office's clerk and
sheets walked to any state through the operations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from supervise.core.clock import today
from supervise.extensions import db
from supervise.sheets import operations as ops
from supervise.sheets.models import FollowUpSheet

# The order a sheet goes through; "returned" is reached from answered.
PATH = ["draft", "issued", "acknowledged", "answered", "verified"]


@dataclass
class Township:
    factory: object
    chair: object
    clerk: object
    office: object
    items: list = field(default_factory=list)

    def sheet(self, state: str = "draft", findings: list[str] | None = None, office=None, **fields):
        """A sheet on this township's items, walked to ``state`` the way the township would."""
        lines = [(item, f"{item.title}：进度滞后。") for item in self.items]
        lines += [(None, text) for text in findings or []]
        values = {
            "title": fields.pop("title", "关于加快集镇污水处理站建设的督办单"),
            "requirements": fields.pop("requirements", "请于办理时限内制定赶工计划并书面报告。"),
            "deadline": fields.pop("deadline", date(2026, 12, 31)),
            "leader_name": fields.pop("leader_name", "张建国"),
        }
        # A deadline already past is one the sheet reached while it waited: it was drafted and
        # issued when the day was still ahead (never with a past one), and has aged since.
        aged = values["deadline"] if values["deadline"] and values["deadline"] < today() else None
        if aged:
            values["deadline"] = today()
        sheet = ops.create_sheet(self.chair, values, office or self.office, lines)
        clerk = self.clerk if office is None else self.factory.user("government", office_id=office.id)
        walk(sheet, state, self.chair, clerk)
        if aged:
            sheet.deadline = aged
        db.session.commit()
        return sheet


def walk(sheet: FollowUpSheet, state: str, chair, clerk) -> None:
    target = "answered" if state == "returned" else state
    for step in PATH[1 : PATH.index(target) + 1]:
        if step == "issued":
            ops.issue_sheet(chair, sheet)
        elif step == "acknowledged":
            ops.acknowledge_sheet(clerk, sheet)
        elif step == "answered":
            ops.answer_sheet(clerk, sheet, measures="已增加作业班组，赶工完成。", evidence="验收报告。")
        elif step == "verified":
            ops.verify_sheet(chair, sheet, opinion="经核实，已按要求整改到位。")
    if state == "returned":
        ops.return_sheet(chair, sheet, reason="答复没有说明资金来源。")


@pytest.fixture
def town(factory) -> Township:
    return make_township(factory)


def make_township(factory) -> Township:
    """A township's chair, an office's clerk and two of the office's items, the first spanning years."""
    office = factory.office(name="规划建设环保办公室")
    chair = factory.user("presidium", display_name="王主席")
    clerk = factory.user("government", office_id=office.id, display_name="刘静")
    items = [
        # A works spanning years (跨年度): an extension a month or more ahead stays within its
        # years (sheets.workflow.latest_deadline) whatever day the tests run.
        factory.item(
            "supervising",
            title="集镇污水处理站提标改造",
            lead_office_id=office.id,
            end_year=today().year + 1,
        ),
        factory.item("listed", title="沙坪村产业路硬化", lead_office_id=office.id),
    ]
    db.session.commit()
    return Township(factory, chair, clerk, office, items)
