"""The item list is served whole from the cache on a second visit, and never to anyone, in any
language, session or state of the data other than the one it was made for (core/response_cache.py)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from supervise.accounts.models import User
from supervise.core import cache
from supervise.core.response_cache import reader_state
from supervise.extensions import db
from supervise.lists.models import Item
from supervise.org.models import Township
from supervise.progress.models import Notification
from tests.helpers import html_of


class WholePageSpy:
    """Wraps the app's store and counts the whole pages served from it and kept in it."""

    def __init__(self, store):
        self.store, self.served, self.kept = store, 0, 0

    def get(self, key):
        return self.store.get(key)

    def set(self, key, value):
        self.store.set(key, value)

    def get_bytes(self, key):
        value = self.store.get_bytes(key)
        self.served += value is not None
        return value

    def set_bytes(self, key, value):
        self.kept += 1
        self.store.set_bytes(key, value)


@pytest.fixture
def spy(app) -> WholePageSpy:
    page_cache = cache.page_cache(app)
    page_cache.store = WholePageSpy(page_cache.store)
    return page_cache.store


def visit(client, url: str = "/items/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html_of(response)


def cached_visit(client, spy, url: str = "/items/") -> str:
    """Visit twice; the second visit must come from the cache."""
    visit(client, url)
    served = spy.served
    html = visit(client, url)
    assert spy.served == served + 1, "the second visit was rendered again"
    return html


def test_a_second_visit_is_the_same_page_served_whole(people, spy):
    people.item("supervising", title="集镇污水管网改造")
    client = people.client("presidium")
    first = visit(client)
    second = visit(client)
    assert (spy.kept, spy.served) == (1, 1)
    assert second == first and "集镇污水管网改造" in second


@pytest.mark.parametrize(
    ("one", "other"), [("lead_clerk", "other_clerk"), ("supervisor", "deputy"), ("presidium", "county")]
)
def test_a_page_never_reaches_another_reader(people, spy, one, other):
    people.users[one].display_name = "第一位读者"
    people.users[other].display_name = "第二位读者"
    people.item("supervising")
    cached_visit(people.client(one), spy)

    served = spy.served
    html = visit(people.client(other))
    assert spy.served == served
    assert "第二位读者" in html and "第一位读者" not in html


def test_another_session_of_the_same_reader_gets_its_own_page_and_tokens(app, people, spy):
    from .test_item_list_cache import sign_in

    user = people.users["presidium"]
    first = cached_visit(people.client("presidium"), spy)
    served = spy.served
    second = visit(sign_in(app, user))
    assert spy.served == served
    token = re.compile(r'name="csrf_token" value="([^"]+)"')
    assert set(token.findall(first)).isdisjoint(token.findall(second))


def test_a_new_language_is_never_served_the_old_page(people, spy):
    item = people.item("supervising")
    client = people.client("presidium")
    assert "监督中" in cached_visit(client, spy)
    assert client.post("/language", data={"locale": "en", "next": "/items/"}).status_code == 302
    english = visit(client)
    assert "Supervising" in english and item.code in english and "监督中" not in english


def test_a_signed_out_session_replayed_gets_no_page(app, people, spy):
    client = people.client("presidium")
    cached_visit(client, spy)
    cookie = client.get_cookie("session")
    assert client.post("/logout").status_code == 302

    replay = app.test_client()
    replay.set_cookie("session", cookie.value)
    response = replay.get("/items/")
    assert response.status_code == 302 and "/login" in response.location


@pytest.mark.parametrize("how", ["flag", "operation"])
def test_a_deactivated_account_gets_no_page(app, people, spy, how):
    client = people.client("lead_clerk")
    cached_visit(client, spy)
    user = db.session.get(User, people.users["lead_clerk"].id)
    if how == "flag":  # the flag alone, with the session token unchanged
        user.is_active_account = False
        db.session.commit()
    else:
        presidium = people.client("presidium")
        assert presidium.post(f"/manage/accounts/{user.id}/active", data={"active": "0"}).status_code == 302
    response = client.get("/items/")
    assert response.status_code == 302 and "/login" in response.location


def test_a_changed_item_is_shown_at_once(people, spy):
    item = people.item("supervising", title="老名称")
    client = people.client("presidium")
    assert "老名称" in cached_visit(client, spy)
    db.session.get(Item, item.id).title = "新名称"
    db.session.commit()
    html = visit(client)
    assert "新名称" in html and "老名称" not in html


def test_a_renamed_reader_is_shown_at_once(people, spy):
    client = people.client("presidium")
    cached_visit(client, spy)
    db.session.get(User, people.users["presidium"].id).display_name = "新名字"
    db.session.commit()
    assert "新名字" in visit(client)


def bell(html: str) -> str:
    start = html.index('id="notification-bell"')
    return html[start : html.index("</a>", start)]


def test_the_bell_follows_new_and_read_notifications(people, spy):
    item = people.item("supervising")
    client = people.client("lead_clerk")
    assert "badge" not in bell(cached_visit(client, spy))

    user = people.users["lead_clerk"]
    notification = Notification(
        user_id=user.id,
        township_id=item.township_id,
        kind="report_due",
        item_id=item.id,
        month=date(2026, 6, 1),
        due_on=date(2026, 6, 10),
        created_on=date(2026, 6, 1),
    )
    db.session.add(notification)
    db.session.commit()
    assert '<span class="badge rounded-pill text-bg-warning">1</span>' in bell(visit(client))

    db.session.get(Notification, notification.id).read_at = date(2026, 6, 2)
    db.session.commit()
    assert "badge" not in bell(visit(client))


def test_flashed_messages_are_shown_and_never_kept(people, spy):
    client = people.client("presidium")
    cached_visit(client, spy)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "已保存一条消息。")]
    served, kept = spy.served, spy.kept
    assert "已保存一条消息。" in visit(client)
    assert (spy.served, spy.kept) == (served, kept)
    assert "已保存一条消息。" not in visit(client)


def csrf_tokens(html: str) -> list[str]:
    return re.findall(r'name="csrf_token" value="([^"]+)"', html)


def test_the_forms_of_a_cached_page_work_with_csrf_on(app, people, spy):
    app.config["WTF_CSRF_ENABLED"] = True
    user = people.users["presidium"]
    db.session.commit()
    client = app.test_client()
    [login_token] = csrf_tokens(html_of(client.get("/login")))
    signed_in = client.post(
        "/login",
        data={"csrf_token": login_token, "username": user.username, "password": people.factory.PASSWORD},
    )
    assert signed_in.status_code == 302

    page = cached_visit(client, spy)
    language_token, _sign_out_token = csrf_tokens(page)
    assert client.post("/language", data={"locale": "en", "next": "/items/"}).status_code == 400
    form = {"csrf_token": language_token, "locale": "en", "next": "/items/"}
    assert client.post("/language", data=form).status_code == 302
    assert '<html lang="en">' in visit(client)

    page = cached_visit(client, spy)
    [*_others, sign_out_token] = csrf_tokens(page)
    assert client.post("/logout", data={"csrf_token": sign_out_token}).status_code == 302
    assert client.get("/items/").status_code == 302


@pytest.mark.parametrize("persona", ["supervisor", "lead_clerk", "presidium", "county", "admin"])
def test_the_cache_key_holds_the_townships_the_reader_sees(people, persona):
    other_county = people.factory.county("另一个县")
    people.factory.township("另一个县的镇", county=other_county)
    user = people.users[persona]
    db.session.commit()
    visible = select(Township.id).where(user.visible_township_filter(Township.id))
    expected = set(db.session.execute(visible).scalars())
    state = reader_state(user.id)
    assert {township_id for township_id, _version in state[13:]} == expected
    assert expected


def test_a_page_from_the_cache_costs_one_statement_and_no_commit(app, people, spy, count_queries):
    from sqlalchemy import event

    people.item("supervising", title="集镇污水管网改造")
    client = people.client("presidium")
    visit(client)
    commits = []

    def on_commit(connection):
        commits.append(connection)

    event.listen(db.engine, "commit", on_commit)
    try:
        with count_queries() as counter:
            html = visit(client)
    finally:
        event.remove(db.engine, "commit", on_commit)
    assert spy.served == 1 and "集镇污水管网改造" in html
    assert counter.count == 1, counter.statements
    # The reader's statement runs on its own connection and the ORM session never begins a
    # transaction, so the request's end commits nothing (that commit cost more than the statement).
    assert commits == []
