"""The error pages themselves never fail: a database that drops mid-request still gets the user a
proper page in their language, rendered without another query."""

from __future__ import annotations

from contextlib import contextmanager

from flask import has_request_context
from sqlalchemy import event

from supervise.extensions import db

from ..helpers import text_of


@contextmanager
def database_drops_after(statements: int):
    """Let the next ``statements`` SQL statements through, then fail every one after them as a lost
    connection does (the driver's own OperationalError), until the block ends."""
    seen = {"count": 0}
    failed: list[str] = []

    def maybe_fail(conn, cursor, statement, *args):
        seen["count"] += 1
        if seen["count"] > statements:
            failed.append(statement)
            raise conn.dialect.loaded_dbapi.OperationalError("server closed the connection unexpectedly")

    event.listen(db.engine, "before_cursor_execute", maybe_fail)
    try:
        yield failed
    finally:
        event.remove(db.engine, "before_cursor_execute", maybe_fail)


def test_a_database_lost_mid_request_gets_a_proper_chinese_error_page(client, login_as):
    login_as("presidium")
    with database_drops_after(1) as failed:  # the signed-in user loads, the page's queries fail
        response = client.get("/")
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    text = text_of(response)
    assert "系统出错了" in text
    assert "您输入的内容没有保存" in text
    assert "返回首页" in text
    assert len(failed) == 1  # the error page asked the broken session nothing more
    assert response.headers["Cache-Control"] == "no-store"  # still a signed-in user's page


def test_a_database_lost_before_the_user_loads_still_gets_the_page(client, login_as):
    login_as("presidium")
    with database_drops_after(0) as failed:
        response = client.get("/")
    assert response.status_code == 500
    assert "系统出错了" in text_of(response)
    assert len(failed) == 1


def test_the_error_page_keeps_the_signed_in_users_language(client, login_as):
    user = login_as("presidium")
    user.locale = "en"
    db.session.commit()
    with database_drops_after(1):
        response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong" in text_of(response)


def test_a_database_lost_at_the_commit_says_nothing_was_saved(app, client, login_as):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: a failed commit reaches Flask's 500
    user = login_as("presidium")

    def drop(conn):
        if has_request_context():  # the request's commit, not the test's own
            raise conn.dialect.loaded_dbapi.OperationalError("server closed the connection unexpectedly")

    event.listen(db.engine, "commit", drop)
    try:
        response = client.post("/manage/offices/new", data={"name": "财政所"})
    finally:
        event.remove(db.engine, "commit", drop)
    assert response.status_code == 500
    assert "您输入的内容没有保存" in text_of(response)
    assert db.session.get(type(user), user.id) is not None
    assert "财政所" not in text_of(client.get("/manage/offices/"))
