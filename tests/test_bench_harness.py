"""bench/harness.py drives real servers over HTTP the way a browser does (bench/rehearsal.py): the
pieces that read pages are checked here against the app's own pages, cheaply, through the test
client. The rehearsal itself needs PostgreSQL, Redis and about a minute: it is not run in CI."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from werkzeug.datastructures import MultiDict

from tests.helpers import html_of

BENCH = Path(__file__).resolve().parents[1] / "bench"


def load_harness():
    spec = importlib.util.spec_from_file_location("bench_harness", BENCH / "harness.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_harness", module)
    spec.loader.exec_module(module)
    return module


def test_an_edit_sent_back_as_read_from_the_page_is_saved(client, factory, login_as):
    harness = load_harness()
    chair = factory.user("presidium")
    item = factory.item("listed", township=chair.township, title="集镇道路改造")
    login_as(chair)
    page = html_of(client.get(f"/items/{item.id}/edit"))
    fields = harness.replaced(harness.form_values(page, "title"), title="集镇道路改造（二期）", reason="演练")
    saved = client.post(f"/items/{item.id}/edit", data=MultiDict(fields))
    assert saved.status_code == 302, harness.page_errors(html_of(saved))
    listing = html_of(client.get("/items/"))
    assert "集镇道路改造（二期）" in listing
    assert str(item.id) in harness.links(listing, r'href="/items/(\d+)"')


def test_page_errors_reads_the_messages_of_a_refused_form(client, factory, login_as):
    harness = load_harness()
    chair = factory.user("presidium")
    item = factory.item("listed", township=chair.township)
    login_as(chair)
    fields = harness.replaced(
        harness.form_values(html_of(client.get(f"/items/{item.id}/edit")), "title"), title=""
    )
    refused = client.post(f"/items/{item.id}/edit", data=MultiDict(fields))
    assert refused.status_code == 200
    assert "请输入事项名称。" in harness.page_errors(html_of(refused))
    assert harness.page_errors("<p>fine</p>") == ""


def test_the_photo_the_rehearsal_uploads_is_an_accepted_kind():
    from supervise.uploads.storage import sniff

    assert sniff(load_harness().png()) == "png"
