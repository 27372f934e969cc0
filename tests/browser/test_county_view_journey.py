"""Issue 15's journey: county staff open the townships side by side from the menu, sort by missing
reports, see why the first township is marked, open its statistics with their charts, and take
the figures as Excel."""

from __future__ import annotations

from playwright.sync_api import expect


def test_county_staff_compare_the_townships(new_context, sign_in):
    page = new_context().new_page()
    sign_in(page, "county")
    page.get_by_text("监督工作").click()
    page.get_by_role("link", name="各镇对比").click()
    expect(page.locator("#townships")).to_be_visible()
    page.get_by_role("link", name="月报缺报").click()  # the most missing first
    expect(page.get_by_role("link", name="月报缺报 ↓")).to_be_visible()
    first = page.locator("#townships tbody tr").first
    expect(first).to_have_attribute("data-township", "江口镇")
    expect(first.locator(".reason").first).to_contain_text("个月未报送")
    chart = page.locator("img.stats-chart")
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.naturalWidth") > 0  # the SVG drew (its styles survive the CSP)
    first.get_by_role("link", name="江口镇").click()
    expect(page.locator("#figures")).to_be_visible()
    assert page.locator("img.stats-chart").count() == 3
    with page.expect_download() as download:
        page.locator("#report-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
