"""The administrator's home lists a province's townships a page at a time, and finds them by name."""

from __future__ import annotations

import re

from supervise.extensions import db
from supervise.home.views import TOWNSHIPS_PER_PAGE


def township_rows(response) -> list[str]:
    html = response.get_data(as_text=True)
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>\s*<td>([^<]+)", body)


def test_the_admin_home_pages_and_searches_townships(client, login_as, factory, count_queries):
    county = factory.default_county
    for n in range(TOWNSHIPS_PER_PAGE + 5):
        factory.township(f"测试{n:03d}镇", county=county)
    db.session.commit()
    login_as("admin")

    first = client.get("/")
    assert len(township_rows(first)) == TOWNSHIPS_PER_PAGE
    assert "page=2" in first.get_data(as_text=True)
    second = township_rows(client.get("/?page=2"))
    assert 0 < len(second) <= 6 and set(second).isdisjoint(township_rows(first))

    found = client.get("/?q=测试042")
    assert [name.strip() for name in township_rows(found)] == ["测试042镇"]
    nothing = client.get("/?q=%25")  # a LIKE wildcard is searched as text
    assert township_rows(nothing) == [] and "没有名称包含" in nothing.get_data(as_text=True)

    with count_queries() as few:
        client.get("/?q=测试042")
    with count_queries() as many:
        client.get("/")
    assert many.count == few.count
