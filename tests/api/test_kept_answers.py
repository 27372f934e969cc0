"""Whole API answers kept under everything they are made of (supervise/api/answers.py): "my items"
and a public notice cost one light statement the second time, and any change shows at once."""

from __future__ import annotations

from datetime import date, timedelta

from supervise.accounts.tokens import ApiToken
from supervise.core.clock import today, utcnow
from supervise.core.dates import shift_month
from supervise.extensions import db
from supervise.notices.models import PublicNotice
from supervise.org.models import Deputy

from .conftest import ApiClient, token_for


def _deputy_with_an_item(factory, api):
    deputy = db.session.get(Deputy, api.user.deputy_id)
    item = factory.item("supervising", supervisors=[deputy])
    factory.report_row(item, month=shift_month(today().replace(day=1), -1))
    db.session.commit()
    return item


def _token_of(api) -> ApiToken:
    return db.session.execute(db.select(ApiToken).where(ApiToken.user_id == api.user.id)).scalar_one()


def test_my_items_are_kept_and_a_new_report_shows_at_once(factory, api_as, count_queries):
    api = api_as("deputy")
    item = _deputy_with_an_item(factory, api)
    first = api.get("/api/v1/me/items")
    with count_queries() as counter:
        again = api.get("/api/v1/me/items")
    assert counter.count == 1  # the token, the account and its townships' data versions
    assert again.get_data() == first.get_data()
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"] == "no-store"
    assert again.mimetype == first.mimetype == "application/json"
    report = factory.report_row(item, percent=90)
    db.session.commit()
    reports = api.get("/api/v1/me/items").get_json()["items"][0]["reports"]
    assert [r["id"] for r in reports][0] == report.id and reports[0]["percent"] == 90


def test_a_kept_answer_is_only_for_its_query_and_language(factory, api_as):
    api = api_as("deputy")
    for _ in range(2):
        _deputy_with_an_item(factory, api)
    assert len(api.get("/api/v1/me/items").get_json()["items"]) == 2
    assert len(api.get("/api/v1/me/items?limit=1").get_json()["items"]) == 1
    chinese = api.get("/api/v1/me/items").get_json()["items"][0]["state_label"]
    english = api.client.get("/api/v1/me/items", headers={**api.headers(), "Accept-Language": "en"})
    assert english.get_json()["items"][0]["state_label"] != chinese


def test_a_kept_answer_is_never_given_to_another_caller(factory, api_as):
    api = api_as("deputy")
    _deputy_with_an_item(factory, api)
    other = api_as("deputy")
    assert api.get("/api/v1/me/items").get_json()["items"]
    assert other.get("/api/v1/me/items").get_json()["items"] == []
    assert api.client.get("/api/v1/me/items").status_code == 401  # no token


def test_a_revoked_token_or_a_deactivated_account_gets_no_kept_answer(factory, api_as):
    api = api_as("deputy")
    _deputy_with_an_item(factory, api)
    assert api.get("/api/v1/me/items").status_code == 200
    _token_of(api).revoked_at = utcnow()
    db.session.commit()
    assert api.get("/api/v1/me/items").status_code == 401
    second = ApiClient(api.client, token_for(api.user))
    assert second.get("/api/v1/me/items").status_code == 200
    api.user.is_active_account = False
    db.session.commit()
    assert second.get("/api/v1/me/items").status_code == 401


def test_a_use_is_recorded_when_the_answer_is_kept(factory, api_as):
    api = api_as("deputy")
    _deputy_with_an_item(factory, api)
    api.get("/api/v1/me/items")
    token = _token_of(api)
    long_ago = utcnow() - timedelta(hours=1)
    token.last_used_at = long_ago
    db.session.commit()
    assert api.get("/api/v1/me/items").status_code == 200
    assert db.session.get(ApiToken, token.id).last_used_at > long_ago


def test_a_public_notice_is_kept_and_shows_its_townships_new_name(factory, app, count_queries):
    township = factory.default_township
    notice = PublicNotice(township_id=township.id, month=date(2026, 5, 1), title="公示", issuer="主席团")
    db.session.add(notice)
    db.session.commit()
    client = app.test_client()
    url = f"/api/v1/public/townships/{township.slug}/notices/{notice.id}"
    first = client.get(url)
    with count_queries() as counter:
        again = client.get(url)
    assert counter.count == 1 and again.get_data() == first.get_data()
    assert "Cache-Control" not in again.headers and "Cache-Control" not in first.headers
    township.name = "新名镇"
    db.session.commit()
    assert client.get(url).get_json()["township"]["name"] == "新名镇"
    assert client.get(f"/api/v1/public/townships/nowhere/notices/{notice.id}").status_code == 404
    refused = client.get(url, headers={"Authorization": "Bearer sv_nonsense"})
    assert refused.status_code == 401  # a wrong token is refused, kept answer or not
