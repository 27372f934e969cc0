"""Chromium: a step that cannot be undone asks first (issue 11). The chair drafts a sheet and issues
it: the dialog says what will happen; 取消 and Esc submit nothing; 确认 issues the sheet."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from supervise.core.clock import today

pytestmark = pytest.mark.browser

# A deadline ahead whatever day the journey runs: a sheet is never issued with a past one.
DUE = (today() + timedelta(days=15)).isoformat()

SAYS = "编号下发后，督办单送达承办单位，不能再修改或删除。确定要下发吗？"


def draft_a_sheet(chair, title: str) -> None:
    chair.goto("/sheets/new")
    chair.get_by_label("标题").fill(title)
    office = chair.locator("#lead_office_id option", has_text="规划建设环保办公室").get_attribute("value")
    chair.get_by_label("承办单位").select_option(value=office)
    chair.get_by_label("办理时限").fill(DUE)
    chair.get_by_label("督办要求").fill("请于 12 月 20 日前书面答复。")
    chair.locator("textarea[name='lines-0-findings']").fill("路灯损坏未修复。")
    chair.get_by_role("button", name="保存草稿").click()
    expect(chair.get_by_text("督办单草稿已保存。")).to_be_visible()


def test_the_dialog_asks_cancel_keeps_confirm_submits(new_context, sign_in, confirm, artifacts):
    chair = new_context().new_page()
    sign_in(chair, "chair")
    posts: list[str] = []
    chair.on("request", lambda r: r.method == "POST" and "/actions/issue" in r.url and posts.append(r.url))

    draft_a_sheet(chair, "关于确认对话框测试的督办单")
    sheet_url = chair.url
    issue = chair.get_by_role("button", name="编号下发")
    dialog = chair.locator("#confirm-dialog")
    expect(dialog).to_be_hidden()

    # The dialog says what will happen; focus starts on 取消 (the safe answer), which submits nothing.
    issue.click()
    expect(dialog).to_be_visible()
    # It names the sheet and the office it goes to, then what issuing does.
    expect(dialog.locator(".confirm-message")).to_have_text(
        re.compile(r"^“关于确认对话框测试的督办单”将下发给.+。" + SAYS + "$")
    )
    expect(dialog.get_by_role("button", name="取消", exact=True)).to_be_focused()
    chair.screenshot(path=str(artifacts / "confirm-dialog.png"))
    dialog.get_by_role("button", name="取消", exact=True).click()
    expect(dialog).to_be_hidden()
    expect(issue).to_be_focused()  # focus goes back to the button

    # Esc cancels too.
    issue.click()
    expect(dialog).to_be_visible()
    chair.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert posts == []
    chair.goto(sheet_url)
    expect(chair.locator(".badge", has_text="草稿").first).to_be_visible()
    assert not re.search(r"江口人大督〔\d{4}〕\d+号", chair.locator("h1 + p").inner_text())

    # 确认 submits: the sheet is numbered and issued.
    chair.get_by_role("button", name="编号下发").click()
    confirm(chair, SAYS)
    expect(chair.get_by_text("已编号下发")).to_be_visible()
    assert len(posts) == 1
    expect(chair.locator(".badge", has_text="已下发").first).to_be_visible()


def test_without_javascript_the_form_submits_as_before(new_context, sign_in):
    chair = new_context(java_script_enabled=False).new_page()
    sign_in(chair, "chair")
    draft_a_sheet(chair, "关于无脚本下发测试的督办单")
    chair.get_by_role("button", name="编号下发").click()
    expect(chair.get_by_text("已编号下发")).to_be_visible()
    expect(chair.locator(".badge", has_text="已下发").first).to_be_visible()
