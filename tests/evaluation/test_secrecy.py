"""Secrecy: no log line or statement links a ballot's choices to a deputy (the schema: see
tests/ballots/test_secret_schema.py)."""

from __future__ import annotations

import logging
import re
import threading
from datetime import timedelta
from types import SimpleNamespace
from urllib.error import HTTPError
from urllib.parse import unquote
from urllib.request import Request, urlopen

from gunicorn.config import Config as GunicornConfig
from gunicorn.glogging import Logger as GunicornLogger
from sqlalchemy import event
from werkzeug.serving import make_server

from supervise.evaluation.models import Attendance, BallotKind
from supervise.extensions import db, limiter

# The schema's checks (no table or column links a ballot to a deputy) run for every vote that uses
# the ballot engine: tests/ballots/test_secret_schema.py. Here: a full run's statements and logs.

PEOPLE_TABLE = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE)\s+\"?(?:deputy|ballot_attendance)\b", re.I)


class Statements:
    """Every SQL statement the app sends, with its parameters, grouped by the request that sent it."""

    def __init__(self):
        self.by_request: dict[str, list[tuple[str, str]]] = {}
        self.current = "setup"

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.by_request.setdefault(self.current, []).append((statement, repr(parameters)))


def signed_in(app, factory, user):
    """Another browser, with ``user`` signed in (a second clerk checking the paper entries)."""
    db.session.commit()
    other = app.test_client()
    response = other.post("/login", data={"username": user.username, "password": factory.PASSWORD})
    assert response.status_code == 302
    return other


def test_a_full_run_logs_no_deputy_and_no_code(app, client, login_as, factory, caplog, tmp_path):
    """Roll call, hand-outs, a phone ballot, a paper sheet and a correction over HTTP, then closing,
    applying the results, publishing and both PDFs, with every logger at DEBUG and every statement
    recorded: no deputy's name or code is logged, and the requests that cast or correct a ballot
    send no statement about deputies or the roster at all."""

    chair = login_as("presidium")
    meeting = factory.evaluation_meeting(chair, deputies=4)
    names = [row.deputy.name for row in meeting.roster]
    ids = [row.deputy_id for row in meeting.roster]
    db.session.commit()
    checking = signed_in(app, factory, factory.user("presidium"))  # the second clerk: double entry
    statements = Statements()
    event.listen(db.engine, "before_cursor_execute", statements)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # every statement and its parameters
    caplog.clear()  # the factories' own inserts name deputies, of course
    base = f"/evaluation/{meeting.id}"

    def step(label, response, status=302):
        assert response.status_code == status, (label, response.status_code)
        return response

    try:
        statements.current = "hall"
        step("roll call", client.post(f"{base}/actions/start_roll_call"))
        for deputy_id in ids:
            step("mark", client.post(f"{base}/roll-call", data={"deputy_id": deputy_id, "present": "1"}))
        step("open", client.post(f"{base}/actions/open_voting"))
        handed = step(
            "phone",
            client.post(f"{base}/ballots", data={"deputy_id": ids[0], "kind": "phone", "q": names[0]}),
        )
        # The next page's address names nobody: an access log would otherwise say who took a ballot.
        assert "q=" not in handed.location and names[0] not in unquote(handed.location)
        step(
            "paper",
            client.post(f"{base}/ballots", data={"deputy_id": ids[1], "kind": "paper", "q": names[1]}),
        )
        step("serials", client.post(f"{base}/serials", data={"serials": "1"}))
        page = step("codes", client.post(f"{base}/codes", data={"count": "1"}), 200).get_data(as_text=True)
        (code,) = _codes_in(page)
        anonymous = app.test_client()
        lines = {f"line-{line.id}": "satisfied" for line in meeting.lines}
        statements.current = "phone ballot"
        step("vote page", anonymous.post("/vote", data={"code": code}), 200)
        step("vote", anonymous.post("/vote/ballot", data={"code": code, "meeting_id": meeting.id, **lines}))
        statements.current = "paper ballot"
        sheet = {f"line-{line.id}": "basic" for line in meeting.lines}
        step("enter", client.post(f"{base}/paper", data={"serial": "001", **sheet}))
        step("correct", client.post(f"{base}/paper/1", data={"reason": "核对原件", **lines}))
        step("check", checking.post(f"{base}/paper", data={"serial": "001", **lines}))
        statements.current = "after"
        step("close", client.post(f"{base}/actions/close_voting"))
        step("apply", client.post(f"{base}/actions/apply_results"))
        step("publish", client.post(f"{base}/publish"))
        for document in ("summary.pdf", "sheets.pdf"):
            step(document, client.get(f"{base}/{document}"), 200)
        step("results", client.get(f"{base}/results"), 200)
        step("assessment", client.get("/evaluation/assessment", query_string={"year": meeting.year}), 200)
    finally:
        event.remove(db.engine, "before_cursor_execute", statements)
    assert db.session.get(Attendance, meeting.roster[0].id).ballot_kind is BallotKind.phone

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "ballot" in logged  # the statements were logged, so the check below means something
    assert "evaluation_published_line" in logged and "record_result" in logged  # the run went to the end
    for name in names:
        assert name not in logged
    assert code not in logged and code.replace("-", "") not in logged
    for label, table in (("phone ballot", "ballot_sealed"), ("paper ballot", "ballot")):
        sent = statements.by_request[label]
        assert any(f"INSERT INTO {table} " in sql for sql, _params in sent), label
        for sql, params in sent:
            assert not PEOPLE_TABLE.search(sql), (label, sql)
            assert not any(name in params for name in names), (label, sql, params)
    for sql, params in (s for sent in statements.by_request.values() for s in sent):
        assert not any(name in params for name in names), (sql, params)
    # The phone ballot went into the sealed pool only; closing wrote it to the ballot table.
    casting = [sql for sql, _params in statements.by_request["phone ballot"]]
    assert not any("INSERT INTO ballot " in sql for sql in casting)
    closing = [sql for sql, _params in statements.by_request["after"]]
    assert any("INSERT INTO ballot " in sql for sql in closing)
    assert any("DELETE FROM ballot_sealed " in sql for sql in closing)


def _codes_in(page: str) -> list[str]:
    import re

    return re.findall(r'class="eval-code">([A-Z0-9]{4}-[A-Z0-9]{4})<', page)


# ---- no client address is logged for the voting addresses -------------------------------------------


def test_the_development_servers_access_log_has_no_line_for_the_voting_addresses(app, caplog):
    """werkzeug's server (``flask run``) logs "<address> - - [time] "POST /vote/ballot …"": not for /vote."""
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    caplog.set_level(logging.INFO, logger="werkzeug")
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        for path, body in (
            ("/vote", None),
            ("/vote", b"code=ABCD-2345"),
            ("/vote/ballot", b"code=x"),
            ("/login", None),
        ):
            try:
                with urlopen(Request(base + path, data=body), timeout=10) as response:  # noqa: S310
                    response.read()
            except HTTPError as error:
                error.close()
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
    lines = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    assert any("127.0.0.1" in line and "GET /login" in line for line in lines), lines  # it logs
    assert not [line for line in lines if "/vote" in line]


def test_gunicorns_access_log_has_no_line_for_the_voting_addresses(app, tmp_path):
    """Started with ``--access-logfile``, gunicorn writes through the "gunicorn.access" logger of the
    app's process: its lines for /vote are dropped, others kept."""
    cfg = GunicornConfig()
    cfg.set("accesslog", str(tmp_path / "access.log"))
    log = GunicornLogger(cfg)
    try:
        for method, path in (("GET", "/vote"), ("POST", "/vote/ballot"), ("GET", "/login")):
            environ = {
                "REQUEST_METHOD": method,
                "RAW_URI": path,
                "PATH_INFO": path,
                "SERVER_PROTOCOL": "HTTP/1.1",
                "REMOTE_ADDR": "203.0.113.7",
            }
            response = SimpleNamespace(status="200 OK", sent=10, headers=[])
            log.access(response, SimpleNamespace(headers=[]), environ, timedelta(seconds=0))
    finally:
        for logger in (log.access_log, log.error_log):
            for handler in list(logger.handlers):
                logger.removeHandler(handler)
                handler.close()
    written = (tmp_path / "access.log").read_text()
    assert "203.0.113.7" in written and "GET /login" in written  # it logs
    assert "/vote" not in written


def test_the_rate_limiters_store_keeps_no_voters_address(client):
    """Wrong codes are counted per phone and per address in the limiter's store (Redis in
    production): under a keyed hash of the address, never the address itself."""
    voter = {"REMOTE_ADDR": "203.0.113.7"}
    for _n in range(2):
        response = client.post("/vote", data={"code": "ABCD-2345"}, environ_base=voter)
        assert response.status_code == 400
    storage = limiter.storage
    keys = [*storage.storage, *storage.expirations]  # type: ignore[attr-defined]
    assert any("vote-code-failure" in key for key in keys)  # the failures were counted
    assert not [key for key in keys if "203.0.113.7" in key]


def test_the_voting_pages_load_their_own_assets_under_the_voting_address(client):
    """A line for /static/vote.js would date each phone's opening of the ballot: the voting pages'
    assets come from under /vote, which no log keeps."""
    page = client.get("/vote").get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', page)
    own = [a for a in assets if "vote" in a or "evaluation" in a]
    assert own and all(a.startswith("/vote/") for a in own), assets
    for asset in own:
        assert client.get(asset).status_code == 200
    assert client.get("/vote/assets/app.js").status_code == 404  # only the voting pages' own
