"""Another township's lists and items are a 404 for every role of this township, never a 403: the
record is looked up before the role is judged, so a 403 cannot tell that the record exists."""

from __future__ import annotations

import pytest

ROUTES = [
    ("get", "/lists/{list}"),
    ("get", "/lists/{list}/import/template.xlsx"),
    ("get", "/lists/{list}/import"),
    ("post", "/lists/{list}/confirm"),
    ("get", "/lists/{list}/items/new"),
    ("get", "/items/{item}"),
    ("get", "/items/{item}/edit"),
    ("get", "/items/{item}/answer"),
    ("post", "/items/{item}/answer"),
    ("get", "/items/{item}/actions/confirm_done"),
    ("post", "/items/{item}/actions/verify"),
]


@pytest.fixture
def foreign(factory) -> dict:
    far = factory.township("城关镇", county=factory.county("别的县"))
    item = factory.item("completed", kind="suggestion", township=far)
    return {"list": item.list_id, "item": item.id}


@pytest.mark.parametrize("role", ["presidium", "government", "deputy"])
@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_another_townships_list_or_item_is_404_for_every_role(client, login_as, foreign, role, method, path):
    login_as(role)
    assert getattr(client, method)(path.format(**foreign)).status_code == 404


def test_the_role_gate_still_holds_in_the_own_township(client, login_as, factory):
    item = factory.item("listed", kind="suggestion")
    login_as("deputy")
    assert client.get(f"/items/{item.id}/edit").status_code == 403
    assert client.get(f"/items/{item.id}/answer").status_code == 403
    assert client.get(f"/lists/{item.list_id}/import").status_code == 403
