"""The top bar folds into its menu button where its labels no longer fit on one line: English labels
are longer, so English folds below 1400 px (xxl) where Chinese folds below 1200 px (xl)."""

from __future__ import annotations

import re


def _bar(client) -> str:
    return re.search(r'<nav class="navbar ([^"]+)"', client.get("/").get_data(as_text=True)).group(1)


def test_english_folds_its_bar_at_a_wider_screen_than_chinese(client, login_as):
    login_as("county")
    assert "navbar-expand-xl" in _bar(client).split()
    client.post("/language", data={"locale": "en"})
    assert "navbar-expand-xxl" in _bar(client).split()
