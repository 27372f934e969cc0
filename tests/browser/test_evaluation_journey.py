"""Chromium journey of the evaluation meeting (issue 6): the chair sets up the meeting and prints the
blank sheets, the clerk takes the roll call on a tablet and hands out ballots, three deputies vote
from their phones, the clerk enters two paper sheets, the chair closes voting, the hall's projection
shows the results and the result summary PDF downloads (a PNG of it goes to test-artifacts/)."""

from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
TABLET = {"viewport": {"width": 820, "height": 1180}, "has_touch": True}
PLACE = "江口镇人民政府二楼会议室（浏览器测试）"


def tick_all(page, mark: str, prefix: str) -> None:
    """Choose ``mark`` (satisfied / basic / dissatisfied) on every line of a ballot or sheet."""
    labels = page.locator(f"label.eval-choice[for^='{prefix}'][for$='-{mark}']")
    expect(labels.first).to_be_visible()
    for label in page.locator(f"label.eval-choice[for^='{prefix}'][for$='-{mark}']").all():
        label.click()


def test_a_meeting_from_setup_to_the_result_summary(
    new_context, sign_in, confirm, artifacts, base_url, tmp_path
):
    chair = new_context().new_page()
    sign_in(chair, "chair")
    chair.goto("/evaluation/new")
    chair.get_by_label("会议地点").fill(PLACE)
    chair.get_by_role("button", name="创建评议会").click()
    expect(chair.get_by_text(re.compile("评议会已创建"))).to_be_visible()
    meeting_url = chair.url
    meeting_id = int(meeting_url.rstrip("/").rsplit("/", 1)[1])
    sheets = chair.request.get(f"/evaluation/{meeting_id}/sheets.pdf")
    assert sheets.ok and sheets.body().startswith(b"%PDF")
    expect(chair.get_by_role("link", name=re.compile("打印空白测评表"))).to_be_visible()
    chair.locator("#next-step").click()  # 开始点名

    # The clerk, on a tablet: roll call until the quorum is met, then ballots.
    clerk = new_context(**TABLET).new_page()
    sign_in(clerk, "chair")
    clerk.goto(f"/evaluation/{meeting_id}/roll-call")
    expect(clerk.locator("text=/还差 \\d+ 人/")).to_be_visible()
    for n in range(15):
        clerk.locator("#roster .eval-row").nth(n).get_by_role("button", name="到会").click()
        expect(clerk.locator("#present-count")).to_have_text(str(n + 1))
    expect(clerk.get_by_text("已达到法定人数。")).to_be_visible()
    clerk.screenshot(path=str(artifacts / "evaluation-roll-call-tablet.png"), full_page=True)
    clerk.goto(meeting_url)
    expect(clerk.locator("form#open-voting[data-confirm]")).to_have_count(1)  # asks before opening
    clerk.locator("#next-step").click()  # 开始投票
    confirm(clerk, "开始投票后不能撤回")
    expect(clerk.get_by_text("投票已开始。")).to_be_visible()
    rows = clerk.locator("#handout .eval-row")
    for n in range(3):
        rows.nth(n).get_by_role("button", name="领投票码").click()
    for n in range(3, 5):
        rows.nth(n).get_by_role("button", name="领纸质表").click()
    clerk.get_by_label("测评表编号", exact=True).first.fill("1-2")
    clerk.get_by_role("button", name="登记发出").click()
    expect(clerk.get_by_text("已登记发出 2 张测评表。")).to_be_visible()
    clerk.get_by_label("生成数量").fill("3")
    clerk.get_by_role("button", name="生成投票码").click()
    expect(clerk.locator(".eval-code")).to_have_count(3)
    codes = [c.strip() for c in clerk.locator(".eval-code").all_inner_texts()]
    assert len(codes) == 3 and all(re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", c) for c in codes)
    # A hand-out recorded by mistake is undone, its sheet taken back (with a reason), and redone.
    clerk.goto(f"/evaluation/{meeting_id}/ballots")
    undo = rows.nth(4).locator("details.eval-undo")
    undo.locator("summary").click()
    undo.get_by_placeholder("收回的测评表编号或投票码").fill("2")
    undo.get_by_placeholder("原因（必填）").fill("点错了代表")
    undo.get_by_role("button", name="撤销").click()
    expect(clerk.get_by_text("已撤销该代表的领票登记。")).to_be_visible()
    expect(clerk.locator("#adjustments")).to_contain_text("点错了代表")
    clerk.screenshot(path=str(artifacts / "evaluation-ballots-tablet.png"), full_page=True)
    rows.nth(4).get_by_role("button", name="领纸质表").click()
    clerk.get_by_label("测评表编号", exact=True).first.fill("2")
    clerk.get_by_role("button", name="登记发出").click()
    expect(clerk.get_by_text("已登记发出 1 张测评表。")).to_be_visible()

    # Three deputies vote on their phones, without signing in.
    for n, (code, mark) in enumerate(zip(codes, ("satisfied", "satisfied", "basic"))):
        phone = new_context(**PHONE).new_page()
        phone.goto("/vote")
        phone.get_by_label("投票码").fill(code.lower().replace("-", " "))
        phone.get_by_role("button", name="打开选票").click()
        expect(phone.get_by_role("button", name="提交选票")).to_be_visible()
        tick_all(phone, mark, "v")
        if n == 0:
            phone.screenshot(path=str(artifacts / "evaluation-phone-ballot-375.png"), full_page=True)
        phone.get_by_role("button", name="提交选票").click()
        expect(phone.get_by_text("您的选票已提交")).to_be_visible()
        phone.context.close()

    # The clerk enters the two returned paper sheets.
    for serial, mark in (("001", "satisfied"), ("002", "dissatisfied")):
        clerk.goto(f"/evaluation/{meeting_id}/paper")
        clerk.get_by_label("测评表编号", exact=True).fill(serial)
        tick_all(clerk, mark, "l")
        clerk.get_by_role("button", name="录入", exact=True).click()
        expect(clerk.get_by_text(f"测评表 {serial} 已录入。")).to_be_visible()
    # Double entry: a second staff member types both sheets again; voting closes only then.
    chair.goto(meeting_url)
    expect(chair.locator("#reconciliation")).to_contain_text("只录入了一次")
    checker = new_context(**TABLET).new_page()
    sign_in(checker, "jk-clerk")
    for serial, mark in (("001", "satisfied"), ("002", "dissatisfied")):
        checker.goto(f"/evaluation/{meeting_id}/paper")
        checker.get_by_label("测评表编号", exact=True).fill(serial)
        tick_all(checker, mark, "l")
        checker.get_by_role("button", name="录入", exact=True).click()
        expect(checker.get_by_text(f"测评表 {serial} 复核一致。")).to_be_visible()
    checker.context.close()

    # The chair closes voting: the reconciliation balances.
    chair.goto(meeting_url)
    expect(chair.locator("#reconciliation")).to_contain_text("账目平衡")
    chair.locator("#next-step").click()  # 结束投票
    confirm(chair, "结束投票后")
    expect(chair.get_by_text("投票已结束，账目平衡。")).to_be_visible()

    # The hall's projection shows the results: 4 of 5 valid ballots satisfied or basically → 80%.
    hall = new_context(viewport={"width": 1600, "height": 900}).new_page()
    sign_in(hall, "chair")
    hall.goto(f"/evaluation/{meeting_id}/projection")
    expect(hall.locator("#turnout")).to_have_text("5 / 15")
    first = hall.locator("#results tbody tr").first
    expect(first).to_contain_text("80%")
    hall.screenshot(path=str(artifacts / "evaluation-projection.png"), full_page=True)
    # Signed out (the session expired): the projection says so and keeps its figures, never the login form.
    hall.context.clear_cookies()
    expect(hall.locator("#projection-signed-out")).to_be_visible(timeout=15_000)
    expect(hall.locator("#results tbody tr").first).to_contain_text("80%")
    expect(hall.locator("#projection input[type=password]")).to_have_count(0)
    hall.screenshot(path=str(artifacts / "evaluation-projection-signed-out.png"), full_page=True)

    # The result summary PDF downloads; a PNG of its first page is kept.
    chair.goto(f"/evaluation/{meeting_id}/results")
    with chair.expect_download() as download_info:
        chair.locator("#summary-pdf").click()
    pdf = tmp_path / "summary.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = "".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "测评结果汇总表" in text and "监票人" in text and "80%" in text
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(artifacts / "evaluation-summary-pdf"),
        ],
        check=True,
    )
    assert list(artifacts.glob("evaluation-summary-pdf*.png"))


def test_published_results_read_on_a_phone(new_context, artifacts):
    """At 375 px the results table scrolls sideways inside its box; headers, numbers and grades stay
    on one line each (never 不/满/意 one character per line) and the page itself does not overflow."""
    page = new_context(**PHONE).new_page()
    page.goto("/public/jiangkou/evaluations/")
    page.locator("main a[href*='/evaluations/']").first.click()
    table = page.locator("table.public-results").first
    expect(table).to_be_visible()
    page.screenshot(path=str(artifacts / "evaluation-public-result-phone.png"), full_page=True)
    wrapped = page.evaluate(
        "() => [...document.querySelectorAll("
        "'table.public-results th, table.public-results td[data-label], table.public-results .eval-grade'"
        ")].filter(el => el.getClientRects().length && el.getBoundingClientRect().height >"
        " parseFloat(getComputedStyle(el).lineHeight) * 1.5 + 12).map(el => el.textContent.trim())"
    )
    assert wrapped == [], f"wrapped onto several lines: {wrapped}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
