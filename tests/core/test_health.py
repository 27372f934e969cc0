from supervise.extensions import db


def test_healthz_answers_when_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


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
