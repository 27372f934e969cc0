"""Secrecy on the schema, for every vote that uses the ballot engine (secret_schemas.SCHEMAS): no
table or column links a ballot's choices to a deputy."""

from __future__ import annotations

import pytest
from sqlalchemy import DateTime, Time, inspect

from supervise.extensions import db

from .secret_schemas import SCHEMAS, SecretSchema


@pytest.fixture(params=SCHEMAS, ids=[schema.name for schema in SCHEMAS])
def secret(request) -> SecretSchema:
    return request.param


def test_the_schemas_tables_exist(app, secret):
    """So that the checks below look at real tables: a renamed table would make them pass vacuously."""
    tables = set(inspect(db.engine).get_table_names())
    assert set(secret.ballot_side) | secret.hand_out_side | {secret.roster_table} <= tables


def test_no_ballot_table_refers_to_a_deputy_or_a_user(app, secret):
    schema = inspect(db.engine)
    for table in secret.ballot_tables:
        targets = {fk["referred_table"] for fk in schema.get_foreign_keys(table)}
        assert not targets & secret.people_tables, (table, targets)
        columns = {c["name"] for c in schema.get_columns(table)}
        assert not {c for c in columns if "deputy" in c or "user" in c or c.endswith("_by_id")}, columns
        # A code is never stored in clear.
        assert "code" not in columns


def test_what_leads_from_a_ballot_to_a_person_is_only_the_clerk_who_typed_it(app, secret):
    schema = inspect(db.engine)
    for table, allowed in secret.clerk_columns.items():
        to_people = {
            tuple(fk["constrained_columns"])
            for fk in schema.get_foreign_keys(table)
            if fk["referred_table"] in secret.people_tables
        }
        assert to_people == {(column,) for column in allowed}
        referred = {fk["referred_table"] for fk in schema.get_foreign_keys(table)}
        assert "deputy" not in referred
    # The roster says only what kind of ballot a deputy received: no serial, no code, no time.
    roster = {c["name"] for c in schema.get_columns(secret.roster_table)}
    assert roster == secret.roster_columns
    assert not {fk["referred_table"] for fk in schema.get_foreign_keys(secret.roster_table)} & set(
        secret.ballot_tables
    )


def test_no_ballot_table_keeps_a_time_finer_than_a_day(app, secret):
    """A time of casting next to a time of hand-out would name the voter."""
    schema = inspect(db.engine)
    for table in secret.ballot_tables:
        for column in schema.get_columns(table):
            kind = column["type"]
            assert not isinstance(kind, DateTime | Time), (table, column["name"], kind)
            assert not column["name"].endswith("_at"), (table, column["name"])


def test_no_column_links_a_ballot_or_a_code_to_a_deputy(app, secret):
    """No ballot-side table refers to a deputy, a roster row or a hand-out adjustment, and no table
    of people or hand-outs refers to a ballot, a mark, a serial or a code."""
    schema = inspect(db.engine)
    for table in secret.ballot_side:
        referred = {fk["referred_table"] for fk in schema.get_foreign_keys(table)}
        assert not referred & secret.hand_out_side, (table, referred)
        assert not {c["name"] for c in schema.get_columns(table)} & {"deputy_id", "attendance_id"}
    for table in secret.hand_out_side:
        referred = {fk["referred_table"] for fk in schema.get_foreign_keys(table)}
        assert not referred & set(secret.ballot_side), (table, referred)
        columns = {c["name"] for c in schema.get_columns(table)}
        assert not columns & {"serial", "code", "code_hash", "ballot_id", "phone_code_id"}, (table, columns)
