"""Chromium journey of the three lists (issue 3): list → Excel import → confirm → supervisors →
the deputy's and the clerk's home pages → consultation opened and concluded → the timeline."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from supervise.core.clock import today
from supervise.core.demo_calendar import DemoCalendar
from supervise.lists.importing import TEMPLATE_HEADERS

pytestmark = pytest.mark.browser

ROAD = "江口镇滨河步道建设"
LIGHTS = "集镇太阳能路灯安装"
# The demo has this year's livelihood list, next year's (the projects its vote chose) and a draft
# of next year's commitments: this journey makes the livelihood list of the year after.
NEXT_YEAR = DemoCalendar(today()).year + 2


def items_workbook(path) -> str:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(TEMPLATE_HEADERS)
    for title, funds in ((ROAD, 150), (LIGHTS, 40)):
        row = dict.fromkeys(TEMPLATE_HEADERS, "")
        row.update(
            {
                "事项名称": title,
                "主办单位": "规划建设环保办公室",
                "目标/标准": "年内建成并验收",
                "完成时限": f"{NEXT_YEAR}-06-30",
                "计划资金（万元）": funds,
                "实施区域": "江口社区",
            }
        )
        sheet.append([row[h] for h in TEMPLATE_HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_list_from_excel_to_consultation(new_context, sign_in, confirm, artifacts, tmp_path, base_url):
    chair = new_context().new_page()
    sign_in(chair, "chair")

    # The chair creates next year's livelihood list and imports its items from Excel.
    chair.goto("/lists/new")
    chair.get_by_label("年度").fill(str(NEXT_YEAR))
    chair.get_by_label("清单类别").select_option(label="民生实事项目")
    chair.get_by_role("button", name="创建清单").click()
    expect(chair.get_by_role("heading", name=re.compile(f"{NEXT_YEAR} 民生实事项目"))).to_be_visible()
    chair.get_by_role("link", name="从 Excel 或 Word 导入").click()
    chair.get_by_label("清单事项（Excel .xlsx 或 Word .docx）").set_input_files(
        items_workbook(tmp_path / "items.xlsx")
    )
    chair.get_by_role("button", name="检查并预览").click()
    expect(chair.get_by_text("将新建 2 个事项")).to_be_visible()
    chair.get_by_role("button", name="确认导入").click()
    confirm(chair, "确认导入 2 个事项？")
    expect(chair.get_by_role("cell", name=f"jiangkou-{NEXT_YEAR}-L-001", exact=True)).to_be_visible()
    expect(chair.get_by_role("link", name=LIGHTS)).to_be_visible()

    # Confirming the list lists both items; then the road gets the demo deputy as supervisor.
    chair.get_by_role("button", name=re.compile("确认清单")).click()
    confirm(chair, "草稿事项列入清单")
    expect(chair.get_by_text("清单已确认，2 个事项列入清单。")).to_be_visible()
    chair.get_by_role("link", name=ROAD).click()
    road_url = chair.url
    chair.get_by_role("link", name="指定义务监督员").click()
    # Beside each deputy: how many items they supervise this year.
    deputy = chair.locator("#deputy_ids option", has_text="杨春花（江口社区代表联络点）")
    expect(deputy).to_have_text(re.compile(r"\d{4} 年监督 \d+ 项"))
    chair.get_by_label("义务监督员（1-2 名）").select_option(value=deputy.get_attribute("value"))
    chair.get_by_role("button", name="指定义务监督员").click()
    expect(chair.locator(".badge", has_text="监督中").first).to_be_visible()

    # The deputy sees it at home, on a phone.
    phone = new_context(viewport={"width": 375, "height": 812}, is_mobile=True).new_page()
    sign_in(phone, "deputy")
    expect(phone.get_by_role("link", name=ROAD)).to_be_visible()
    phone.screenshot(path=str(artifacts / "lists-deputy-home-375.png"), full_page=True)

    # The construction office's clerk finds it among the office's items and opens it.
    clerk = new_context().new_page()
    sign_in(clerk, "gov")
    clerk.get_by_role("link", name=ROAD).first.click()
    expect(clerk.get_by_role("heading", name=ROAD)).to_be_visible()
    expect(
        clerk.get_by_role("button", name="报告完成").or_(clerk.get_by_role("link", name="报告完成"))
    ).to_be_visible()

    # The chair opens a consultation on the road and concludes it with a new deadline.
    chair.goto(road_url)
    chair.get_by_role("link", name="提请会商").click()
    chair.get_by_label("会商日期").fill("2026-11-20")
    chair.get_by_label("地点").fill("镇政府三楼会议室")
    chair.get_by_label("参加人员").fill("张建国（副镇长）、规划建设环保办公室负责人")
    chair.get_by_role("button", name="提请会商").click()
    expect(chair.get_by_text("会商中").first).to_be_visible()
    chair.goto(road_url)
    chair.get_by_role("link", name="会商结束").click()
    chair.get_by_label("商定措施").fill("财政所 12 月拨付首期资金；施工单位增派人员。")
    chair.get_by_label("新的完成时限").fill(f"{NEXT_YEAR}-08-31")
    chair.get_by_role("button", name="结束会商").click()

    # The item's timeline tells the whole story.
    chair.goto(road_url)
    timeline = chair.locator("ol.list-group")
    for entry in ("创建事项", "确认列入清单", "指定义务监督员", "提请会商", "会商结束", f"{NEXT_YEAR}-08-31"):
        expect(timeline).to_contain_text(entry)
    expect(chair.locator(".badge", has_text="监督中").first).to_be_visible()
    chair.screenshot(path=str(artifacts / "lists-item-timeline.png"), full_page=True)
