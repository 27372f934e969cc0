"""The county's statistics on a phone (375 px): no table makes the page scroll sideways; a wide
table scrolls inside its own box."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
PAGES = {
    "county": ["/statistics/county", "/statistics/townships", "/statistics/offices"],
    "chair": ["/statistics/offices"],
}


@pytest.mark.parametrize("role", sorted(PAGES))
def test_the_statistics_pages_fit_a_phone(new_context, sign_in, artifacts, role):
    page = new_context(**PHONE).new_page()
    sign_in(page, role)
    for path in PAGES[role]:
        page.goto(path)
        expect(page.locator("table").first).to_be_visible()
        name = path.strip("/").replace("/", "-")
        page.screenshot(path=str(artifacts / f"{name}-{role}-375.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        # every table sits in a box of its own that scrolls (Bootstrap's table-responsive)
        loose = page.evaluate(
            "() => [...document.querySelectorAll('main table, table')]"
            ".filter(t => !t.closest('.table-responsive')).map(t => t.id || t.className)"
        )
        assert loose == [], (path, loose)


def test_the_offices_table_keeps_names_and_headers_on_one_line(new_context, sign_in, artifacts):
    """At 375 px the offices' names and the headers wrapped one character a line (a table some
    1900 px tall); they stay on one line, and the table scrolls sideways in its box instead."""
    page = new_context(**PHONE).new_page()
    sign_in(page, "chair")
    page.goto("/statistics/offices")
    expect(page.locator("#offices tbody tr").first).to_be_visible()
    page.screenshot(path=str(artifacts / "statistics-offices-names-375.png"), full_page=True)
    wrapped = page.evaluate(
        """() => [...document.querySelectorAll('#offices thead th, #offices tbody td:nth-child(2)')]
        .filter(cell => cell.textContent.trim())
        .filter(cell => {
            const range = document.createRange();
            range.selectNodeContents(cell);
            return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1;
        }).map(cell => cell.textContent.trim())"""
    )
    assert wrapped == []
    box = page.locator("#offices").locator("xpath=ancestor::div[contains(@class,'table-responsive')]")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # scrolls sideways in its box
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
