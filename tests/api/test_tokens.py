"""Personal access tokens: made on the account page (shown once), scoped, revocable; they open the
API and nothing else, and the session cookie never opens the API."""

from __future__ import annotations

from supervise.accounts.tokens import ApiToken, hash_secret
from supervise.extensions import db
from tests.helpers import count

from .conftest import ApiClient, token_for


def test_a_token_is_made_on_the_account_page_shown_once_and_stored_hashed(app, login_as, client):
    user = login_as("deputy")
    page = client.post("/account/tokens", data={"name": "我的手机", "scope": "write"})
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    token = db.session.execute(db.select(ApiToken)).scalar_one()
    secret = body.split('id="token-secret">')[1].split("<")[0]
    assert secret.startswith("sv_") and token.token_hash == hash_secret(secret)
    assert secret not in client.get("/account/tokens").get_data(as_text=True)
    assert token.user_id == user.id and token.name == "我的手机"
    me = ApiClient(app.test_client(), secret).get("/api/v1/me")
    assert me.status_code == 200 and me.get_json()["username"] == user.username


def test_a_token_without_a_name_is_refused_with_the_typing_kept(login_as, client):
    login_as("deputy")
    page = client.post("/account/tokens", data={"name": "", "scope": "read"})
    assert page.status_code == 422
    assert "请为令牌起一个名称" in page.get_data(as_text=True)
    assert count(ApiToken) == 0


def test_a_revoked_token_is_refused_with_401(app, factory, login_as, client):
    user = login_as("deputy")
    secret = token_for(user)
    api = ApiClient(app.test_client(), secret)
    assert api.get("/api/v1/me").status_code == 200
    token = db.session.execute(db.select(ApiToken)).scalar_one()
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 302
    refused = api.get("/api/v1/me")
    assert refused.status_code == 401
    assert refused.mimetype == "application/problem+json"
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_token_of_a_deactivated_account_is_refused(app, factory):
    user = factory.user("deputy")
    api = ApiClient(app.test_client(), token_for(user))
    user.is_active_account = False
    db.session.commit()
    assert api.get("/api/v1/me").status_code == 401


def test_an_unknown_token_is_401_and_no_token_is_401(app):
    assert ApiClient(app.test_client(), "sv_nonsense").get("/api/v1/me").status_code == 401
    assert app.test_client().get("/api/v1/me").status_code == 401


def test_the_session_cookie_never_opens_the_api(login_as, client):
    login_as("deputy")
    assert client.get("/").status_code == 200
    answer = client.get("/api/v1/me")
    assert answer.status_code == 401
    assert answer.mimetype == "application/problem+json"


def test_a_token_never_opens_a_page(app, factory):
    user = factory.user("deputy")
    api = ApiClient(app.test_client(), token_for(user))
    page = api.client.get("/", headers=api.headers())
    assert page.status_code == 302 and "/login" in page.location


def test_a_read_token_is_refused_on_writes_with_a_403_problem(app, factory):
    user = factory.user("deputy")
    api = ApiClient(app.test_client(), token_for(user, "read"))
    assert api.get("/api/v1/me").status_code == 200
    refused = api.post("/api/v1/inspections", json={"method": "tour"})
    assert refused.status_code == 403
    assert refused.mimetype == "application/problem+json"
    assert "只能读取" in refused.get_json()["detail"]


def test_someone_elses_token_cannot_be_revoked(factory, login_as, client):
    other = factory.user("deputy")
    token_for(other)
    token = db.session.execute(db.select(ApiToken)).scalar_one()
    login_as("deputy")
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    assert db.session.get(ApiToken, token.id).revoked_at is None


def test_the_demo_portal_token_reads_the_demo_deputys_items(app):
    from supervise.demo import DEMO_PORTAL_TOKEN, seed_demo

    seed_demo()
    db.session.commit()
    api = ApiClient(app.test_client(), DEMO_PORTAL_TOKEN)
    assert api.get("/api/v1/me").get_json()["username"] == "deputy"
    assert api.get("/api/v1/me/items").get_json()["items"]


def test_problems_speak_the_language_asked_for(app):
    client = app.test_client()
    english = client.get("/api/v1/me", headers={"Accept-Language": "en"})
    assert english.get_json()["title"] == "A valid access token is needed"
    assert client.get("/api/v1/me").get_json()["title"] == "需要有效的访问令牌"
