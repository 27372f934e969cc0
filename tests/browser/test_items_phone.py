"""/items/ on a phone (issue 11): at 375 px each item is a card, as on /escalation; the lead office
never wraps one character a line and no supervisor is cut off, and the page never scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .measures import TABLE_MEASURES

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}

# For every row of the item table: the lead office's and the supervisors' cells (found by their
# column's header, whatever the markup), how many lines each text takes, and whether it is cut off.
MEASURE = """() => {
  const table = document.querySelector('.item-list-table table');
  const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
  ${TABLE_MEASURES}
  const cell = (row, name, cls) => row.querySelector('td.' + cls) || row.children[heads.indexOf(name)];
  return [...table.querySelectorAll('tbody tr')].filter(row => row.children.length > 1).map(row => {
    const cellOfOffices = cell(row, '主办单位', 'office');
    // The lead office itself: joint lead units (联合牵头) follow it on a line of their own.
    const office = cellOfOffices.querySelector('.lead-office') || cellOfOffices;
    const people = cell(row, '义务监督员', 'supervisors');
    const names = [...people.querySelectorAll('span')].filter(s => !s.classList.contains('text-muted'));
    return {
      office: office.textContent.trim(),
      officeLines: lines(office),
      officeChars: office.textContent.trim().length,
      supervisors: names.map(s => s.textContent.trim()),
      cutOff: names.filter(s => s.getBoundingClientRect().right > edge + 0.5).map(s => s.textContent.trim()),
    };
  });
}""".replace("${TABLE_MEASURES}", TABLE_MEASURES.strip())


def test_items_read_on_a_phone(new_context, sign_in, artifacts):
    page = new_context(**PHONE).new_page()
    sign_in(page, "chair")
    page.goto("/items/")
    expect(page.locator(".item-list-table tbody tr").first).to_be_visible()
    page.screenshot(path=str(artifacts / "items-375.png"), full_page=True)
    rows = page.evaluate(MEASURE)
    assert len(rows) >= 5
    offices = [row for row in rows if row["officeChars"] >= 4]
    assert offices, rows
    for row in offices:
        # A lead office of 4–12 characters takes one or two lines, never one character a line.
        assert row["officeLines"] <= 2, row
    assert any(row["supervisors"] for row in rows)
    assert [row for row in rows if row["cutOff"]] == []
    # The page and the table fit the screen: nothing is reached by scrolling sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.evaluate(
        "[...document.querySelectorAll('.item-list-table .table-responsive')]"
        ".every(box => box.scrollWidth <= box.clientWidth)"
    )
    # The item's title and its link stay first in each card, with the column names beside the values.
    first = page.locator(".item-list-table tbody tr").first
    expect(first.locator("a").first).to_be_visible()
