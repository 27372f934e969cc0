"""Secrecy of the vote, as of the evaluation (tests/evaluation/test_secrecy.py): over HTTP, a phone
ballot and a paper sheet are cast with every logger at DEBUG and every statement recorded; no
deputy's name or code is logged, and the requests that cast a ballot send no statement about
deputies or the roster. (The schema's checks run for the vote in tests/ballots/test_secret_schema.py.)"""

from __future__ import annotations

import logging

from sqlalchemy import event

from supervise.ballots import hall
from supervise.extensions import db
from tests.evaluation.test_secrecy import PEOPLE_TABLE, Statements, _codes_in, signed_in
from tests.livelihood.test_vote import Voting


def test_casting_a_vote_logs_no_deputy_and_no_code(app, client, login_as, factory, caplog):
    voting = Voting(factory)
    vote = voting.vote
    hall.start_roll_call(voting.chair, vote)
    hall.mark_all_present(voting.chair, vote)
    hall.open_voting(voting.chair, vote)
    db.session.commit()
    names = [row.deputy.name for row in vote.roster]
    ids = [row.deputy_id for row in vote.roster]
    login_as(voting.chair)
    checking = signed_in(
        app, factory, factory.user("presidium", township=voting.planning.collecting.township)
    )
    statements = Statements()
    event.listen(db.engine, "before_cursor_execute", statements)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    caplog.clear()
    base = f"/livelihood/votes/{vote.id}"
    first, second, third = (f"line-{line.id}" for line in vote.lines)

    def step(label, response, status=302):
        assert response.status_code == status, (label, response.status_code)
        return response

    try:
        statements.current = "hall"
        step("phone", client.post(f"{base}/ballots", data={"deputy_id": ids[0], "kind": "phone"}))
        step("paper", client.post(f"{base}/ballots", data={"deputy_id": ids[1], "kind": "paper"}))
        step("serials", client.post(f"{base}/serials", data={"serials": "1"}))
        page = step("codes", client.post(f"{base}/codes", data={"count": "1"}), 200).get_data(as_text=True)
        (code,) = _codes_in(page)
        anonymous = app.test_client()
        statements.current = "phone ballot"
        step("vote page", anonymous.post("/vote", data={"code": code}), 200)
        ballot = {"code": code, "meeting_id": vote.id, first: "yes", second: "no", third: "abstain"}
        step("vote", anonymous.post("/vote/ballot", data=ballot))
        statements.current = "paper ballot"
        step("enter", client.post(f"{base}/paper", data={"serial": "001", first: "yes", second: "yes"}))
        step("check", checking.post(f"{base}/paper", data={"serial": "001", first: "yes", second: "yes"}))
        statements.current = "after"
        step("close", client.post(f"{base}/actions/close_voting"))
    finally:
        event.remove(db.engine, "before_cursor_execute", statements)

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "ballot" in logged  # the statements were logged, so the checks below mean something
    for name in names:
        assert name not in logged
    assert code not in logged and code.replace("-", "") not in logged
    for label, table in (("phone ballot", "ballot_sealed"), ("paper ballot", "ballot")):
        sent = statements.by_request[label]
        assert any(f"INSERT INTO {table} " in sql for sql, _params in sent), label
        for sql, params in sent:
            assert not PEOPLE_TABLE.search(sql), (label, sql)
            assert not any(name in params for name in names), (label, sql, params)
    closing = [sql for sql, _params in statements.by_request["after"]]
    assert any("INSERT INTO ballot " in sql for sql in closing)
    assert any("DELETE FROM ballot_sealed " in sql for sql in closing)
