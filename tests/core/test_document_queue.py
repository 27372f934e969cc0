"""Documents on the job queue (core/documents.py): made by tasks when their record changes and on
demand, served only as stored copies, never rendered twice, retried then shown as failed; public
addresses never start a render. Most tests run tasks in Huey's immediate mode; ``queued`` (tests/conftest)
keeps them in memory until the test runs them, as a worker would."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from supervise.core import jobs
from supervise.core.pdf import html_to_pdf
from supervise.core.queue import huey
from supervise.extensions import db
from supervise.sheets.models import SheetDocument
from tests.helpers import run_queued
from tests.notices.conftest import MONTH, make_town
from tests.sheets.conftest import make_township


@pytest.fixture
def renders(monkeypatch):
    """Every PDF rendered, as the HTML it was printed from."""
    made: list[str] = []

    def counting(html):
        made.append(html)
        return html_to_pdf(html)

    monkeypatch.setattr("supervise.core.pdf.html_to_pdf", counting)
    return made


@pytest.fixture
def sheet_town(factory, client):
    town = make_township(factory)
    sheet = town.sheet("issued")
    db.session.commit()
    client.post("/login", data={"username": town.clerk.username, "password": factory.PASSWORD})
    return town, sheet


def test_a_document_still_being_made_shows_a_page_that_refreshes_until_it_downloads(
    queued, sheet_town, client, renders
):
    _town, sheet = sheet_town
    first = client.get(f"/sheets/{sheet.id}/pdf")
    assert first.status_code == 202 and first.mimetype == "text/html"
    page = first.get_data(as_text=True)
    assert 'http-equiv="refresh"' in page and f"/sheets/{sheet.id}/pdf" in page and "0%" in page
    again = client.get(f"/sheets/{sheet.id}/pdf")  # the page refreshing itself: nothing queued twice
    assert again.status_code == 202 and renders == []
    assert run_queued() == 1 and len(renders) == 1
    done = client.get(f"/sheets/{sheet.id}/pdf")
    assert done.status_code == 200 and done.mimetype == "application/pdf"
    assert jobs.job_for(f"sheet/{sheet.id}").state == jobs.DONE


def test_immediate_mode_serves_the_pdf_at_once_and_renders_it_once(sheet_town, client, renders):
    _town, sheet = sheet_town
    first = client.get(f"/sheets/{sheet.id}/pdf")
    again = client.get(f"/sheets/{sheet.id}/pdf")
    assert first.status_code == again.status_code == 200 and first.data == again.data
    assert len(renders) == 1


@pytest.mark.usefixtures("render_on_change")
def test_a_sheet_is_made_when_it_is_answered_and_served_without_rendering(factory, client, renders):
    from supervise.sheets import operations

    town = make_township(factory)
    sheet = town.sheet("acknowledged")
    db.session.commit()
    renders.clear()
    operations.fire(
        town.clerk, sheet, "answer", measures="已制定赶工计划", evidence="计划表", evidence_files=[]
    )
    db.session.commit()  # the task runs once the change is committed
    assert len(renders) == 1 and "已制定赶工计划" in renders[0]
    assert db.session.get(SheetDocument, sheet.id) is not None
    client.post("/login", data={"username": town.clerk.username, "password": factory.PASSWORD})
    response = client.get(f"/sheets/{sheet.id}/pdf")
    assert response.status_code == 200 and len(renders) == 1


def test_a_failed_render_is_retried_then_shown_as_failed(sheet_town, client, monkeypatch, app):
    _town, sheet = sheet_town
    attempts = []

    def broken(html):
        attempts.append(html)
        raise RuntimeError("fontconfig crashed")

    monkeypatch.setattr("supervise.core.pdf.html_to_pdf", broken)
    response = client.get(f"/sheets/{sheet.id}/pdf")
    assert len(attempts) == 1 + app.config["DOCUMENT_RETRIES"]
    assert response.status_code == 503 and "文件生成失败" in response.get_data(as_text=True)
    assert 'http-equiv="refresh"' not in response.get_data(as_text=True)
    job = jobs.job_for(f"sheet/{sheet.id}")
    assert job.state == jobs.FAILED and job.attempts == 3 and "fontconfig crashed" in job.error
    # Shown as failed again without trying (no endless retries from a page left open)…
    assert client.get(f"/sheets/{sheet.id}/pdf").status_code == 503 and len(attempts) == 3
    # …until someone asks to try again.
    monkeypatch.setattr("supervise.core.pdf.html_to_pdf", html_to_pdf)
    retried = client.get(f"/sheets/{sheet.id}/pdf?retry=1")
    assert retried.status_code == 200 and retried.mimetype == "application/pdf"


def test_public_addresses_never_start_a_render(factory, client, renders, monkeypatch, app):
    town = make_town(factory)
    notice = town.publish()
    db.session.commit()
    enqueued = []
    monkeypatch.setattr(huey, "enqueue", lambda task: enqueued.append(task))
    response = client.get(town.notice_url(notice, "/pdf"))
    assert response.status_code == 202 and "正在准备" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"  # a proxy never keeps it for the PDF
    assert enqueued == [] and renders == [] and jobs.job_for(f"notice/{notice.id}") is None
    monkeypatch.undo()

    from supervise.core.documents import request_render

    with app.test_request_context():
        assert request_render("notice", notice.id)  # what publishing does (render on change)
    served = client.get(town.notice_url(notice, "/pdf"))
    assert served.status_code == 200 and served.mimetype == "application/pdf"


def test_a_batch_reports_its_progress(factory, monkeypatch, app):
    from supervise.core.documents import request_render
    from supervise.evaluation import documents

    meeting = factory.evaluation_meeting()
    db.session.commit()
    monkeypatch.setattr(documents, "STAMPS_PER_CHUNK", 1)
    seen = []
    real = jobs.report_progress
    monkeypatch.setattr(jobs, "report_progress", lambda key, p: (seen.append(p), real(key, p)))
    with app.test_request_context():
        request_render(documents.SHEETS_KIND, meeting.id)
    assert seen == sorted(seen) and len(seen) >= 2 and seen[-1] == 95
    assert jobs.job_for(f"{documents.SHEETS_KIND}/{meeting.id}").progress == 100


def test_reminders_are_a_periodic_task_of_the_workers(app, monkeypatch):
    from datetime import datetime

    from supervise.progress import tasks

    assert send_reminders_is_periodic(tasks.send_reminders)
    ran = []
    monkeypatch.setattr(tasks, "run_reminders", lambda day: ran.append(day) or (0, 0))
    app.config["REMINDER_HOUR"] = 0
    tasks.send_reminders.call_local()
    assert len(ran) == 1
    task = tasks.send_reminders.s()
    assert task.validate_datetime(datetime(2026, 12, 4, 8, 0))  # on the hour
    assert not task.validate_datetime(datetime(2026, 12, 4, 8, 30))


def send_reminders_is_periodic(task) -> bool:
    return getattr(task.task_class, "validate_datetime", None) is not None


def test_all_notices_of_a_month_across_a_county_are_one_batch_with_progress(
    factory, client, login_as, monkeypatch
):
    import io
    import zipfile

    first = make_town(factory)
    second = make_town(factory, factory.township("外镇"), name="李主席")
    notices = [first.publish(), second.publish()]
    seen = []
    real = jobs.report_progress
    monkeypatch.setattr(jobs, "report_progress", lambda key, p: (seen.append(p), real(key, p)))
    login_as("county")
    month = f"{notices[0].month:%Y-%m}"
    response = client.get(f"/notices/county.zip?month={month}")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert len(names) == 2 and all(name.endswith(".pdf") for name in names)
    assert seen == [47, 95]
    # Served again from storage while no notice is added.
    seen.clear()
    assert client.get(f"/notices/county.zip?month={month}").data == response.data and seen == []


@pytest.mark.usefixtures("render_on_change")
def test_a_notice_published_through_its_page_is_ready_at_its_public_address(factory, client, login_as):
    from supervise.notices.models import PublicNotice

    town = make_town(factory)
    login_as(town.chair)
    published = client.post("/notices/publish", data={"month": f"{MONTH:%Y-%m}", "title": ""})
    assert published.status_code == 302
    notice = db.session.execute(select(PublicNotice)).scalar_one()
    response = client.get(town.notice_url(notice, "/pdf"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"


def test_an_export_is_made_by_a_worker_and_made_again_after_a_change(app, queued, factory, client, login_as):
    from supervise.lists.models import Item

    app.config["EXPORT_QUEUE_ROWS"] = 0  # every export is long
    item = factory.item("supervising", title="集镇道路改造提升项目")
    db.session.commit()
    user = login_as("presidium")
    asked = client.get("/items/export.xlsx?state=supervising")
    assert asked.status_code == 202 and "文件正在生成" in asked.get_data(as_text=True)
    assert run_queued() == 1
    made = client.get("/items/export.xlsx?state=supervising")
    assert made.status_code == 200 and made.mimetype.endswith("spreadsheetml.sheet")
    keys = db.session.execute(select(jobs.DocumentJob.key)).scalars().all()
    assert len(keys) == 1 and keys[0].startswith(f"item-export/{user.id}-")  # the user's and filters'
    db.session.get(Item, item.id).title = "集镇道路改造二期"
    db.session.commit()
    assert client.get("/items/export.xlsx?state=supervising").status_code == 202  # stale: made again
    assert run_queued() == 1
    again = client.get("/items/export.xlsx?state=supervising")
    assert again.status_code == 200 and again.data != made.data


def test_a_job_lost_by_its_worker_is_queued_again(queued, sheet_town, client):
    from datetime import timedelta

    from supervise.core.clock import utcnow

    _town, sheet = sheet_town
    assert client.get(f"/sheets/{sheet.id}/pdf").status_code == 202
    huey.flush()  # the queue lost the task (a worker killed, Redis emptied)
    assert client.get(f"/sheets/{sheet.id}/pdf").status_code == 202 and huey.pending_count() == 0
    job = jobs.job_for(f"sheet/{sheet.id}")
    job.updated_at = utcnow() - jobs.STALE_AFTER - timedelta(minutes=1)
    db.session.commit()
    assert client.get(f"/sheets/{sheet.id}/pdf").status_code == 202 and huey.pending_count() == 1
    assert run_queued() == 1
    assert client.get(f"/sheets/{sheet.id}/pdf").status_code == 200
