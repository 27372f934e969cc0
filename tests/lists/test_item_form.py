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
