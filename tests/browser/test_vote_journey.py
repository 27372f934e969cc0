"""Chromium journey of the livelihood projects' vote (issue 14), from a resident's proposal to the
project on the list: a resident proposes on the public page and a neighbour proposes the same; the
chair merges them and sends the proposal to the government; a clerk makes it a candidate beside a
second one; the chair fixes the candidates and sets up the vote; the roll is called, three deputies
vote on their phones and two on paper; the chair closes voting and publishes; the chosen project
is on the year's 民生实事 list, and the resident's page leads to it."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
TITLE = "小河口村便民桥重建（浏览器测试）"


def propose(page, title: str, name: str) -> str:
    page.goto("/public/jiangkou/proposals/new")
    page.get_by_label("项目名称").fill(title)
    page.get_by_label("要解决的问题").fill("老桥桥墩开裂，雨季村民和学生绕行三公里。")
    page.get_by_label("您的姓名").fill(name)
    page.get_by_role("button", name="提交建议").click()
    expect(page.get_by_text("谢谢！您的建议已收到")).to_be_visible()
    return page.url.split("?")[0]


def answer_if_asked(page) -> None:
    """Answer 确认 when the step asks first (static/confirm.js); some steps just go."""
    dialog = page.locator("#confirm-dialog")
    try:
        dialog.wait_for(state="visible", timeout=2_000)
    except PlaywrightTimeoutError:
        return
    dialog.get_by_role("button", name="确认", exact=True).click()


def submit(page, button) -> None:
    """Click a form's button, answer 确认 if the step asks, and wait for the page it leads to (a
    goto while the form's answer is still on its way would abort one of the two)."""
    with page.expect_navigation():
        button.click()
        answer_if_asked(page)


def decide(chair, title: str, button: str) -> None:
    chair.goto("/livelihood/")
    chair.locator("table a", has_text="年").first.click()
    chair.get_by_role("link", name=title, exact=True).first.click()
    submit(chair, chair.get_by_role("button", name=button))


def open_collection(chair, year: int) -> None:
    """The chair opens the collection for ``year``'s projects (the demo's, for next year, closed when
    the congress held its vote on them)."""
    chair.goto("/livelihood/")
    chair.get_by_label("项目年度").fill(str(year))
    chair.get_by_label("开始日期").fill(date.today().isoformat())
    submit(chair, chair.get_by_role("button", name="新建征集"))
    submit(chair, chair.get_by_role("button", name="开始征集"))
    expect(chair.get_by_text("正在征集").first).to_be_visible()


def test_a_proposal_becomes_a_project_by_the_deputies_vote(new_context, sign_in, confirm, artifacts):
    # Two years after the demo's voted plan: a collection and a plan of its own.
    year = date.today().year + 3
    chair = new_context().new_page()
    sign_in(chair, "chair")
    open_collection(chair, year)

    resident = new_context(**PHONE).new_page()
    track_url = propose(resident, TITLE, "陈大姐")
    neighbour = new_context(**PHONE).new_page()
    propose(neighbour, TITLE + "（重复）", "刘大爷")

    decide(chair, TITLE, "采纳，列入研究")
    decide(chair, TITLE + "（重复）", "采纳，列入研究")
    keep = chair.locator("select[name=kept] option", has_text=TITLE).first.get_attribute("value")
    chair.get_by_label("并入（保留的建议）").select_option(value=keep)
    submit(chair, chair.get_by_role("button", name="合并到另一条建议"))
    # The timeline's entry, which only the merge writes (the form's label says 并入 too).
    expect(chair.get_by_text(re.compile(r"（并入 \d{4}-\d+）"))).to_be_visible()
    decide(chair, TITLE, "交政府测算")

    # The new plan draws on the collection just made (its year has no plan yet): one place, two
    # candidates.
    chair.goto("/livelihood/plans/")
    expect(chair.get_by_label("项目实施年度")).to_have_value(str(year))
    expect(chair.get_by_label("依据的项目征集").locator("option:checked")).to_have_text(
        f"{year}年民生实事项目征集"
    )
    chair.get_by_label("应选项目数").fill("1")
    chair.get_by_role("button", name="新建票决方案").click()
    plan_url = chair.url

    clerk = new_context().new_page()
    sign_in(clerk, "gov")
    for title, proposal in ((TITLE, True), ("镇敬老院屋面防水", False)):
        clerk.goto(plan_url)
        clerk.get_by_role("link", name="新增候选项目").click()
        clerk.get_by_label("项目名称").fill(title)
        clerk.get_by_label("投资金额（万元）").fill("38")
        clerk.get_by_label("完成时限").fill(f"{year}-10-31")
        clerk.get_by_label("牵头单位", exact=True).select_option(index=1)
        if proposal:
            clerk.get_by_label(re.compile(re.escape(TITLE) + "$")).check()
        clerk.get_by_role("button", name="保存").click()
        expect(clerk.get_by_text(f"已新增候选项目：{title}。")).to_be_visible()

    chair.goto(plan_url)
    chair.get_by_role("button", name="确定候选项目").click()
    confirm(chair, "确定后")
    chair.get_by_role("link", name="票决", exact=True).click()
    chair.get_by_label("会议日期").fill(date.today().isoformat())
    chair.get_by_label("会议地点").fill("江口镇人民政府三楼会议室（浏览器测试）")
    # Five of the twenty vote in this test: "more than half" of the valid ballots.
    chair.get_by_label("赞成票过半数的基数").select_option("valid")
    chair.get_by_role("button", name="组织票决").click()
    expect(chair.get_by_text(re.compile("已组织票决"))).to_be_visible()
    round_url = chair.url
    chair.locator("#next-step").click()  # 开始点名
    chair.get_by_role("link", name="点名").click()
    submit(chair, chair.get_by_role("button", name="全部到会"))
    chair.goto(round_url)
    chair.locator("#next-step").click()  # 开始投票
    confirm(chair, "开始投票后不能撤回")
    expect(chair.get_by_text("投票开始。")).to_be_visible()

    chair.get_by_role("link", name="发放选票").click()
    rows = chair.locator("#handout .eval-row")
    for n in range(3):
        rows.nth(n).get_by_role("button", name="领投票码").click()
    for n in range(3, 5):
        rows.nth(n).get_by_role("button", name="领纸质表").click()
    chair.get_by_label("表决票编号", exact=True).first.fill("1-2")
    chair.get_by_role("button", name="登记发出").click()
    expect(chair.get_by_text("已登记发出 2 张表决票。")).to_be_visible()
    chair.get_by_label("生成数量").fill("3")
    chair.get_by_role("button", name="生成投票码").click()
    expect(chair.locator(".eval-code")).to_have_count(3)
    codes = [c.strip() for c in chair.locator(".eval-code").all_inner_texts()]
    assert len(codes) == 3

    for n, code in enumerate(codes):
        phone = new_context(**PHONE).new_page()
        phone.goto("/vote")
        phone.get_by_label("投票码").fill(code)
        phone.get_by_role("button", name="打开选票").click()
        # 赞成 the resident's project, 不赞成 the other: at most one 赞成 for one place.
        phone.locator("label.eval-choice[for$='-yes']").nth(0).click()
        phone.locator("label.eval-choice[for$='-no']").nth(1).click()
        if n == 0:
            phone.screenshot(path=str(artifacts / "vote-phone-ballot-375.png"), full_page=True)
        phone.get_by_role("button", name="提交选票").click()
        expect(phone.get_by_text("您的选票已提交")).to_be_visible()
        phone.context.close()

    for serial in ("001", "002"):
        chair.goto(round_url + "/paper")
        chair.get_by_label("表决票编号", exact=True).fill(serial)
        chair.locator("label.eval-choice[for$='-yes']").nth(0).click()
        chair.locator("label.eval-choice[for$='-no']").nth(1).click()
        chair.get_by_role("button", name="录入", exact=True).click()
        expect(chair.get_by_text(f"表决票 {serial} 已录入。")).to_be_visible()
    # Double entry: a second staff member types both sheets again; voting closes only then.
    checker = new_context().new_page()
    sign_in(checker, "jk-clerk")
    for serial in ("001", "002"):
        checker.goto(round_url + "/paper")
        checker.get_by_label("表决票编号", exact=True).fill(serial)
        checker.locator("label.eval-choice[for$='-yes']").nth(0).click()
        checker.locator("label.eval-choice[for$='-no']").nth(1).click()
        checker.get_by_role("button", name="录入", exact=True).click()
        expect(checker.get_by_text(f"表决票 {serial} 复核一致。")).to_be_visible()
    checker.goto(round_url + "/paper/1")
    expect(checker.locator("#sheet-state")).to_have_text("已复核")
    checker.context.close()

    chair.goto(round_url)
    chair.locator("#next-step").click()  # 结束投票
    confirm(chair, "结束投票后")
    expect(chair.get_by_text("投票已结束，结果见下。")).to_be_visible()
    expect(chair.locator("#round-lines")).to_contain_text("当选")
    chair.screenshot(path=str(artifacts / "vote-round-closed.png"), full_page=True)
    chair.locator("#next-step").click()  # 查看票决结果
    report = chair.request.get(plan_url + "/result.pdf")
    assert report.ok and report.body().startswith(b"%PDF")
    chair.get_by_role("button", name="公布结果并列入清单").click()
    confirm(chair, "公布后")
    expect(chair.get_by_text(re.compile("票决结果已公布：当选 1 个项目"))).to_be_visible()
    chair.get_by_role("link", name="公开页面").click()
    expect(chair.locator("#chosen-share")).to_have_text("50.0%")
    chair.screenshot(path=str(artifacts / "vote-public-result.png"), full_page=True)

    chair.goto(f"/items/?year={year}&kind=livelihood")
    expect(chair.get_by_text(TITLE).first).to_be_visible()

    resident.goto(track_url)
    project = resident.locator(".project")
    expect(project).to_contain_text(f"已票决列入{year}年民生实事项目")
    expect(project).to_contain_text(TITLE)
    resident.screenshot(path=str(artifacts / "vote-resident-track-375.png"), full_page=True)


def test_the_big_screen_of_the_demo_vote_fits_a_phone(new_context, sign_in, artifacts):
    """A deputy may follow the count on a phone: at 375 px the board's figures and its table of 12
    candidates fit the width, and the titles are not broken one character per line."""
    page = new_context(**PHONE).new_page()
    sign_in(page, "chair")
    page.goto("/livelihood/plans")
    page.get_by_role("link", name=f"{date.today().year + 1}年", exact=True).click()  # the demo's plan
    page.locator("#vote-link").click()
    page.locator("#rounds a").first.click()
    page.goto(page.url + "/projection")
    expect(page.locator("#results tbody tr")).to_have_count(12)
    page.screenshot(path=str(artifacts / "vote-projection-375.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    title = page.locator("#results tbody tr td:nth-child(2)").first.bounding_box()
    assert title is not None and title["width"] >= 60, title  # a few characters a line, not one
