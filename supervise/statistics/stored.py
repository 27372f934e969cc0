"""The townships' counts of a year, kept in the page cache under their data versions.

Counting a county's year reads every item's months (reporting.py): seconds for 30 townships of 300
items. The counts are kept (core/cache.py's store, Redis when configured) under a key that holds
the townships, their data versions and the every-township version, the year and the day: any
change a count depends on bumps a version in its own transaction, so a kept count is never stale,
and the annual report, the statistics page and the county page share one counting. The versions are
read before the counts, so a count is never older than its key.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

from sqlalchemy import select

from ..core import cache
from ..extensions import db
from ..org.models import Township
from ..progress.calendar import MonthStatus
from .figures import Figures, township_figures
from .reporting import ReportCounts, report_counts


def versions_of(township_ids: list[int]) -> list[tuple[int, int]]:
    """(township id, data version) of these townships and of every township (0), in one statement."""
    rows = db.session.execute(
        select(cache.DataVersion.township_id, cache.DataVersion.version).where(
            cache.DataVersion.township_id.in_([cache.EVERY_TOWNSHIP, *township_ids])
        )
    )
    return sorted(tuple(row) for row in rows)


def counted(
    townships: list[Township], year: int, day: date
) -> tuple[dict[int, Figures], dict[int, ReportCounts]]:
    """``township_figures`` and ``report_counts`` of these townships, from the cache when current."""
    ids = sorted(t.id for t in townships)
    key = cache.fragment_key("statistics counts", ids, versions_of(ids), year, day.isoformat())
    store = cache.page_cache().store
    kept = store.get_bytes(key)
    if kept is not None:
        return _loads(kept)
    figures = township_figures(ids, year, day)
    reports = report_counts(townships, year, day)
    store.set_bytes(key, _dumps(figures, reports))
    return figures, reports


def _dumps(figures: dict[int, Figures], reports: dict[int, ReportCounts]) -> bytes:
    return json.dumps(
        {
            str(tid): {
                "figures": dict(figures[tid]),
                "statuses": {s.value: n for s, n in reports[tid].statuses.items()},
                "by_month": [[m, s.value, n] for (m, s), n in reports[tid].by_month.items()],
                "missing": {str(m): n for m, n in reports[tid].missing_by_month.items()},
            }
            for tid in figures
        }
    ).encode()


def _loads(data: bytes) -> tuple[dict[int, Figures], dict[int, ReportCounts]]:
    figures, reports = {}, {}
    for tid, kept in json.loads(data).items():
        figures[int(tid)] = Counter(kept["figures"])
        reports[int(tid)] = ReportCounts(
            Counter({MonthStatus(s): n for s, n in kept["statuses"].items()}),
            Counter({int(m): n for m, n in kept["missing"].items()}),
            Counter({(m, MonthStatus(s)): n for m, s, n in kept["by_month"]}),
        )
    return figures, reports
