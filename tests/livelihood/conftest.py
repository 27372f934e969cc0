"""A township collecting next year's livelihood project proposals, and a second one for isolation."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from supervise.core.clock import today
from supervise.extensions import db, limiter
from supervise.livelihood import operations as ops
from supervise.livelihood.models import ProposalPeriod


@dataclass
class Collecting:
    factory: object
    township: object
    chair: object
    period: ProposalPeriod

    @property
    def slug(self) -> str:
        return self.township.slug

    def propose(self, user=None, **fields):
        fields.setdefault("title", "沙坪村通组道路硬化")
        fields.setdefault("problem", "雨天道路泥泞，学生上学不便。")
        if user is None:
            fields.setdefault("proposer_name", "李大伯")
        proposal = ops.submit_proposal(self.period, ops.ProposalText(**fields), user)
        db.session.commit()
        return proposal

    def decide(self, proposal, action, **given):
        ops.decide(self.chair, proposal, action, ops.ProposalInput(**given))
        db.session.commit()
        return proposal


def start_collecting(factory, township=None) -> Collecting:
    township = township or factory.default_township
    chair = factory.user("presidium", township=township, display_name="王建华")
    period = ops.create_period(chair, township, today().year + 1, today(), None)
    ops.open_period(chair, period)
    db.session.commit()
    return Collecting(factory, township, chair, period)


@pytest.fixture
def collecting(factory) -> Collecting:
    return start_collecting(factory)


@pytest.fixture(autouse=True)
def fresh_limits(app):
    limiter.reset()
    yield
    limiter.reset()
