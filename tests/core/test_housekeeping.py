"""Housekeeping (core/housekeeping.py): stored exports and their job rows, and failed job rows, go
after EXPORT_KEEP_DAYS; a record's official PDF and the row saying it is current never do. On both
storage backends; asked for again, a pruned export (or a lost PDF) is simply made again."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from supervise.core import jobs
from supervise.core.clock import utcnow
from supervise.core.housekeeping import prune_exports
from supervise.extensions import db
from supervise.sheets.models import SheetDocument
from tests.helpers import run_queued
from tests.sheets.conftest import make_township


@pytest.fixture
def renders(monkeypatch):
    made: list[str] = []

    def fake(html: str) -> bytes:
        made.append(html)
        return b"%PDF-" + hashlib.sha256(html.encode()).hexdigest().encode()

    monkeypatch.setattr("supervise.core.pdf.html_to_pdf", fake)
    return made


@pytest.fixture
def made(app, factory, client, queued, renders, app_storage):
    """A sheet's official PDF and a long export, both made by the worker; an old failed job; a job
    still waiting for a worker."""
    app.config["EXPORT_QUEUE_ROWS"] = 0
    town = make_township(factory)
    sheet = town.sheet("issued")
    db.session.commit()
    client.post("/login", data={"username": town.clerk.username, "password": factory.PASSWORD})
    assert client.get(f"/sheets/{sheet.id}/pdf").status_code == 202
    assert client.get("/items/export.xlsx").status_code == 202
    assert run_queued() == 2
    db.session.add(jobs.DocumentJob(key="notice/999", state=jobs.FAILED, error="boom"))
    db.session.add(jobs.DocumentJob(key="item-export/1-waiting", state=jobs.QUEUED))
    db.session.commit()
    return sheet


def job_keys() -> list[str]:
    return sorted(db.session.execute(select(jobs.DocumentJob.key)).scalars())


def later(monkeypatch, days: int) -> None:
    moment = utcnow() + timedelta(days=days)
    monkeypatch.setattr("supervise.core.housekeeping.utcnow", lambda: moment)


def test_old_exports_and_failed_jobs_go_and_official_pdfs_stay(app, made, app_storage, monkeypatch, client):
    sheet = made
    pdf_key = db.session.get(SheetDocument, sheet.id).pdf_key
    [export_key] = app_storage.keys("documents/item-export/")
    before = job_keys()

    assert prune_exports(timedelta(days=7)) == (0, 0)  # nothing is old yet
    assert job_keys() == before

    later(monkeypatch, 8)
    assert prune_exports(timedelta(days=7)) == (1, 2)

    assert sorted(app_storage.keys()) == [pdf_key]  # the export's file went, the sheet's PDF stays
    assert job_keys() == ["item-export/1-waiting", f"sheet/{sheet.id}"]  # done PDF row and busy row stay
    pdf = client.get(f"/sheets/{sheet.id}/pdf")
    assert pdf.status_code == 200 and pdf.data == app_storage.get(pdf_key)  # still served, not made again
    assert client.get("/items/export.xlsx").status_code == 202  # asked again: made again
    assert run_queued() == 1
    assert client.get("/items/export.xlsx").status_code == 200


def test_a_file_whose_job_row_was_lost_goes_and_a_recent_one_stays(app, made, app_storage, monkeypatch):
    app_storage.put("documents/item-export/5-orphan.xlsx", b"left by a crashed prune")
    later(monkeypatch, 3)
    assert prune_exports(timedelta(days=7)).files == 0
    assert prune_exports(timedelta(days=1)).files == 2  # the orphan and the (now old) export


def test_a_current_pdf_whose_file_is_lost_is_made_again(made, app_storage, client, renders):
    sheet = made
    app_storage.delete(db.session.get(SheetDocument, sheet.id).pdf_key)

    assert client.get(f"/sheets/{sheet.id}/pdf").status_code == 202  # not a progress page forever
    assert run_queued() == 1 and len(renders) == 2
    assert client.get(f"/sheets/{sheet.id}/pdf").status_code == 200


def test_the_command_prunes_by_the_age_given_or_configured(app, made, app_storage, monkeypatch):
    runner = app.test_cli_runner()
    later(monkeypatch, 3)

    kept = runner.invoke(args=["storage", "prune-exports"])  # EXPORT_KEEP_DAYS: 7
    assert kept.exit_code == 0 and "removed 0 stored exports and 0 job rows" in kept.output
    pruned = runner.invoke(args=["storage", "prune-exports", "--older-than", "2d"])
    assert pruned.exit_code == 0 and "removed 1 stored exports and 2 job rows" in pruned.output
    app.config["EXPORT_KEEP_DAYS"] = 1
    assert "removed 0 stored exports" in runner.invoke(args=["storage", "prune-exports"]).output


@pytest.mark.parametrize("age", ["7", "d", "-1d", "7w", "７d"])
def test_an_age_that_is_not_one_is_refused_with_a_message(app, age):
    result = app.test_cli_runner().invoke(args=["storage", "prune-exports", "--older-than", age])
    assert result.exit_code == 2 and "is not an age such as 7d" in result.output


def test_pruning_is_a_daily_periodic_task_of_the_workers(app, monkeypatch):
    from datetime import datetime

    from supervise.core import housekeeping

    ran = []
    none = housekeeping.Pruned(0, 0)
    monkeypatch.setattr(housekeeping, "prune_exports", lambda age: ran.append(age) or none)
    monkeypatch.setattr("supervise.core.storage_cli.prune_documents", lambda: ran.append("pdfs") or 0)
    housekeeping.prune_exports_task.call_local()
    assert ran == [timedelta(days=app.config["EXPORT_KEEP_DAYS"]), "pdfs"]
    task = housekeeping.prune_exports_task.s()
    assert task.validate_datetime(datetime(2026, 12, 4, 3, 20))
    assert not task.validate_datetime(datetime(2026, 12, 4, 4, 20))
