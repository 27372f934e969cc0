"""Secrecy: no table, column or log line links a ballot's choices to a deputy."""

from __future__ import annotations

import logging

from sqlalchemy import inspect

from supervise.evaluation.models import Attendance, BallotKind
from supervise.extensions import db

# The tables that hold or lead to a ballot's choices.
BALLOT_TABLES = (
    "evaluation_ballot",
    "evaluation_ballot_mark",
    "evaluation_phone_code",
    "evaluation_paper_serial",
)
# Tables that name people: a ballot table may refer to none of them.
PEOPLE_TABLES = {"deputy", "user", "evaluation_attendance"}
# The only columns that name a person near the ballots: the clerk (a presidium account) who typed
# or corrected a sheet. A presidium account can never carry a deputy (CHECK deputy_only_deputy).
CLERK_COLUMNS = {
    "evaluation_paper_entry": {"entered_by_id"},
    "evaluation_ballot_correction": {"made_by_id"},
}


def test_no_ballot_table_refers_to_a_deputy_or_a_user(app):
    schema = inspect(db.engine)
    for table in BALLOT_TABLES:
        targets = {fk["referred_table"] for fk in schema.get_foreign_keys(table)}
        assert not targets & PEOPLE_TABLES, (table, targets)
        columns = {c["name"] for c in schema.get_columns(table)}
        assert not {c for c in columns if "deputy" in c or "user" in c or c.endswith("_by_id")}, columns
        # A code is never stored in clear.
        assert "code" not in columns


def test_what_leads_from_a_ballot_to_a_person_is_only_the_clerk_who_typed_it(app):
    schema = inspect(db.engine)
    for table, allowed in CLERK_COLUMNS.items():
        to_people = {
            tuple(fk["constrained_columns"])
            for fk in schema.get_foreign_keys(table)
            if fk["referred_table"] in PEOPLE_TABLES
        }
        assert to_people == {(column,) for column in allowed}
        referred = {fk["referred_table"] for fk in schema.get_foreign_keys(table)}
        assert "deputy" not in referred
    # The roster says only what kind of ballot a deputy received: no serial, no code, no time.
    roster = {c["name"] for c in schema.get_columns("evaluation_attendance")}
    assert roster == {"id", "meeting_id", "deputy_id", "present", "marked_at", "marked_by_id", "ballot_kind"}
    assert not {fk["referred_table"] for fk in schema.get_foreign_keys("evaluation_attendance")} & set(
        BALLOT_TABLES
    )


def test_a_full_run_logs_no_deputy_and_no_code(app, client, login_as, factory, caplog):
    """Roll call, hand-out, a phone ballot and a paper sheet over HTTP, with every logger at DEBUG."""

    chair = login_as("presidium")
    meeting = factory.evaluation_meeting(chair, deputies=4)
    names = [row.deputy.name for row in meeting.roster]
    ids = [row.deputy_id for row in meeting.roster]
    db.session.commit()
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # every statement and its parameters
    caplog.clear()  # the factories' own inserts name deputies, of course
    base = f"/evaluation/{meeting.id}"
    assert client.post(f"{base}/actions/start_roll_call").status_code == 302
    for deputy_id in ids:
        assert (
            client.post(f"{base}/roll-call", data={"deputy_id": deputy_id, "present": "1"}).status_code == 302
        )
    assert client.post(f"{base}/actions/open_voting").status_code == 302
    assert client.post(f"{base}/ballots", data={"deputy_id": ids[0], "kind": "phone"}).status_code == 302
    assert client.post(f"{base}/ballots", data={"deputy_id": ids[1], "kind": "paper"}).status_code == 302
    assert client.post(f"{base}/serials", data={"serials": "1"}).status_code == 302
    page = client.post(f"{base}/codes", data={"count": "1"}).get_data(as_text=True)
    (code,) = _codes_in(page)
    anonymous = app.test_client()
    lines = {f"line-{line.id}": "satisfied" for line in meeting.lines}
    assert anonymous.post("/vote", data={"code": code}).status_code == 200
    done = anonymous.post("/vote/ballot", data={"code": code, "meeting_id": meeting.id, **lines})
    assert done.status_code == 302
    sheet = {f"line-{line.id}": "basic" for line in meeting.lines}
    assert client.post(f"{base}/paper", data={"serial": "001", **sheet}).status_code == 302
    assert db.session.get(Attendance, meeting.roster[0].id).ballot_kind is BallotKind.phone

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "evaluation_ballot" in logged  # the statements were logged, so the check below means something
    for name in names:
        assert name not in logged
    assert code not in logged and code.replace("-", "") not in logged


def _codes_in(page: str) -> list[str]:
    import re

    return re.findall(r'class="eval-code">([A-Z0-9]{4}-[A-Z0-9]{4})<', page)
