"""/sheets/ on a phone: at 375 px each sheet is a card, as on /items/ (card_table); the title never
wraps one character a line and the deadline and the state are never cut off."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .measures import TABLE_MEASURES

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}

# For every sheet: how many lines its title takes and how many characters it has, and which of its
# cells end beyond the screen's (or the table box's) right edge.
MEASURE = """() => {
  const table = document.querySelector('table.sheet-table');
  ${TABLE_MEASURES}
  return [...table.querySelectorAll('tbody tr')].filter(row => row.children.length > 1).map(row => {
    const title = row.querySelector('td.title a');
    return {
      title: title.textContent.trim(),
      titleLines: lines(title),
      cutOff: [...row.querySelectorAll('td')].filter(td => td.getBoundingClientRect().right > edge + 0.5)
        .map(td => td.dataset.label || 'title'),
    };
  });
}""".replace("${TABLE_MEASURES}", TABLE_MEASURES.strip())


@pytest.mark.parametrize("who", ["chair", "county"])
def test_sheets_read_on_a_phone(new_context, sign_in, artifacts, who):
    page = new_context(**PHONE).new_page()
    sign_in(page, who)
    page.goto("/sheets/")
    expect(page.locator("table.sheet-table tbody tr").first).to_be_visible()
    page.screenshot(path=str(artifacts / f"sheets-375-{who}.png"), full_page=True)
    rows = page.evaluate(MEASURE)
    assert len(rows) >= 5
    for row in rows:
        # A title of 12–20 characters takes one or two lines at 375 px, never one character a line.
        assert row["titleLines"] <= 2, row
        assert row["cutOff"] == [], row
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # The deadline and the state are there, after their column's name.
    first = page.locator("table.sheet-table tbody tr").first
    expect(first.locator("td[data-label='办理时限']")).to_be_visible()
    expect(first.locator("td[data-label='状态'] .badge").first).to_be_visible()
