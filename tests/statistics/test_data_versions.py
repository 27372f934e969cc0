"""The figures' cached pages follow their data: a change to a row without a township of its own
(a finding) bumps the township of the row it belongs to (its inspection)."""

from __future__ import annotations

from supervise.core import cache
from supervise.extensions import db


def _version(township_id: int) -> int:
    found = db.session.get(cache.DataVersion, township_id)
    return found.version if found else 0


def test_a_changed_finding_bumps_its_inspections_township(factory):
    chair = factory.user("presidium")
    other = factory.user("presidium", township=factory.township("另一镇"))
    finding = factory.filed_finding(chair)
    db.session.commit()
    before, elsewhere = _version(chair.township_id), _version(other.township_id)

    finding.text = "路面裂缝已扩大。"
    db.session.commit()
    assert _version(chair.township_id) == before + 1
    assert _version(other.township_id) == elsewhere
