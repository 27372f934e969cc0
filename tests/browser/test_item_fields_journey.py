"""Chromium journey of the fields real lists carry (issue 13): the chair sets a list's categories and
defaults, adds an item with a joint lead unit and an approximate amount and one that leaves deadline
and target implied, sees the list grouped by category, confirms it with the defaults named; the joint
lead office's clerk finds the item among their office's items."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from supervise.core.clock import today
from supervise.core.demo_calendar import DemoCalendar

pytestmark = pytest.mark.browser

# A year no other journey makes lists for.
YEAR = DemoCalendar(today()).year + 3
SCHOOL = "江口中心小学运动场改造（三期）"
ROAD = "村道硬化 12 公里"


def test_categories_joint_leads_and_list_defaults(new_context, sign_in, confirm, artifacts):
    chair = new_context().new_page()
    sign_in(chair, "chair")
    chair.goto("/lists/new")
    chair.get_by_label("年度").fill(str(YEAR))
    chair.get_by_label("清单类别").select_option(label="政府承诺事项")
    chair.get_by_role("button", name="创建清单").click()
    list_url = chair.url

    chair.get_by_role("link", name="分类与默认值").click()
    for name in ("教育", "交通"):
        chair.locator("#add-category input[name=name]").fill(name)
        chair.get_by_role("button", name="添加分类").click()
        expect(chair.get_by_text(f"已添加分类“{name}”。")).to_be_visible()
    chair.get_by_role("button", name="上移").last.click()  # 交通 before 教育
    expect(chair.locator("#categories input[name=name]").first).to_have_value("交通")

    chair.goto(list_url)
    chair.get_by_role("link", name="添加事项").click()
    chair.get_by_label("事项名称").fill(SCHOOL)
    chair.get_by_label("分类").select_option(label="教育")
    chair.get_by_label("主办单位").select_option(label="社会事务办公室")
    chair.get_by_label("联合牵头单位").select_option(label="规划建设环保办公室")
    chair.get_by_label("目标/标准").fill("建成 200 米塑胶跑道")
    chair.get_by_label("完成时限").fill(f"{YEAR}-10-31")
    chair.get_by_label("计划资金（万元）").fill("230")
    chair.get_by_label("计划资金为约数").check()
    chair.get_by_label("“约230万元”（大约此数）").check()  # about 230, not more than 230
    chair.get_by_role("button", name="保存").click()
    expect(chair.get_by_text(re.compile("已添加事项"))).to_be_visible()

    chair.get_by_role("link", name="添加事项").click()
    chair.get_by_label("事项名称").fill(ROAD)
    chair.get_by_label("分类").select_option(label="交通")
    chair.get_by_label("主办单位").select_option(label="规划建设环保办公室")
    chair.get_by_role("button", name="保存").click()

    headers = chair.locator("h2.category-header")
    expect(headers).to_have_text([re.compile("^交通"), re.compile("^教育")])
    expect(chair.locator("#list-defaults")).to_contain_text("（完成时限、目标）")
    chair.screenshot(path=str(artifacts / "item-fields-grouped-list.png"), full_page=True)

    chair.get_by_role("button", name=re.compile("确认清单")).click()
    confirm(chair, "草稿事项列入清单")
    expect(chair.get_by_text(re.compile("按清单默认完成时限的事项："))).to_be_visible()
    expect(chair.get_by_text(re.compile("以事项名称为目标的事项："))).to_be_visible()

    chair.get_by_role("link", name=ROAD).click()
    expect(chair.locator("#item-deadline")).to_contain_text(f"{YEAR}-12-31 按清单默认")
    expect(chair.locator("#item-target")).to_contain_text(f"{ROAD} 按清单默认")
    chair.goto(list_url)
    chair.get_by_role("link", name=SCHOOL).click()
    expect(chair.locator("#item-funds")).to_contain_text("约230万元")
    expect(chair.locator("#joint-lead-offices")).to_contain_text("规划建设环保办公室")
    chair.screenshot(path=str(artifacts / "item-fields-item-page.png"), full_page=True)

    # gov is a clerk of 规划建设环保办公室: the school project is theirs too, as a joint lead.
    clerk = new_context().new_page()
    sign_in(clerk, "gov")
    clerk.goto(f"/items/?q={SCHOOL}&office=")
    expect(clerk.get_by_role("link", name=SCHOOL)).to_be_visible()
    clerk.goto("/")
    expect(clerk.get_by_text(SCHOOL)).to_be_visible()
