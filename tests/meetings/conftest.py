"""Meeting tests: a signed-in chair."""

from __future__ import annotations

import pytest


@pytest.fixture
def chair(login_as, factory):
    """A signed-in presidium member (人大主席) of the default township."""
    return login_as("presidium", display_name="王主席")
