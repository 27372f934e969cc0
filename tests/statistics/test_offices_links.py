"""Every link of a township's offices page (站所对比) carries the year shown: following each number's
link lists as many records as the number says, that year's and no other's."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.helpers import html_of

from .test_county_links import build_linked_county, rows_shown

OFFICE_ROW = re.compile(r"<tr class=\"[^\"]*\">\s*<td>[^<]*</td>\s*<td[^>]*>([^<]+)</td>(.*?)</tr>", re.S)
LINK = re.compile(r'<a [^>]*href="([^"]+)"[^>]*>([^<]*)</a>')


def main_of(html: str) -> str:
    return html.split('<main class="container py-3">', 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_link_of_the_offices_page_keeps_the_year(app, factory, client, login_as, year):
    county = build_linked_county(factory)
    login_as(county["chair"])
    html = html_of(client.get(f"/statistics/offices?year={year}"))
    links = [unescape(href) for href, _text in LINK.findall(main_of(html))]
    assert links
    for link in links:
        assert f"year={year}" in link, link
    table = html.split('id="offices"', 1)[1].split("</table>", 1)[0]
    rows = OFFICE_ROW.findall(table)
    assert {"甲办", "乙办"} <= {name.strip() for name, _cells in rows}
    followed = 0
    for name, cells in rows:
        numbers = [(unescape(href), text) for href, text in LINK.findall(cells)]
        assert len(numbers) == 3, (name, cells)  # 主办事项, 逾期事项, 督办单逾期
        for link, text in numbers:
            response = client.get(link)
            assert response.status_code == 200, link
            assert rows_shown(html_of(response), link) == int(text), (name, year, link)
            followed += int(text)
    assert followed > 1  # the fixture gives the links something to show


def test_a_county_readers_township_links_keep_the_year(app, factory, client, login_as):
    build_linked_county(factory)
    login_as("county")
    html = main_of(html_of(client.get("/statistics/offices?year=2025")))
    for href, _text in LINK.findall(html):
        assert "year=2025" in unescape(href), href
