"""First Chromium journeys: every demo role signs in and out, the chair adds a deputy, English switch."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

HOME_TEXT = {
    "chair": "人大主席团",
    "gov": "本单位承办的事项",
    "deputy": "我监督的事项",
    "county": "各镇概览",
    "admin": "各镇概览",
}


def sign_out(page) -> None:
    """Press 退出 and land on the login page with its notice."""
    page.get_by_role("button", name="退出", exact=True).click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("alert")).to_contain_text("您已退出登录。")


@pytest.mark.parametrize("username", list(HOME_TEXT))
def test_each_role_signs_in_sees_its_home_and_signs_out(page, sign_in, artifacts, username):
    """Each demo role lands on its own home page, in Chinese, and can sign out."""
    sign_in(page, username)
    expect(page).to_have_title(re.compile("清单监督"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("main")).to_contain_text(HOME_TEXT[username])
    page.screenshot(path=artifacts / f"home-{username}-desktop.png", full_page=True)
    sign_out(page)


def test_chair_home_fits_a_phone(new_context, sign_in, artifacts):
    """At 375 px the chair's home has no sideways scrolling and the collapsed menu still signs out."""
    context = new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, "chair")
    expect(page.locator("main")).to_contain_text(HOME_TEXT["chair"])
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=artifacts / "home-chair-375.png", full_page=True)
    page.get_by_role("button", name="菜单").click()
    expect(page.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))  # opening animation done
    expect(page.get_by_role("button", name="退出", exact=True)).to_be_visible()
    page.screenshot(path=artifacts / "home-chair-375-menu.png", full_page=True)
    sign_out(page)


def test_chair_adds_a_deputy(page, sign_in, artifacts):
    """组织管理 → 代表 → 新增: the new deputy is in the list."""
    sign_in(page, "chair")
    page.get_by_role("button", name="组织管理").click()
    page.locator(".dropdown-menu").get_by_role("link", name="代表", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("代表")
    page.get_by_role("link", name="新增").click()
    page.get_by_label("姓名").fill("测试代表赵一")
    page.get_by_label("联络站").select_option(label="高桥村代表联络点")
    page.get_by_label("电话（不公开）").fill("13891509999")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("代表“测试代表赵一”已添加。")
    expect(page.get_by_role("cell", name="测试代表赵一", exact=True)).to_be_visible()
    page.screenshot(path=artifacts / "deputies-after-add.png", full_page=True)


def test_login_page_switches_to_english(page):
    """Pressing English marks the page as English (the English catalog is not filled in yet)."""
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="中文")).to_be_visible()


def test_the_english_top_bar_keeps_one_line_on_a_laptop(new_context, sign_in):
    """English labels are longer: at 1280 px the language button, bell, name and sign-out stacked
    into a bar 150 px tall. The name gives way instead."""
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in(page, "county")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.wait_for_load_state("load")  # measured with its stylesheets applied, not mid-load
    try:
        bar = page.locator("nav.navbar").bounding_box()
        assert bar is not None and bar["height"] < 70, bar
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        # Nothing sticks out of the window either (the county's menu is among the longest).
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    finally:
        page.get_by_role("button", name="中文").click()  # the account keeps its language
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
