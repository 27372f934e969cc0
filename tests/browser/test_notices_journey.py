"""Chromium journey of the monthly cycle into the public notice (issue 5): the clerk reports, the
supervisor disputes, the clerk corrects, the supervisor confirms, the chair publishes; an anonymous
resident on a phone reads the notice and leaves an opinion; the chair approves it and it shows."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# A demo item of the construction office (the `gov` clerk) under consultation, supervised by
# 胡建军, the sixth 江口镇 deputy (account jk-d06); the demo leaves this month unreported.
ITEM = "高桥村饮水安全巩固提升"
SUPERVISOR = "jk-d06"
DISPUTE = "新水源并未打井，现场仍在勘探。"
CORRECTED = "更正：新水源仍在勘探，尚未打井；蓄水池已完成清淤。"
OPINION = "希望打井前先公布水质检测结果。"
ANSWER = "已要求主办单位在打井前公布水质检测报告。"


def report(page, done: str, reason: str = "") -> None:
    """The clerk reports (or corrects) this month's report on ITEM from the office's list."""
    page.goto("/progress/office")
    row = page.locator("li", has_text=ITEM).first
    row.get_by_role("link", name=re.compile("^(报送|更正)$")).click()
    page.get_by_label("完成进度（%）").fill("65")  # above November's 60%: a lower one asks why
    page.get_by_label("本月完成情况").fill(done)
    reason_field = page.get_by_label("更正理由")
    if reason_field.count():
        reason_field.fill(reason or "补充更正。")
    page.get_by_role("button", name=re.compile("报送")).click()
    expect(page.get_by_text(re.compile("月报已报送"))).to_be_visible()


def feedback(page, verdict: str, comment: str = "") -> None:
    """The supervisor answers the newest report of ITEM waiting for feedback."""
    page.goto("/progress/mine")
    page.locator("li[id^=waiting-]", has_text=ITEM).first.get_by_role("link", name="反馈").click()
    page.get_by_label(verdict, exact=True).check()
    if comment:
        page.get_by_label("意见", exact=True).fill(comment)
    page.get_by_role("button", name="提交反馈").click()
    expect(page.get_by_text("反馈已提交。")).to_be_visible()


def test_reports_to_published_notice_and_a_residents_opinion(
    new_context, sign_in, confirm, artifacts, base_url
):
    clerk = new_context().new_page()
    sign_in(clerk, "gov")
    report(clerk, "新水源已打井，完成计划的一半。")

    supervisor = new_context(viewport={"width": 375, "height": 812}, is_mobile=True).new_page()
    sign_in(supervisor, SUPERVISOR)
    feedback(supervisor, "有异议", DISPUTE)

    report(clerk, CORRECTED, reason="监督员指出打井情况与实际不符，据实更正。")
    feedback(supervisor, "确认")

    # The chair reviews the month: the corrected report is what the notice will say.
    chair = new_context().new_page()
    sign_in(chair, "chair")
    chair.goto("/notices/")
    chair.get_by_role("link", name="审阅并发布本月公示").click()
    row = chair.locator("tr", has_text=ITEM)
    expect(row).to_contain_text(CORRECTED)
    expect(row).to_contain_text("65%")
    chair.screenshot(path=str(artifacts / "notices-preview.png"), full_page=True)
    # Publishing cannot be undone: the form's data-confirm asks first, and the chair says yes.
    chair.get_by_role("button", name="发布公示").click()
    # Other demo items have not reported this month yet: the chair is told which, and publishes anyway.
    expect(chair.locator("#missing-reports")).to_contain_text("个事项未报送月报")
    expect(chair.locator("#missing-report-items")).to_contain_text("规划建设环保办公室")
    chair.get_by_role("button", name=re.compile("仍然发布")).click()
    confirm(chair, "未报送月报的")
    expect(chair.get_by_text(re.compile("公示已发布"))).to_be_visible()
    expect(chair.locator(".notice-number")).to_contain_text(re.compile(r"江口人大公〔\d{4}〕\d+号"))
    notice_url = chair.url
    assert re.search(r"/public/jiangkou/notices/\d+$", notice_url)

    # A resident, not signed in, on a phone: from the public entry to the notice.
    resident = new_context(viewport={"width": 375, "height": 812}, is_mobile=True).new_page()
    resident.goto("/public/")
    resident.get_by_role("link", name=re.compile("江口镇")).click()
    title = re.compile(r"江口镇\d{4}年\d{1,2}月“三清单”落实情况公示$")
    resident.get_by_role("link", name=title).first.click()
    assert resident.url == notice_url
    card = resident.locator("li.card", has_text=ITEM)
    expect(card).to_contain_text(CORRECTED)
    expect(card).not_to_contain_text(DISPUTE)  # the supervisor's dispute is internal
    expect(resident.get_by_role("link", name="工作人员登录")).to_be_visible()
    expect(resident.get_by_role("link", name="督办单")).to_have_count(0)
    pdf = resident.request.get(notice_url + "/pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"

    card.get_by_role("link", name="发表意见").click()
    expect(resident.get_by_label("针对的事项")).to_have_value(re.compile(r"\d+"))
    resident.get_by_label("您的意见").fill(OPINION)
    resident.get_by_label("称呼（可不填）").fill("高桥村村民")
    resident.get_by_role("button", name="提交意见").click()
    expect(resident.get_by_text(re.compile("审核后公开显示"))).to_be_visible()
    expect(resident.locator("li.card", has_text=ITEM)).not_to_contain_text(OPINION)

    # The chair approves it with an answer; the resident sees both.
    chair.goto("/notices/opinions")
    opinion = chair.locator(".card", has_text=OPINION)
    opinion.get_by_label(re.compile("答复")).fill(ANSWER)
    opinion.get_by_role("button", name="公开", exact=True).click()
    expect(chair.get_by_text("意见已公开。")).to_be_visible()

    resident.reload()
    card = resident.locator("li.card", has_text=ITEM)
    expect(card).to_contain_text(OPINION)
    expect(card).to_contain_text("高桥村村民")
    expect(card).to_contain_text(ANSWER)
    card.scroll_into_view_if_needed()
    resident.screenshot(path=str(artifacts / "notices-public-notice-375.png"), full_page=True)
    resident.goto("/public/jiangkou/")
    resident.screenshot(path=str(artifacts / "notices-board-375.png"), full_page=True)
    assert resident.evaluate("document.documentElement.scrollWidth") <= 375
