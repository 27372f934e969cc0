"""The dialog that asks before a step that cannot be undone: its button says what it does in the
reader's language, not the verdict 确认 ("Confirmed") that a supervisor gives a report."""

from __future__ import annotations

from supervise.extensions import db
from tests.helpers import html_of


def test_the_dialogs_button_reads_ok_in_english_and_queren_in_chinese(client, login_as):
    user = login_as("presidium")
    assert 'value="ok">确认</button>' in html_of(client.get("/"))
    user.locale = "en"
    db.session.commit()
    page = html_of(client.get("/"))
    assert 'value="ok">OK</button>' in page and ">Confirmed</button>" not in page
