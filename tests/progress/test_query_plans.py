"""The index/plan test: on PostgreSQL, the statements of the chair's home page (on a change), the
month grid and the notice preview find items' events and reports through the indexes made for them,
never by reading a whole table (EXPLAIN, with sequential scans priced out so that the plan shows
which index each statement can use)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from supervise.extensions import db

WATCHED = ("item_event", "monthly_report")


def plans_of(client, paths: list[str]) -> dict[str, str]:
    """Each SELECT the pages run that reads a watched table, with its EXPLAIN output."""
    statements: list[tuple[str, object]] = []

    def note(_conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith("SELECT") and any(t in statement for t in WATCHED):
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        for path in paths:
            assert client.get(path).status_code == 200, path
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    plans = {}
    with db.engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in statements:
            rows = conn.exec_driver_sql("EXPLAIN " + statement, parameters).scalars().all()
            plans[statement] = "\n".join(rows)
    return plans


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)  # EXPLAIN plans are PostgreSQL's
def test_home_grid_and_notice_queries_use_the_indexes(backend, client, login_as, factory, cycle):
    factory.monthly_report(cycle.item, cycle.this_month)  # a change: the home page counts again
    db.session.commit()
    login_as(cycle.chair)
    plans = plans_of(client, ["/", "/progress/grid", "/notices/preview"])
    assert plans
    for statement, plan in plans.items():
        for table in WATCHED:
            assert not re.search(rf"Seq Scan on {table}\b", plan), (statement, plan)
        # A hashed subplan reads every township's rows of its subquery, not the items' own.
        assert "hashed SubPlan" not in plan, (statement, plan)
    everything = "\n".join(plans.values())
    # ever_supervised: one probe per item; the grid's and the notice's reports by township and month.
    assert "ix_item_event_item_id_to_state" in everything
    assert "ix_monthly_report_township_id_month" in everything


@pytest.mark.parametrize(
    "backend", ["sqlite"], indirect=True
)  # SQLite's planner, unanalysed as the app leaves it
def test_the_escalation_reads_its_townships_items_and_reports_on_sqlite(backend, client, login_as, cycle):
    statements: list[tuple[str, object]] = []

    def note(_conn, _cursor, statement, parameters, _context, _many):
        if "monthly_report" in statement and statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    login_as("county")
    event.listen(db.engine, "before_cursor_execute", note)
    try:
        assert client.get("/escalation").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert statements
    with db.engine.connect() as conn:
        for statement, parameters in statements:
            plan = " ".join(
                row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            )
            # Not every township's items of a state, nor every township's reports of a month.
            assert "INDEX ix_item_state " not in plan and "ix_monthly_report_month " not in plan, plan


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)  # EXPLAIN plans are PostgreSQL's
def test_the_other_home_pages_and_escalation_use_the_indexes(backend, client, login_as, factory, cycle):
    """The clerk's and the supervisor's home pages on a change (their counts are worked out again)
    and the county's escalation page: no sequential read of events or reports, no hashed subplan."""
    factory.monthly_report(cycle.item, cycle.this_month)
    db.session.commit()
    plans: dict[str, str] = {}
    for user, path in ((cycle.clerk, "/"), (cycle.supervisor, "/"), ("county", "/escalation")):
        client.post("/logout")
        login_as(user)
        plans.update(plans_of(client, [path]))
    assert plans
    for statement, plan in plans.items():
        for table in WATCHED:
            assert not re.search(rf"Seq Scan on {table}\b", plan), (statement, plan)
        assert "hashed SubPlan" not in plan, (statement, plan)
    reading_reports = [(s, p) for s, p in plans.items() if "monthly_report" in s]
    assert reading_reports
    for statement, plan in reading_reports:  # each finds its reports through an index
        assert re.search(
            r"Index (Only )?Scan using \w+ on monthly_report\b|Bitmap Heap Scan on monthly_report\b", plan
        ), (
            statement,
            plan,
        )
