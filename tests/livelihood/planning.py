"""A fixed scene for the vote's tests: a township's collection with decided proposals, a plan for
its year, a government clerk of the lead office, and candidates made on request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from supervise.extensions import db
from supervise.livelihood import plan_operations as plan_ops
from supervise.livelihood.plan_models import Candidate, VotePlan

from .conftest import Collecting, start_collecting


@dataclass
class Planning:
    collecting: Collecting
    plan: VotePlan
    clerk: object
    office: object
    proposals: list

    @property
    def chair(self):
        return self.collecting.chair

    def text(self, title="沙坪村通组道路硬化", **fields) -> plan_ops.CandidateText:
        fields.setdefault("amount_wan", Decimal("80"))
        fields.setdefault("lead_office_id", self.office.id)
        fields.setdefault("deadline", date(self.plan.year, 9, 30))
        return plan_ops.CandidateText(title=title, **fields)

    def candidates(self, n: int, **fields) -> list[Candidate]:
        made = [
            plan_ops.create_candidate(self.clerk, self.plan, self.text(f"候选项目{i + 1}", **fields))
            for i in range(n)
        ]
        db.session.commit()
        return made


def start_planning(factory, township=None, places=2) -> Planning:
    collecting = start_collecting(factory, township)
    office = factory.office(collecting.township, name=f"规划建设环保办公室{collecting.township.id}")
    clerk = factory.user("government", township=collecting.township, office_id=office.id)
    proposals = [collecting.propose(title=f"建议{n}") for n in range(4)]
    collecting.decide(proposals[0], "accept")
    collecting.decide(proposals[0], "forward")
    collecting.decide(proposals[1], "accept")
    collecting.decide(proposals[2], "merge", kept=proposals[1])
    collecting.decide(proposals[3], "reject", reason="不属于镇级事权。")
    plan = plan_ops.create_plan(
        collecting.chair, collecting.township, collecting.period.year, collecting.period, places
    )
    db.session.commit()
    return Planning(collecting, plan, clerk, office, proposals)


def form_of(planning: Planning, **changes) -> dict:
    data = {
        "title": "高桥村便民桥加固",
        "content": "桥面重铺，加装护栏。",
        "target": "汛期安全通行。",
        "amount_wan": "25",
        "fund_source": "镇级财政",
        "lead_office_id": str(planning.office.id),
        "deadline": f"{planning.plan.year}-06-30",
        "proposal_ids": [str(planning.proposals[0].id)],
    }
    data.update(changes)
    return data
