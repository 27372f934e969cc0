"""Helpers for the monthly cycle: a township with a lead office clerk, a supervisor and an item
under supervision since three months ago (dates relative to today, as the pages use today)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from supervise.core.clock import today
from supervise.core.dates import month_of, shift_month
from supervise.extensions import db
from supervise.org.models import Deputy


def month_arg(month) -> str:
    return f"{month.year}-{month.month:02d}"


@dataclass
class Cycle:
    factory: object
    clerk: object
    supervisor: object
    chair: object
    item: object
    this_month: object

    def item_like(self, **fields):
        """Another item of the same office and supervisor, under supervision for as long."""
        return self.factory.supervised_item(
            shift_month(self.this_month, -3),
            lead_office_id=self.clerk.office_id,
            supervisors=[db.session.get(Deputy, self.supervisor.deputy_id)],
            **fields,
        )


@pytest.fixture
def cycle(factory) -> Cycle:
    clerk = factory.user("government")
    supervisor = factory.user("deputy")
    chair = factory.user("presidium")
    this_month = month_of(today())
    item = factory.supervised_item(
        shift_month(this_month, -3),
        lead_office_id=clerk.office_id,
        supervisors=[db.session.get(Deputy, supervisor.deputy_id)],
        title="集镇污水处理站提标改造",
    )
    db.session.commit()
    return Cycle(factory, clerk, supervisor, chair, item, this_month)
