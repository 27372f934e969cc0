"""A list's import template is a stored document made by a worker: made once however often it is
asked for, served from storage while current, made again when the township's offices change."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from supervise.core import jobs
from supervise.core.queue import huey
from supervise.extensions import db
from supervise.lists import importing
from tests.helpers import html_of, run_queued


@pytest.fixture
def builds(monkeypatch):
    """How many templates were built."""
    made: list[int] = []
    original = importing.template_workbook

    def counting(supervision_list, offices):
        made.append(supervision_list.id)
        return original(supervision_list, offices)

    monkeypatch.setattr(importing, "template_workbook", counting)
    return made


def offices_in(data: bytes) -> set[str]:
    notes = load_workbook(io.BytesIO(data))["填写说明"]
    return {row[0] for row in notes.iter_rows(values_only=True) if row[0]}


def test_the_template_is_made_once_by_a_worker_then_served_from_storage(
    client, login_as, jiangkou, queued, builds, app_storage
):
    login_as("presidium")
    url = f"/lists/{jiangkou.commitments.id}/import/template.xlsx"

    first, second = client.get(url), client.get(url)

    for response in (first, second):
        assert response.status_code == 202 and "文件正在生成" in html_of(response)
    assert huey.pending_count() == 1 and builds == []  # the requests build nothing
    assert run_queued() == 1 and len(builds) == 1
    [job] = db.session.execute(select(jobs.DocumentJob)).scalars()
    assert job.key == f"list-template/{jiangkou.commitments.id}-zh_Hans_CN" and job.state == jobs.DONE
    ready = client.get(url)
    assert ready.status_code == 200 and ready.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in ready.headers["Content-Disposition"]
    assert ready.data == app_storage.get(f"documents/list-template/{jiangkou.commitments.id}-zh_Hans_CN.xlsx")
    assert {"交通运输站", "水利站"} <= offices_in(ready.data)
    assert client.get(url).data == ready.data and huey.pending_count() == 0 and len(builds) == 1


def test_a_changed_office_list_makes_a_new_template(client, factory, login_as, jiangkou, queued, builds):
    login_as("presidium")
    url = f"/lists/{jiangkou.commitments.id}/import/template.xlsx"
    client.get(url)
    run_queued()
    before = client.get(url).data

    factory.office(jiangkou.township, "农业综合服务站")
    db.session.commit()

    assert client.get(url).status_code == 202
    assert run_queued() == 1
    after = client.get(url)
    assert after.status_code == 200 and "农业综合服务站" in offices_in(after.data)
    assert "农业综合服务站" not in offices_in(before)


def test_each_list_has_its_own_template(client, login_as, jiangkou, builds):
    login_as("presidium")

    commitments = client.get(f"/lists/{jiangkou.commitments.id}/import/template.xlsx")
    suggestions = client.get(f"/lists/{jiangkou.suggestions.id}/import/template.xlsx")

    assert commitments.status_code == suggestions.status_code == 200  # immediate mode: made at once
    headers = [load_workbook(io.BytesIO(r.data)).worksheets[0][1] for r in (commitments, suggestions)]
    assert [len(row) for row in headers] == [
        len(importing.TEMPLATE_HEADERS),
        len(importing.TEMPLATE_HEADERS) + 2,
    ]
    assert sorted(builds) == sorted([jiangkou.commitments.id, jiangkou.suggestions.id])
