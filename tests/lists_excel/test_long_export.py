"""Long exports go through the queue: counted first, made once by a worker a page of rows at a time,
stored, shown with the progress page until they download; short ones are written in the request."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from supervise.core import jobs
from supervise.core.queue import huey
from supervise.extensions import db
from supervise.lists import export as item_export
from tests.helpers import html_of, run_queued


def rows_of(data: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(min_row=2, values_only=True))


@pytest.fixture
def five_items(factory, jiangkou):
    for n in range(5):
        factory.item("listed", title=f"事项{n}", township=jiangkou.township)
    db.session.commit()


@pytest.fixture
def pages(monkeypatch):
    """Each page of items the export read (two items a page)."""
    read: list[list[int]] = []
    monkeypatch.setattr(item_export, "PAGE_ROWS", 2)
    original = item_export.write_items

    def spying(pages, *args):
        def recorded():
            for page in pages:
                read.append([item.id for item in page])
                yield page

        return original(recorded(), *args)

    monkeypatch.setattr(item_export, "write_items", spying)
    return read


@pytest.mark.usefixtures("five_items")
def test_a_short_export_is_written_in_the_request_and_leaves_no_job(app, client, login_as, queued, pages):
    login_as("presidium")

    response = client.get("/items/export.xlsx")

    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert [row[2] for row in rows_of(response.data)] == [f"事项{n}" for n in range(5)]
    assert huey.pending_count() == 0 and db.session.execute(select(jobs.DocumentJob)).first() is None
    assert [len(page) for page in pages] == [2, 2, 1]  # the request pages through them too


@pytest.mark.usefixtures("five_items")
def test_a_long_export_is_made_once_by_a_worker_page_by_page_then_downloads(
    app, client, login_as, queued, pages, app_storage
):
    login_as("presidium")
    short = client.get("/items/export.xlsx?sort=title").data  # written in the request
    pages.clear()
    app.config["EXPORT_QUEUE_ROWS"] = 4

    first = client.get("/items/export.xlsx?sort=title")
    second = client.get("/items/export.xlsx?sort=title")  # the progress page refreshing, or a second tab

    for response in (first, second):
        assert response.status_code == 202 and "文件正在生成" in html_of(response)
    assert huey.pending_count() == 1 and pages == []  # queued once, nothing read by the requests
    assert run_queued() == 1
    assert [len(page) for page in pages] == [2, 2, 1]
    [job] = db.session.execute(select(jobs.DocumentJob)).scalars()
    assert job.state == jobs.DONE and job.progress == 100
    ident = job.key.partition("/")[2]
    assert list(app_storage.keys("documents/")) == [f"documents/item-export/{ident}.xlsx"]
    made = client.get("/items/export.xlsx?sort=title")
    assert made.status_code == 200 and made.mimetype.endswith("spreadsheetml.sheet")
    assert rows_of(made.data) == rows_of(short)  # the same rows, in the list's order
    assert huey.pending_count() == 0


@pytest.mark.usefixtures("five_items")
def test_only_the_rows_count_decides_and_other_filters_are_another_export(app, client, login_as, queued):
    app.config["EXPORT_QUEUE_ROWS"] = 4
    login_as("presidium")

    assert client.get("/items/export.xlsx").status_code == 202
    assert client.get("/items/export.xlsx?q=事项1").status_code == 200  # one row: written at once
    assert client.get("/items/export.xlsx?sort=title").status_code == 202
    assert huey.pending_count() == 2


@pytest.mark.usefixtures("five_items")
def test_counting_is_one_statement(app, client, login_as, count_queries):
    from werkzeug.datastructures import MultiDict

    user = login_as("presidium")
    db.session.refresh(user)  # the signed-in user is loaded, as in a request
    with app.test_request_context(), count_queries() as counter:
        assert item_export.count_item_export(user, MultiDict()) == 5
    assert counter.count == 1


def test_a_long_assessment_export_goes_through_the_queue_too(app, client, factory, login_as, queued):
    app.config["EXPORT_QUEUE_ROWS"] = -1  # even an empty table is "long"
    login_as("county")

    response = client.get("/evaluation/assessment.xlsx?year=2026")

    assert response.status_code == 202 and huey.pending_count() == 1
    assert run_queued() == 1
    made = client.get("/evaluation/assessment.xlsx?year=2026")
    assert made.status_code == 200 and made.mimetype.endswith("spreadsheetml.sheet")
