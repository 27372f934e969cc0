"""The item list is cached, and still shows every change at once, only its reader's townships, in
its reader's language; with the cache off it is the very same page."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import insert
from werkzeug.datastructures import MultiDict

from supervise import create_app
from supervise.core import cache
from supervise.extensions import db
from supervise.lists.models import Item, ItemState, SupervisionList
from tests.conftest import PG_URL, IsolatedClient, _reset_postgres, make_config, require_or_skip
from tests.factories import Factory
from tests.helpers import html_of

from .conftest import form_values, replaced


class SpyStore:
    """Wraps the app's store and counts what was served from it."""

    def __init__(self, store):
        self.store, self.hits, self.misses = store, 0, 0

    def get(self, key):
        value = self.store.get(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def set(self, key, value):
        self.store.set(key, value)

    # A whole page served counts as a hit; a page not found is not a miss yet: its list is
    # looked for next (core/response_cache.py).
    def get_bytes(self, key):
        value = self.store.get_bytes(key)
        self.hits += value is not None
        return value

    def set_bytes(self, key, value):
        self.store.set_bytes(key, value)


@pytest.fixture
def spy(app) -> SpyStore:
    page_cache = cache.page_cache(app)
    page_cache.store = SpyStore(page_cache.store)
    return page_cache.store


def list_page(people, persona: str, url: str = "/items/") -> str:
    response = people.client(persona).get(url)
    assert response.status_code == 200
    return html_of(response)


def fragment(html: str) -> str:
    """What the cache holds: the page between the navbar and the footer."""
    return html[html.index("<main") : html.index("</main>")]


def row_of(html: str, code: str) -> str:
    [row] = [row for row in re.findall(r"<tr>.*?</tr>", html, re.S) if code in row]
    return row


def warm(people, persona: str = "presidium", url: str = "/items/") -> str:
    """Load the page twice, so that the second load came from the cache."""
    list_page(people, persona, url)
    return list_page(people, persona, url)


def test_a_second_visit_is_served_from_the_cache(people, spy):
    people.item("supervising", title="集镇污水管网改造")
    first = list_page(people, "presidium")
    second = list_page(people, "presidium")
    assert (spy.misses, spy.hits) == (1, 1)
    assert fragment(first) == fragment(second)
    assert "集镇污水管网改造" in second


# ---- every kind of change shows at once ---------------------------------------------------------


def badge(state: ItemState) -> str:
    return f'<span class="badge text-bg-{state.badge}">{state.label}</span>'


def transition(people, item):
    assert people.act("presidium", item, "withdraw", reason="已由县里统一实施。").status_code == 302
    return [badge(ItemState.withdrawn)], [badge(ItemState.supervising)]


def amendment(people, item):
    client = people.client("presidium")
    values = form_values(html_of(client.get(f"/items/{item.id}/edit")), "version")
    saved = client.post(
        f"/items/{item.id}/edit",
        data=MultiDict(replaced(values, title="村道硬化改造", reason="与批复一致。")),
    )
    assert saved.status_code == 302
    return ["村道硬化改造"], ["老名称"]


def assignment(people, item):
    newcomer = people.factory.deputy(name="新来监督员")
    response = people.act("presidium", item, "assign", deputy_ids=[people.supervisor.id, newcomer.id])
    assert response.status_code == 302
    return ["新来监督员"], []


def office_rename(people, item):
    client = people.client("presidium")
    url = f"/manage/offices/{people.lead_office.id}/edit"
    values = form_values(html_of(client.get(url)), "name")
    assert client.post(url, data=MultiDict(replaced(values, name="城乡建设办公室"))).status_code == 302
    return ["城乡建设办公室"], ["规划建设环保办公室"]


def deputy_rename(people, item):
    client = people.client("presidium")
    url = f"/manage/deputies/{people.supervisor.id}/edit"
    values = form_values(html_of(client.get(url)), "name")
    old_name = people.supervisor.name
    assert client.post(url, data=MultiDict(replaced(values, name="改名代表"))).status_code == 302
    return ["改名代表"], [old_name]


def new_item(people, item):
    client = people.client("presidium")
    url = f"/lists/{item.list_id}/items/new"
    values = form_values(html_of(client.get(url)), "title")
    fields = replaced(
        values,
        title="新增的事项",
        target="年底完工",
        deadline="2026-10-01",
        lead_office_id=str(people.lead_office.id),
    )
    assert client.post(url, data=MultiDict(fields)).status_code == 302
    return ["新增的事项"], []


def bulk_insert(people, item):
    # As the Excel import writes: one multi-row INSERT, which no flush event sees.
    db.session.execute(
        insert(Item),
        [
            {
                "list_id": item.list_id,
                "township_id": item.township_id,
                "number": 90 + n,
                "code": f"bulk-{n}",
                "title": f"导入的事项{n}",
                "state": ItemState.listed,
            }
            for n in range(2)
        ],
    )
    return ["导入的事项0", "导入的事项1"], []


def change_in_a_script(people, item):
    # No request at all: a CLI command or shell session changing the item through the ORM.
    db.session.get(Item, item.id).deadline = date(2026, 9, 30)
    return ["2026-09-30"], ["2026-12-31"]


CHANGES = [
    transition,
    amendment,
    assignment,
    office_rename,
    deputy_rename,
    new_item,
    bulk_insert,
    change_in_a_script,
]


@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__ for c in CHANGES])
@pytest.mark.parametrize("persona", ["presidium", "county"])
def test_the_list_shows_every_change_at_once(people, spy, change, persona):
    item = people.item("supervising", title="老名称")
    before = warm(people, persona)
    assert spy.hits == 1 and row_of(before, item.code)

    shown, gone = change(people, item)
    db.session.commit()
    after = fragment(list_page(people, persona))

    for text in shown:
        assert text in after, f"{text} is not on the list after {change.__name__}"
    for text in gone:
        assert text not in after, f"{text} is still on the list after {change.__name__}"


def test_a_renamed_township_is_renamed_in_the_filter(people, spy):
    people.item("listed")
    assert "江口镇" in warm(people, "county")
    people.township.name = "江口新镇"
    db.session.commit()
    assert "江口新镇" in fragment(list_page(people, "county"))


def test_a_new_township_of_the_county_shows_in_the_filter(people, spy):
    people.item("listed")
    warm(people, "county")
    people.factory.township("新设镇")
    db.session.commit()
    assert "新设镇" in fragment(list_page(people, "county"))


def test_an_office_of_another_township_is_renamed_where_it_leads(people, spy):
    # Forms offer only the township's own offices, but the page must not rely on that.
    office = people.factory.office(township=people.elsewhere, name="城关的站所")
    item = people.item("supervising", lead_office_id=office.id)
    assert "城关的站所" in row_of(warm(people), item.code)
    office.name = "城关改名的站所"
    db.session.commit()
    assert "城关改名的站所" in row_of(list_page(people, "presidium"), item.code)


def test_a_page_past_the_end_still_counts_the_items(people, spy):
    for _number in range(3):
        people.item("listed")
    page = list_page(people, "presidium", "/items/?page=9")
    assert '<small class="text-muted">(3)</small>' in page and "没有符合条件的事项。" in page


def test_overdue_badges_follow_the_day(people, spy, monkeypatch):
    item = people.item("supervising", deadline=date(2026, 6, 30))
    monkeypatch.setattr("supervise.lists.views.today", lambda: date(2026, 6, 30))
    assert "逾期" not in row_of(warm(people), item.code)

    monkeypatch.setattr("supervise.lists.views.today", lambda: date(2026, 7, 1))
    assert "逾期" in row_of(list_page(people, "presidium"), item.code)


def test_a_rolled_back_change_leaves_the_cached_page_in_use(people, spy):
    item = people.item("supervising", title="老名称")
    warm(people)
    db.session.get(Item, item.id).title = "没有保存的名称"
    db.session.flush()
    db.session.rollback()
    assert "没有保存的名称" not in list_page(people, "presidium")
    assert spy.hits == 2


# ---- scopes and languages -------------------------------------------------------------------------


def test_another_townships_reader_never_gets_this_townships_page(people, spy):
    here = people.item("supervising", title="江口的事项")
    there = people.factory.item("supervising", township=people.elsewhere, title="城关的事项")

    for _round in range(2):  # the second round is served from the cache
        own = fragment(list_page(people, "presidium"))
        other = fragment(list_page(people, "presidium_elsewhere"))
        county = fragment(list_page(people, "county"))
        assert here.code in own and there.code not in own
        assert there.code in other and here.code not in other
        assert here.code in county and there.code in county
        assert "城关镇" not in own and "江口镇" not in other
    assert spy.hits == 3


def test_each_query_string_has_its_own_page(people, spy):
    people.item("supervising", title="监督中的事项")
    people.item("listed", title="列入的事项")
    assert "列入的事项" in list_page(people, "presidium")
    filtered = list_page(people, "presidium", "/items/?state=supervising")
    assert "列入的事项" not in filtered and "监督中的事项" in filtered
    assert "列入的事项" in list_page(people, "deputy")  # the township's deputies see its list too
    assert spy.hits == 0


def sign_in(app, user) -> IsolatedClient:
    client = app.test_client()
    db.session.commit()
    response = client.post("/login", data={"username": user.username, "password": Factory.PASSWORD})
    assert response.status_code == 302
    return client


def test_english_and_chinese_never_mix(app, people, spy):
    item = people.item("supervising")
    chinese = people.client("presidium")
    english = sign_in(app, people.factory.user("presidium", locale="en"))

    for _round in range(2):
        zh = fragment(html_of(chinese.get("/items/")))
        en = fragment(html_of(english.get("/items/")))
        assert "监督中" in row_of(zh, item.code) and "Supervising" not in zh
        assert "Supervising" in row_of(en, item.code) and "监督中" not in en
        assert "编号" in zh and "Code" in en
    assert spy.hits == 2

    # Switching language in the same session switches the list at once.
    chinese.post("/language", data={"locale": "en", "next": "/items/"})
    assert "Supervising" in row_of(fragment(html_of(chinese.get("/items/"))), item.code)


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', html)


@pytest.mark.parametrize(
    "url",
    ["/items/", "/items/?state=supervising&sort=deadline", "/items/?page=2", "/items/?q=%E4%BA%8B&overdue=1"],
)
def test_with_the_cache_off_the_page_is_the_same(app, people, url):
    for number in range(60):
        people.item(("listed", "supervising")[number % 2], wide_impact=number % 3 == 0)
    cached = warm(people, "presidium", url)

    app.config["CACHE_URL"] = "none"
    app.extensions.pop("supervise_page_cache")
    uncached = list_page(people, "presidium", url)
    assert isinstance(cache.page_cache(app).store, cache.NullStore)
    assert without_tokens(uncached) == without_tokens(cached)


def test_only_get_requests_are_kept(app):
    with app.test_request_context("/items/", method="POST"):
        cache.cached_fragment("key", lambda: "<p>posted</p>")
    with app.test_request_context("/items/"):
        assert cache.page_cache(app).store.get("key") is None


# ---- several processes ---------------------------------------------------------------------------


def redis_url_or_skip() -> str:
    import os

    import redis

    url = os.environ.get("SUPERVISE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except Exception:
        require_or_skip(f"no Redis at {url}")  # CI=true fails instead of skipping
    return url


@pytest.fixture
def two_processes(backend, tmp_path, request):
    """Two apps on one database, as two gunicorn workers: (app, app), with their cache URL."""
    store = request.param
    url = f"sqlite:///{tmp_path / 'shared.db'}" if backend == "sqlite" else PG_URL
    config = make_config(url)
    config.CACHE_URL = redis_url_or_skip() if store == "redis" else "memory://"
    first, second = create_app(config), create_app(config)
    for app in (first, second):
        app.test_client_class = IsolatedClient
    with first.app_context():
        if backend == "sqlite":
            db.create_all()
        else:
            _reset_postgres()
        yield first, second
        db.session.remove()
        if store == "redis":
            client = cache.page_cache(first).store._client
            for key in client.scan_iter(match=cache.page_cache(first).prefix + "*"):
                client.delete(key)
        db.engine.dispose()
    with second.app_context():
        db.engine.dispose()  # its pooled connections would otherwise be closed by the garbage collector


@pytest.mark.parametrize("two_processes", ["memory", "redis"], indirect=True)
def test_a_change_made_in_one_process_shows_in_the_other(two_processes):
    first, second = two_processes
    factory = Factory()
    item = factory.item("supervising", title="老名称")
    chair = factory.user("presidium")
    clients = [sign_in(first, chair), sign_in(second, chair)]
    for client in clients * 2:
        assert "老名称" in html_of(client.get("/items/"))

    db.session.get(Item, item.id).title = "新名称"  # as if a third process changed it
    db.session.commit()
    for client in clients:
        page = html_of(client.get("/items/"))
        assert "新名称" in page and "老名称" not in page


def test_versions_are_bumped_in_the_same_transaction(app, factory):
    item = factory.item("listed")
    db.session.commit()

    def version() -> int:
        found = db.session.get(cache.DataVersion, item.township_id)
        return found.version if found else 0

    before = version()
    item.title = "改过的名称"
    db.session.flush()
    assert version() == before  # not yet: the bump comes with the commit
    db.session.commit()
    assert version() == before + 1

    db.session.get(SupervisionList, item.list_id).year = 2027
    db.session.flush()
    db.session.rollback()
    assert version() == before + 1
