"""Sign-in: hashing, throttling, session invalidation, CSRF, cookies and redirects."""

from __future__ import annotations

import re
import time

import pytest

from supervise import create_app
from supervise.accounts.models import User
from supervise.extensions import db
from tests.conftest import IsolatedClient, make_config
from tests.helpers import text_of


def sign_in(client, username, password="correct-horse-battery", **kwargs):  # noqa: S107
    return client.post("/login", data={"username": username, "password": password}, **kwargs)


def test_passwords_are_argon2id(factory):
    user = factory.user("presidium")
    assert user.password_hash.startswith("$argon2id$")


def test_sign_in_lands_on_home_and_wrong_password_says_so(client, factory):
    user = factory.user("presidium")
    bad = sign_in(client, user.username, "wrong-password")
    assert bad.status_code == 200
    assert "用户名或密码不正确" in bad.get_data(as_text=True)
    assert user.username in bad.get_data(as_text=True)  # the typed username stays in the form
    good = sign_in(client, user.username.upper())  # usernames are case-insensitive
    assert good.status_code == 302 and good.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_deactivated_account_cannot_sign_in(client, factory):
    user = factory.user("government")
    user.is_active_account = False
    assert sign_in(client, user.username).status_code == 200
    assert client.get("/").status_code == 302


ATTACKER = {"REMOTE_ADDR": "10.6.6.6"}
CHAIR_AT_HOME = {"REMOTE_ADDR": "10.0.0.9"}


@pytest.fixture
def clock(monkeypatch):
    """``clock.advance(seconds)``: the throttle's storage (and everything reading time.time) moves on."""

    class Clock:
        offset = 0.0

        def advance(self, seconds: float) -> None:
            self.offset += seconds

    clock, real = Clock(), time.time
    monkeypatch.setattr(time, "time", lambda: real() + clock.offset)
    return clock


def waited_seconds(response) -> int:
    """The wait a refused sign-in names, in seconds."""
    assert response.status_code == 429, response.status_code
    found = re.search(r"请 (\d+) (秒|分钟)后再试", response.get_data(as_text=True))
    assert found, response.get_data(as_text=True)[:500]
    return int(found.group(1)) * (60 if found.group(2) == "分钟" else 1)


def test_wrong_passwords_from_one_address_never_lock_the_account_for_others(client, factory, clock):
    chair = factory.user("presidium")
    for _ in range(12):  # an attacker trying to lock the chair out just before the meeting
        sign_in(client, chair.username, "wrong-password", environ_base=ATTACKER)
        clock.advance(1)
    assert sign_in(client, chair.username, environ_base=ATTACKER).status_code == 429
    assert sign_in(client, chair.username, environ_base=CHAIR_AT_HOME).status_code == 302


def test_a_pair_is_slowed_down_more_with_each_failure(client, factory, clock):
    chair = factory.user("presidium")
    for _ in range(5):  # typing slips cost nothing
        assert sign_in(client, chair.username, "wrong-password", environ_base=ATTACKER).status_code == 200
    assert sign_in(client, chair.username, "wrong-password", environ_base=ATTACKER).status_code == 200
    waits = [waited_seconds(sign_in(client, chair.username, environ_base=ATTACKER))]
    for _ in range(3):
        clock.advance(waits[-1] + 1)
        assert sign_in(client, chair.username, "wrong-password", environ_base=ATTACKER).status_code == 200
        waits.append(waited_seconds(sign_in(client, chair.username, environ_base=ATTACKER)))
    assert waits == sorted(waits) and len(set(waits)) == len(waits), waits  # it grows each time
    assert "失败次数过多" in sign_in(client, chair.username, environ_base=ATTACKER).get_data(as_text=True)
    other = factory.user("deputy")  # another account from the same address is not slowed down
    assert sign_in(client, other.username, environ_base=ATTACKER).status_code == 302
    client.post("/logout")
    clock.advance(waits[-1] + 1)  # once the wait has passed, the right password signs in
    assert sign_in(client, chair.username, environ_base=ATTACKER).status_code == 302


def test_an_office_behind_one_address_is_not_locked_out(client, factory):
    for n in range(40):  # forty colleagues mistype once each, behind the office's one NAT address
        assert sign_in(client, f"clerk{n}", "wrong-password").status_code == 200
    colleague = factory.user("government")
    assert sign_in(client, colleague.username).status_code == 302


def test_failed_sign_ins_are_throttled_per_address(app, client, factory):
    app.config["LOGIN_FAILURES_PER_ADDRESS"] = "3/15minute"
    for n in range(3):
        sign_in(client, f"guess{n}", "wrong-password")
    user = factory.user("deputy")
    assert sign_in(client, user.username).status_code == 429
    elsewhere = app.test_client()
    assert sign_in(elsewhere, user.username, environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 302


def test_repeated_failures_are_logged_and_shown_to_the_administrator(client, factory, caplog, clock):
    chair = factory.user("presidium", display_name="张主席")
    for _ in range(7):
        sign_in(client, chair.username, "wrong-password", environ_base=ATTACKER)
        clock.advance(3600)
    for _ in range(6):
        sign_in(client, "nobody-here", "wrong-password", environ_base=ATTACKER)
        clock.advance(3600)
    sign_in(client, chair.username, "wrong-password", environ_base=CHAIR_AT_HOME)  # one slip: not listed
    assert any(
        "repeated sign-in failures" in r.message and chair.username in r.message and "10.6.6.6" in r.message
        for r in caplog.records
    )
    admin = factory.user("admin")
    assert sign_in(client, admin.username).status_code == 302
    card = text_of(client.get("/")).split("反复登录失败")[1]
    assert f"{chair.username} 张主席 10.6.6.6 7" in card
    # A name that is no account may be a password typed into the wrong box: two characters only.
    assert "no…（11） 无此账号 10.6.6.6 6" in card and "nobody-here" not in card
    assert not any("nobody-here" in r.message for r in caplog.records)
    assert "10.0.0.9" not in card
    client.post("/logout")
    sign_in(client, factory.user("presidium").username)
    assert "反复登录失败" not in text_of(client.get("/"))


def test_successful_sign_in_clears_the_accounts_failures(client, factory):
    user = factory.user("deputy")
    for _ in range(4):
        sign_in(client, user.username, "wrong-password")
    assert sign_in(client, user.username).status_code == 302
    client.post("/logout")
    for _ in range(4):
        sign_in(client, user.username, "wrong-password")
    assert sign_in(client, user.username).status_code == 302


def test_sign_in_starts_a_fresh_session(client, factory):
    user = factory.user("deputy")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in(client, user.username)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_sign_out_invalidates_a_copied_session_cookie(client, factory):
    user = factory.user("presidium")
    sign_in(client, user.username)
    stolen = client.get_cookie("session").value
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302
    thief = client.application.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_deactivation_ends_existing_sessions(app, client, factory, login_as):
    clerk = factory.user("government")
    sign_in(client, clerk.username)
    assert client.get("/").status_code == 200
    chair = factory.user("presidium")
    manager = app.test_client()
    sign_in(manager, chair.username)
    assert manager.post(f"/manage/accounts/{clerk.id}/active", data={"active": "0"}).status_code == 302
    assert db.session.get(User, clerk.id).is_active is False
    assert client.get("/").status_code == 302


def test_password_change_keeps_this_session_and_ends_others(app, client, factory):
    user = factory.user("deputy")
    other_device = app.test_client()
    sign_in(client, user.username)
    sign_in(other_device, user.username)
    response = client.post(
        "/account/password",
        data={
            "current": "correct-horse-battery",
            "new": "a-new-long-passphrase",
            "confirm": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other_device.get("/").status_code == 302
    client.post("/logout")
    assert sign_in(client, user.username, "a-new-long-passphrase").status_code == 302


@pytest.mark.parametrize(
    "new,message",
    [("short", "至少需要 10 个字符"), ("1234567890", "太常见"), ("qwertyuiop", "太常见")],
)
def test_password_change_refuses_weak_passwords(client, login_as, new, message):
    login_as("deputy")
    response = client.post(
        "/account/password", data={"current": "correct-horse-battery", "new": new, "confirm": new}
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_password_change_needs_the_current_password(client, login_as):
    login_as("deputy")
    response = client.post(
        "/account/password",
        data={"current": "not-it", "new": "another-passphrase", "confirm": "another-passphrase"},
    )
    assert "当前密码不正确" in response.get_data(as_text=True)


def test_next_parameter_cannot_redirect_off_site(client, factory):
    user = factory.user("deputy")
    response = sign_in(client, user.username, query_string={"next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = sign_in(client, user.username, query_string={"next": "/account/password"})
    assert response.headers["Location"] == "/account/password"


def test_session_cookie_flags(client, factory):
    user = factory.user("deputy")
    cookie = sign_in(client, user.username).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_cookies_are_secure_when_supervise_https_is_set(monkeypatch):
    import importlib

    import config

    monkeypatch.setenv("SUPERVISE_HTTPS", "1")
    try:
        secure = importlib.reload(config)
        assert secure.Config.SESSION_COOKIE_SECURE is True
        assert secure.Config.REMEMBER_COOKIE_SECURE is True
    finally:
        monkeypatch.delenv("SUPERVISE_HTTPS")
        assert importlib.reload(config).Config.SESSION_COOKIE_SECURE is False


def test_forms_without_csrf_token_are_refused():
    config = make_config("sqlite://")
    app = create_app(type("CsrfConfig", (config,), {"WTF_CSRF_ENABLED": True}))
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
        response = app.test_client().post("/login", data={"username": "x", "password": "y"})
        assert response.status_code == 400
        assert "页面已过期" in response.get_data(as_text=True)
        assert "Traceback" not in response.get_data(as_text=True)
        db.drop_all()


def test_language_choice_is_kept_per_user(client, factory):
    user = factory.user("deputy")
    sign_in(client, user.username)
    client.post("/language", data={"locale": "en"})
    assert db.session.get(User, user.id).locale == "en"
    client.post("/logout")
    fresh = client.application.test_client()
    sign_in(fresh, user.username)
    assert 'lang="en"' in fresh.get("/").get_data(as_text=True)


def test_unknown_language_is_refused(client):
    response = client.post("/language", data={"locale": "xx"})
    assert response.status_code == 400


def test_failures_older_than_a_month_are_dropped_as_new_ones_come(client, factory, clock):
    from datetime import timedelta

    from supervise.accounts.models import SignInFailure
    from supervise.extensions import db

    def fail_six_times(name: str) -> None:
        for _ in range(6):
            sign_in(client, name, "wrong-password", environ_base=ATTACKER)
            clock.advance(3600)

    fail_six_times("old-name")
    db.session.execute(db.update(SignInFailure).values(last_at=SignInFailure.last_at - timedelta(days=31)))
    db.session.commit()
    fail_six_times("new-name")
    kept = db.session.execute(db.select(SignInFailure.account)).scalars().all()
    assert kept == ["ne…（8）"]
