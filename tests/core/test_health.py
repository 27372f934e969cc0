from supervise.extensions import db


def test_healthz_answers_when_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "pdf_font_subsetting": "ok"}


def test_healthz_503_when_database_is_gone(app, client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "error"


def test_security_headers_on_every_page(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp
    assert "upgrade-insecure-requests" not in csp  # must keep working over plain HTTP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers


def test_nul_characters_are_refused_with_a_clear_page(client, login_as):
    login_as("presidium")
    response = client.post("/manage/offices/new", data={"name": "财政\x00所"})
    assert response.status_code == 400
    assert "提交的内容无法处理" in response.get_data(as_text=True)
    assert client.get("/manage/offices/?q=a%00b").status_code == 400


def test_ids_beyond_the_database_integer_are_404(client, login_as):
    login_as("presidium")
    assert client.get("/items/99999999999").status_code == 404
    assert client.get("/manage/deputies/99999999999/edit").status_code == 404


def test_query_arguments_cannot_break_page_links(client, login_as):
    login_as("presidium")
    response = client.get("/manage/offices/?endpoint=x&_anchor=y&page=1")
    assert response.status_code == 200


def test_behind_a_proxy_the_real_address_is_used(backend):
    from supervise import create_app
    from tests.conftest import make_config

    app = create_app(type("Proxied", (make_config("sqlite://"),), {"PROXY_COUNT": 1}))
    seen = {}

    @app.get("/whoami-test")
    def whoami():
        from flask import request

        seen["addr"] = request.remote_addr
        return "ok"

    app.test_client().get("/whoami-test", headers={"X-Forwarded-For": "10.1.2.3"})
    assert seen["addr"] == "10.1.2.3"
