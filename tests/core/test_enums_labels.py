"""Enum labels are cached per request: members of two enums with the same value keep their own labels."""

from __future__ import annotations

from supervise.core.permissions import Role
from supervise.lists.models import ItemLevel


def test_equal_values_of_two_enums_keep_their_own_labels(app):
    assert Role.county == ItemLevel.county  # both are the string "county"
    with app.test_request_context():
        assert Role.county.label == "县人大常委会"
        assert ItemLevel.county.label == "县级"
        assert Role.county.label == "县人大常委会"
