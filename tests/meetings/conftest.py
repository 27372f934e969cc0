"""Helpers for meeting tests: reading what a page says, counting rows."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from supervise.extensions import db


def text_of(response) -> str:
    """The page's visible text, tags removed and whitespace collapsed."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def count(model) -> int:
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.fixture
def chair(login_as, factory):
    """A signed-in presidium member (人大主席) of the default township."""
    return login_as("presidium", display_name="王主席")
