"""The data of bench/scale.py: counties of townships with 300 items a year over several years (lists,
supervisors, state events, monthly reports, follow-up sheets, published notices, evaluation
results), written by bulk inserts that follow the schema."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask import Flask  # noqa: E402
from sqlalchemy import text  # noqa: E402

from supervise.accounts.passwords import hash_password  # noqa: E402
from supervise.core.clock import today  # noqa: E402
from supervise.core.dates import month_of, shift_month  # noqa: E402
from supervise.core.permissions import Role  # noqa: E402
from supervise.evaluation.models import MeetingState  # noqa: E402
from supervise.extensions import db  # noqa: E402
from supervise.lists.models import ItemState, ListKind, Rating  # noqa: E402
from supervise.org.models import DeputyLevel  # noqa: E402
from supervise.sheets.models import SheetState  # noqa: E402

PASSWORD = "bench-password-1"  # noqa: S105 (a generated database nobody else uses)
TOWNSHIPS_PER_COUNTY = 3
BATCH = 5000


class Ids:
    """Primary keys handed out here, so that bulk inserts need no RETURNING."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        self._next[table] = self._next.get(table, 0) + 1
        return self._next[table]


class Writer:
    """Rows collected per table and inserted in batches (executemany), parents before children."""

    ORDER = (
        "county",
        "township",
        "office",
        "deputy",
        "user",
        "supervision_list",
        "item",
        "supervisor_assignment",
        "item_event",
        "monthly_report",
        "follow_up_sheet",
        "follow_up_sheet_line",
        "public_notice",
        "public_notice_line",
        "ballot_meeting",
        "evaluation_meeting",
        "evaluation_published_result",
        "evaluation_published_line",
    )

    def __init__(self, connection) -> None:
        self.connection = connection
        self.rows: dict[str, list[dict]] = {name: [] for name in self.ORDER}
        self.counts: dict[str, int] = dict.fromkeys(self.ORDER, 0)

    def add(self, table: str, **row) -> None:
        self.rows[table].append(row)

    def flush(self) -> None:
        tables = db.metadata.tables
        for name in self.ORDER:
            rows = self.rows[name]
            # executemany wants the same columns in every row: one batch per set of columns.
            shapes: dict[tuple, list[dict]] = {}
            for row in rows:
                shapes.setdefault(tuple(row), []).append(row)
            for same in shapes.values():
                for start in range(0, len(same), BATCH):
                    self.connection.execute(tables[name].insert(), same[start : start + BATCH])
            self.counts[name] += len(rows)
            rows.clear()


def _township(w: Writer, ids: Ids, county_id: int, n: int, years: list[int], per_year: int, day: date):
    """One township: offices, deputies, a chair, and ``per_year`` items in each year's three lists."""
    township_id = ids("township")
    w.add(
        "township",
        id=township_id,
        county_id=county_id,
        name=f"镇{n:04d}",
        short_name=f"镇{n:04d}",
        slug=f"t{n:04d}",
    )
    offices = [ids("office") for _ in range(6)]
    for k, office_id in enumerate(offices):
        w.add("office", id=office_id, township_id=township_id, name=f"站所{k}")
    deputies = [ids("deputy") for _ in range(20)]
    for k, deputy_id in enumerate(deputies):
        w.add(
            "deputy", id=deputy_id, township_id=township_id, name=f"代表{n}-{k}", level=DeputyLevel.township
        )
    chair = ids("user")
    w.add(
        "user",
        id=chair,
        username=f"chair{n}",
        display_name="主席",
        password_hash=HASH,
        role=Role.presidium,
        township_id=township_id,
    )
    this_month = month_of(day)
    kinds = (ListKind.commitment, ListKind.suggestion, ListKind.livelihood)
    for year in years:
        current = year == day.year
        entered = datetime(year, 2, 1, 4)
        last_month = this_month if current else date(year, 10, 1)
        numbered = 0
        for kind in kinds:
            list_id = ids("supervision_list")
            w.add(
                "supervision_list",
                id=list_id,
                township_id=township_id,
                year=year,
                kind=kind,
                confirmed_at=datetime(year, 1, 20),
            )
            for number in range(1, per_year // len(kinds) + 1):
                numbered += 1
                item_id = ids("item")
                _item(w, ids, item_id, list_id, township_id, offices, deputies, kind, year, number, current)
                w.add(
                    "item_event",
                    item_id=item_id,
                    at=entered,
                    action="assign",
                    from_state=ItemState.listed,
                    to_state=ItemState.supervising,
                )
                if not current:
                    for month, state in ((11, ItemState.completed), (12, ItemState.closed)):
                        w.add(
                            "item_event",
                            item_id=item_id,
                            at=datetime(year, month, 5, 4),
                            action="step",
                            from_state=None,
                            to_state=state,
                        )
                month = date(year, 2, 1)
                while month <= last_month and (month < this_month or not current):
                    w.add(
                        "monthly_report",
                        item_id=item_id,
                        township_id=township_id,
                        month=month,
                        percent=min(100, 10 * month.month),
                        done="按计划推进",
                        submitted_at=datetime(month.year, month.month, 20, 4),
                    )
                    month = shift_month(month, 1)
        _sheets_notices_results(w, ids, township_id, year, day, chair)


def _item(w, ids, item_id, list_id, township_id, offices, deputies, kind, year, number, current) -> None:
    w.add(
        "item",
        id=item_id,
        list_id=list_id,
        township_id=township_id,
        number=number,
        code=f"{township_id}-{year}-{kind.value}-{number}",
        title=f"{year}年第{number}项：村组道路硬化与路灯安装",
        target="年底前完成并通过验收",
        lead_office_id=offices[number % len(offices)],
        deadline=date(year, 12, 31),
        state=ItemState.supervising if current else ItemState.closed,
        result=None if current else Rating.satisfied,
        wide_impact=number % 20 == 0,
        created_at=datetime(year, 1, 10),
    )
    w.add("supervisor_assignment", item_id=item_id, deputy_id=deputies[number % len(deputies)])


def _sheets_notices_results(w: Writer, ids: Ids, township_id: int, year: int, day: date, chair: int) -> None:
    for number in (1, 2):
        sheet_id = ids("follow_up_sheet")
        w.add(
            "follow_up_sheet",
            id=sheet_id,
            township_id=township_id,
            year=year,
            number=number,
            state=SheetState.issued,
            title=f"督办单{number}",
            issued_at=datetime(year, 6, 1),
        )
        w.add("follow_up_sheet_line", sheet_id=sheet_id, position=1, findings="进度滞后")
    last = month_of(day) if year == day.year else date(year, 12, 1)
    month = date(year, 2, 1)
    while month < last:
        notice_id = ids("public_notice")
        w.add(
            "public_notice",
            id=notice_id,
            township_id=township_id,
            month=month,
            title=f"{month:%Y年%m月}清单事项进展公示",
            published_at=datetime(month.year, month.month, 28),
            published_by_id=chair,
            issuer="主席团",
            year=year,
            number=month.month,
        )
        for position in range(1, 31):
            w.add(
                "public_notice_line",
                notice_id=notice_id,
                position=position,
                item_code=f"{position}",
                title="村组道路硬化",
                kind_label="政府承诺事项",
                state_label="监督中",
                lead_office_name="站所",
                supervisor_names="代表",
                target="按期完成",
                reported=True,
                percent=50,
                progress="按计划推进",
                problems="",
            )
        month = shift_month(month, 1)
    if year < day.year:
        meeting_id = ids("ballot_meeting")
        w.add(
            "ballot_meeting",
            id=meeting_id,
            kind="evaluation",
            township_id=township_id,
            year=year,
            held_on=date(year, 12, 20),
            state=MeetingState.closed,
            voting_opened_at=datetime(year, 12, 20, 2),
            closed_at=datetime(year, 12, 20, 3),
        )
        w.add("evaluation_meeting", id=meeting_id)
        result_id = ids("evaluation_published_result")
        w.add(
            "evaluation_published_result",
            id=result_id,
            township_id=township_id,
            meeting_id=meeting_id,
            title=f"{year}年度民主评议结果",
            held_on=date(year, 12, 20),
            roster=40,
            present=38,
            ballots=38,
        )
        for position in range(1, 31):
            w.add(
                "evaluation_published_line",
                result_id=result_id,
                position=position,
                title=f"事项{position}",
                satisfied=30,
                basic=6,
                dissatisfied=2,
                invalid=0,
                rate="94.7%",
            )


HASH = ""


def generate(app: Flask, scale: int, per_year: int = 300, years: int = 5, day: date | None = None) -> dict:
    """An empty database filled with ``scale`` counties of 3 townships; returns the row counts."""
    global HASH
    year_list: list[int] = []
    with app.app_context():
        HASH = HASH or hash_password(PASSWORD)
        day = day or today()
        year_list = list(range(day.year - years + 1, day.year + 1))
        db.session.remove()
        db.drop_all()
        db.create_all()
        ids = Ids()
        with db.engine.begin() as connection:
            w = Writer(connection)
            n = 0
            for c in range(scale):
                county_id = ids("county")
                w.add("county", id=county_id, name=f"县{c:04d}")
                if c == 0:
                    w.add(
                        "user",
                        id=ids("user"),
                        username="county",
                        display_name="县人大",
                        password_hash=HASH,
                        role=Role.county,
                        county_id=county_id,
                    )
                for _t in range(TOWNSHIPS_PER_COUNTY):
                    _township(w, ids, county_id, n, year_list, per_year, day)
                    n += 1
                    if len(w.rows["monthly_report"]) > 4 * BATCH:
                        w.flush()
            w.flush()
            if connection.dialect.name == "postgresql":
                for name in Writer.ORDER:
                    connection.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "  # noqa: S608
                            f'coalesce((SELECT max(id) FROM "{name}"), 0) + 1, false)'
                        )
                    )
                # As autovacuum would have by then. SQLite is left unanalysed, as the app leaves it: its
                # statistics count NULLs as one value and then prefer temporary indexes to unique ones.
                connection.execute(text("ANALYZE"))
        return w.counts
