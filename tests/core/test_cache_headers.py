"""Office computers are shared: nothing a signed-in user was shown stays in a browser's or a proxy's
cache. The public pages and the app's assets keep their own caching."""

from __future__ import annotations

import pytest

from tests.uploads.samples import png_bytes, upload


@pytest.mark.parametrize(
    "path",
    ["/", "/items/", "/lists/", "/items/export.xlsx", "/account/password", "/items/99999", "/no-such-page"],
)
def test_what_a_signed_in_user_gets_is_never_stored(client, login_as, path):
    login_as("presidium")
    response = client.get(path)
    assert response.headers["Cache-Control"] == "no-store", (path, response.status_code)


def test_signing_in_is_not_stored_either(client, factory):
    user = factory.user("deputy")
    signed_in = client.post("/login", data={"username": user.username, "password": factory.PASSWORD})
    assert signed_in.status_code == 302 and signed_in.headers["Cache-Control"] == "no-store"


def test_public_pages_keep_their_caching_for_visitors_and_signed_in_users(client, login_as):
    for who in ("visitor", "signed in"):
        if who == "signed in":
            login_as("presidium")
        page = client.get("/public/")
        assert page.status_code == 200
        assert page.headers["Cache-Control"] == "no-cache" and page.headers.get("ETag"), who
        asset = client.get("/static/app.css")
        assert "no-store" not in asset.headers.get("Cache-Control", ""), who
        asset.close()


def test_a_visitors_sign_in_page_is_left_as_it_was(client):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")


def test_uploaded_photos_keep_their_private_caching(app, client, login_as):
    from supervise.uploads.storage import store_upload

    deputy = login_as("deputy")
    photo = store_upload(upload("现场.png", png_bytes()), user=deputy, township_id=deputy.township_id)
    response = client.get(f"/files/{photo.id}/preview")
    assert response.status_code == 200
    caching = response.headers["Cache-Control"]
    assert "private" in caching and "no-store" not in caching


def test_a_page_served_again_from_the_whole_page_cache_is_not_stored_either(client, login_as):
    login_as("presidium")
    first, second = client.get("/items/"), client.get("/items/")
    assert first.status_code == second.status_code == 200
    assert first.headers["Cache-Control"] == second.headers["Cache-Control"] == "no-store"
