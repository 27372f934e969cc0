"""Every link of a township's offices page (站所对比) carries the year shown: following each number's
link lists as many records as the number says, that year's and no other's."""

from __future__ import annotations

import re
from html import unescape

import pytest

from supervise.extensions import db
from tests.helpers import html_of, text_of

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


@pytest.mark.parametrize("text", ["abc", "9" * 20, "999", "0", "-1"])
def test_a_township_that_is_none_shows_the_default_and_says_so(app, factory, client, login_as, text):
    county = build_linked_county(factory)
    login_as(county["chair"])
    page = client.get(f"/statistics/offices?township={text}&year=2026")
    assert page.status_code == 200
    shown = text_of(page)
    assert f"“{text[:20]}”不是您可以查看的镇，已显示江口镇的数据。" in shown
    assert "江口镇 2026年各站所（部门）对比" in shown
    staff, user = app.test_client(), factory.user("county")
    db.session.commit()
    signed_in = staff.post("/login", data={"username": user.username, "password": factory.PASSWORD})
    assert signed_in.status_code == 302
    shown = text_of(staff.get(f"/statistics/offices?township={text}&year=2026"))
    assert "不是您可以查看的镇" in shown and "各站所（部门）对比" in shown
    # a township chosen rightly says nothing of the kind
    chosen = text_of(staff.get(f"/statistics/offices?township={county['b'].id}"))
    assert "不是您可以查看的镇" not in chosen and "城关镇" in chosen


def test_another_countys_township_is_not_shown_either(app, factory, client, login_as):
    mine = factory.default_township
    elsewhere = factory.township("外县镇", county=factory.county("别的县"))
    db.session.commit()
    login_as("county")
    shown = text_of(client.get(f"/statistics/offices?township={elsewhere.id}"))
    assert f"已显示{mine.name}的数据" in shown
    assert f"“{elsewhere.id}”不是您可以查看的镇" in shown and "外县镇" not in shown


@pytest.mark.parametrize("text", ["abc", "9" * 20, "999"])
def test_an_administrators_county_that_is_none_shows_the_first_and_says_so(
    app, factory, client, login_as, text
):
    build_linked_county(factory)
    login_as("admin")
    for path in ("/statistics/townships", "/statistics/county"):
        page = client.get(f"{path}?county={text}&year=2026")
        assert page.status_code == 200, path
        assert f"“{text[:20]}”不是有效的县，已显示" in text_of(page), path
    assert "不是有效的县" not in text_of(client.get("/statistics/townships?year=2026"))
