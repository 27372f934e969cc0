"""The layout's menu is rendered once per process for each role and language, and still never shows
one reader's name, township, menu or language to another; tokens and paths stay per request."""

from __future__ import annotations

import re

import pytest

from supervise.accounts.views import load_user
from supervise.core import cache
from supervise.extensions import db
from tests.conftest import make_config
from tests.factories import Factory

PERSONAS = [
    (role, locale)
    for locale in ("zh_Hans_CN", "en")
    for role in ("deputy", "government", "presidium", "county", "admin")
]


def signed_in(app, user):
    client = app.test_client()
    response = client.post("/login", data={"username": user.username, "password": Factory.PASSWORD})
    assert response.status_code == 302
    return client


def page(client, url: str = "/items/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def menu(html: str) -> str:
    """The cached block: the brand, the toggler and the menu links."""
    return html[html.index("<nav") : html.index('<div class="d-flex flex-nowrap')]


def user_area(html: str) -> str:
    """Rendered for each request: language buttons, the user's menu, sign-out."""
    return html[html.index('<div class="d-flex flex-nowrap') : html.index("</nav>")]


@pytest.fixture
def spy(app):
    """Counts the menus rendered, rather than served from the layout cache (other blocks aside)."""
    store = cache.layout_cache(app)

    class Spy:
        renders = 0

        def get(self, key):
            return store.get(key)

        def set(self, key, value):
            Spy.renders += key.startswith("('navbar',")
            store.set(key, value)

    app.extensions["supervise_layout_cache"] = Spy()
    return Spy


def test_each_role_and_language_gets_the_menu_it_would_get_uncached(app, factory, spy):
    clients = {persona: signed_in(app, factory.user(persona[0], locale=persona[1])) for persona in PERSONAS}
    db.session.commit()
    cached = {persona: menu(page(client)) for persona, client in clients.items()}
    assert spy.renders == len(PERSONAS)
    assert {persona: menu(page(client)) for persona, client in clients.items()} == cached
    assert spy.renders == len(PERSONAS)  # the second round came from the cache

    app.extensions["supervise_layout_cache"] = cache.NullStore()
    for persona, client in clients.items():
        assert menu(page(client)) == cached[persona], persona
    assert len(set(cached.values())) == len(PERSONAS)  # every role and language has its own menu


def test_menus_differ_by_role_as_the_template_says(app, factory, spy):
    deputy = signed_in(app, factory.user("deputy"))
    chair = signed_in(app, factory.user("presidium"))
    db.session.commit()
    for _round in range(2):
        chair_menu, deputy_menu = menu(page(chair)), menu(page(deputy))
        assert "/meetings/escalation" in chair_menu or "督办预警" in chair_menu
        assert "督办预警" not in deputy_menu and "组织管理" not in deputy_menu
        assert "组织管理" in chair_menu
    assert spy.renders == 2


def test_names_townships_tokens_and_paths_are_each_requests_own(app, factory, spy):
    north, south = factory.township("北镇"), factory.township("南镇")
    one = factory.user("presidium", township=north, display_name="张主席")
    other = factory.user("presidium", township=south, display_name="李主席")
    first, second = signed_in(app, one), signed_in(app, other)
    db.session.commit()

    html_one = page(first, "/items/?page=1")
    html_other = page(second, "/")
    assert spy.renders == 1  # same role, same language: one menu
    assert "张主席" in user_area(html_one) and "北镇" in user_area(html_one)
    assert "李主席" not in html_one and "南镇" not in user_area(html_one)
    assert "李主席" in user_area(html_other) and "南镇" in user_area(html_other)
    assert "张主席" not in html_other

    token = re.compile(r'name="csrf_token" value="([^"]+)"')
    assert set(token.findall(html_one)).isdisjoint(token.findall(html_other))
    assert 'name="next" value="/items/?page=1"' in html_one
    assert 'name="next" value="/?"' in html_other or 'name="next" value="/"' in html_other


def test_the_menu_links_follow_the_url_prefix_of_the_request(app, factory):
    reader = signed_in(app, factory.user("presidium"))
    db.session.commit()
    assert 'href="/items/"' in menu(page(reader))
    behind_proxy = reader.get("/items/", base_url="http://localhost/supervise")
    assert 'href="/supervise/items/"' in menu(behind_proxy.get_data(as_text=True))


def test_a_visitor_never_gets_a_signed_in_menu(app, client, factory):
    reader = signed_in(app, factory.user("presidium"))
    db.session.commit()
    page(reader)
    login_page = page(client, "/login")
    assert 'href="/items/"' not in login_page
    assert "/logout" not in login_page


def test_signing_out_ends_the_session_while_the_menu_stays_cached(app, factory):
    user = factory.user("deputy")
    reader = signed_in(app, user)
    db.session.commit()
    page(reader)
    cookie = reader.get_cookie("session")
    assert reader.post("/logout").status_code == 302
    copy = app.test_client()
    copy.set_cookie("session", cookie.value)
    assert copy.get("/items/").status_code == 302


def test_the_user_is_loaded_with_their_township_in_one_statement(app, factory, count_queries):
    user = factory.user("presidium", township=factory.township("东镇"))
    db.session.commit()
    login_id = user.get_id()
    db.session.expunge_all()
    with app.test_request_context(), count_queries() as counter:
        loaded = load_user(login_id)
        assert loaded.township.name == "东镇"
    assert counter.count == 1


def test_the_loader_refuses_an_old_token_and_a_deactivated_account(app, factory):
    user = factory.user("deputy")
    db.session.commit()
    login_id = user.get_id()
    with app.test_request_context():
        assert load_user(login_id) is not None
        assert load_user(f"{user.id}:not-the-token") is None
        user.is_active_account = False
        db.session.commit()
        assert load_user(login_id) is None


@pytest.mark.parametrize(("settings", "cached"), [({}, True), ({"CACHE_URL": "none"}, False)])
def test_cache_url_none_switches_the_layout_cache_off_too(settings, cached):
    from supervise import create_app

    config = type("Config", (make_config("sqlite://"),), settings)
    store = cache.layout_cache(create_app(config))
    assert isinstance(store, cache.MemoryStore) is cached


def test_templates_reloaded_from_disk_are_never_cached():
    from supervise import create_app

    config = type("Config", (make_config("sqlite://"),), {"TEMPLATES_AUTO_RELOAD": True})
    assert isinstance(cache.layout_cache(create_app(config)), cache.NullStore)
