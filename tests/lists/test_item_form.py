"""The item form's number fields: what was typed comes back after an error, with one message."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize(
    ("typed", "message", "not_shown"),
    [
        ("十二万", "请填写数字", "资金不能为负数"),
        ("12abc", "请填写数字", "资金不能为负数"),
        ("-5", "资金不能为负数", "请填写数字"),
        # Too large for NUMERIC(12, 2): said so, with the largest amount, never "not negative".
        ("1e309", "数字太大：最大为 9999999999.99。", "资金不能为负数"),
        ("99999999999999999999", "数字太大：最大为 9999999999.99。", "资金不能为负数"),
        # More decimals than the column keeps would be rounded away unseen (0.0000001 → 0万元).
        ("0.0000001", "小数点后最多 2 位", "资金不能为负数"),
        ("12.345", "小数点后最多 2 位", "资金不能为负数"),
    ],
)
def test_a_bad_amount_is_shown_again_as_typed_with_one_message(
    client, login_as, factory, typed, message, not_shown
):
    supervision_list = factory.supervision_list()
    login_as("presidium")

    page = client.post(
        f"/lists/{supervision_list.id}/items/new",
        data={"title": "集镇道路改造提升项目", "planned_funds": typed},
    )

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    field = re.search(r'<input[^>]*name="planned_funds"[^>]*>', html).group(0)
    assert f'value="{typed}"' in field and 'type="text"' in field and 'inputmode="decimal"' in field
    errors = re.findall(r'<div class="invalid-feedback">([^<]*)</div>', html)
    assert len(errors) == 1 and message in errors[0] and not_shown not in html


@pytest.mark.parametrize("typed", ["12.50", "12.5", "1.2e3", "9999999999.99"])
def test_an_amount_the_column_keeps_is_taken(client, login_as, factory, typed):
    from decimal import Decimal

    from supervise.extensions import db
    from supervise.lists.models import Item

    supervision_list = factory.supervision_list()
    login_as("presidium")

    page = client.post(
        f"/lists/{supervision_list.id}/items/new",
        data={"title": "集镇道路改造提升项目", "planned_funds": typed},
    )

    assert page.status_code == 302
    assert db.session.execute(db.select(Item.planned_funds)).scalar_one() == Decimal(typed)
