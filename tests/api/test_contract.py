"""The contract: every operation of /api/v1/openapi.json driven with generated inputs (schemathesis)
fails on any 5xx, an undocumented status or content type, or a body that does not match its schema.

Run as a deputy and as a government clerk with write tokens, in a world with one record of each kind,
so that generated ids sometimes hit real records (most are 404s: the answer must still be documented).
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from supervise.extensions import db
from tests.core.permission_world import build_world

from .conftest import token_for

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_every_operation_answers_as_documented(app, factory):
    """Each operation in turn, with a Hypothesis run of its own (schemathesis' pytest plugin does not
    load under pytest 9, so its strategies are driven directly)."""
    _records, users = build_world(factory)
    secrets = [token_for(users["deputy"]), token_for(users["government"])]
    db.session.commit()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 17

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
        def answers_as_documented(case) -> None:
            for secret in secrets:
                headers = {"Authorization": f"Bearer {secret}"}
                response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS, headers=headers)
                db.session.rollback()

        answers_as_documented()
