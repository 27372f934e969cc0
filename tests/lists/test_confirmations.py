"""Steps on lists and items that cannot be undone ask first, saying what will happen: the form
carries data-confirm (static/confirm.js asks with a dialog) and the text comes from the workflow table."""

from __future__ import annotations

import pytest

from supervise.extensions import db
from supervise.lists.models import Rating
from supervise.lists.workflow import TRANSITIONS
from tests.helpers import html_of


@pytest.mark.parametrize(
    ("action", "asks"),
    [("close", True), ("withdraw", True), ("carry_over", True), ("confirm_done", False), ("assign", False)],
)
def test_the_table_says_which_item_steps_ask_first(action, asks):
    assert bool(TRANSITIONS[action].confirm) is asks


def test_confirming_a_list_asks_with_the_number_of_items(client, login_as, factory):
    login_as("presidium")
    first = factory.item("draft")
    factory.item("draft")  # the same list: one per kind and year
    db.session.commit()
    page = html_of(client.get(f"/lists/{first.supervision_list.id}"))
    assert 'data-confirm="确认后，2 个草稿事项列入清单，开始监督，不能撤回。确定要确认清单吗？"' in page


def test_closing_an_item_asks_first_with_the_tables_text(client, login_as, factory):
    login_as("presidium")
    item = factory.item("verified", result=Rating.satisfied)
    db.session.commit()
    page = html_of(client.get(f"/items/{item.id}"))
    assert f'data-confirm="{TRANSITIONS["close"].confirm}"' in page
    assert 'data-confirm="销号后，事项结束监督，不能撤回。确定要销号吗？"' in page


def test_withdrawing_asks_on_its_form_page(client, login_as, factory):
    login_as("presidium")
    item = factory.item("supervising")
    db.session.commit()
    page = html_of(client.get(f"/items/{item.id}/actions/withdraw"))
    assert 'data-confirm="撤销后，事项不再监督，不能恢复。确定要撤销吗？"' in page


def test_every_page_loads_the_confirmation_script_and_its_dialog(client, login_as):
    login_as("presidium")
    page = html_of(client.get("/"))
    assert '<dialog id="confirm-dialog"' in page and "/static/confirm.js" in page
    assert "取消</button>" in page and "确认</button>" in page
