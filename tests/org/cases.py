"""The organisation's record kinds as the management pages see them, and helpers to read the pages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from supervise.org.models import Deputy, DeputyGroup, LiaisonStation, Office
from tests.helpers import html_of


@dataclass(frozen=True)
class KindCase:
    key: str
    model: type
    make: str  # the factory method that makes one
    typed: dict = field(default_factory=dict)  # what a clerk types besides the name
    name_required: str = ""  # the message when the name is left empty

    def __str__(self) -> str:
        return self.key


KIND_CASES = [
    KindCase("deputies", Deputy, "deputy", {"level": "county", "phone": "13912345678"}, "请输入代表姓名。"),
    KindCase(
        "offices", Office, "office", {"leader_name": "王建华", "leader_title": "副镇长"}, "请输入站所名称。"
    ),
    KindCase("stations", LiaisonStation, "station", {"level": "town"}, "请输入联络站名称。"),
    KindCase("groups", DeputyGroup, "group", {}, "请输入代表小组名称。"),
]

every_kind = pytest.mark.parametrize("kind", KIND_CASES, ids=str)


def make(factory, kind: KindCase, township, name: str):
    return getattr(factory, kind.make)(township, name)


def is_selected(html: str, value) -> bool:
    """Whether a <select> in the page has the option with this value selected."""
    for option in re.findall(r"<option[^>]*>", html):
        if f'value="{value}"' in option and "selected" in option:
            return True
    return False


def listed(response) -> str:
    """The list page's table body: the records shown, without flashed messages around them."""
    html = html_of(response)
    assert response.status_code == 200
    return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
