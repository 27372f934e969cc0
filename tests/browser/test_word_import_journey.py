"""Chromium journey of a list published in Word (issue 13): the chair uploads the Word table, the
preview shows the rows and two unit names the township lacks, one is mapped to an existing office,
the other created; confirmed, the items are in the list grouped by the table's sections, with their
joint lead and approximate amount. The month's notice groups the demo's livelihood
list (imported from Word the same way) by its sections too."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from supervise.core.clock import today
from supervise.core.demo_calendar import DemoCalendar
from supervise.core.word import table_document

pytestmark = pytest.mark.browser

NEXT_YEAR = DemoCalendar(today()).year + 1
HEADER = ["序号", "项目名称", "建设内容", "牵头单位", "配合单位", "时间节点", "投资（万元）"]
ROWS: list[list[str] | str] = [
    "一、农业农村",
    ["1", "高山茶园提质增效", "改造茶园 800 亩", "镇农业服务中心、财政所", "", "年底", "约120万元"],
    "二、文化体育",
    [
        "2",
        "江口村文化广场",
        "新建广场 2000 平方米",
        "江口镇文化站",
        "经济发展办公室",
        f"{NEXT_YEAR + 1}年6月",
        "85余万元",
    ],
]


def test_a_word_list_imports_with_a_unit_mapped_and_one_created(
    new_context, sign_in, confirm, artifacts, tmp_path
):
    document = tmp_path / "清单.docx"
    document.write_bytes(table_document(f"江口镇{NEXT_YEAR}年政府承诺事项清单", HEADER, ROWS))
    chair = new_context().new_page()
    sign_in(chair, "chair")

    # Next year's commitments are a draft in the demo: the chair imports the Word list into it.
    chair.goto("/lists")
    year = chair.locator("h2", has_text=f"{NEXT_YEAR} 年").locator("xpath=following-sibling::div[1]")
    year.get_by_role("link", name=re.compile("政府承诺事项")).click()
    chair.get_by_role("link", name="从 Excel 或 Word 导入").click()
    chair.get_by_label("清单事项（Excel .xlsx 或 Word .docx）").set_input_files(str(document))
    chair.get_by_role("button", name="检查并预览").click()

    expect(chair.get_by_role("heading", name=re.compile("导入预览"))).to_be_visible()
    expect(chair.get_by_text("将新建 2 个事项")).to_be_visible()
    expect(chair.get_by_text("原文：年底")).to_be_visible()
    expect(chair.get_by_text(f"跨年度至 {NEXT_YEAR + 1} 年")).to_be_visible()
    farm = chair.get_by_label("“镇农业服务中心”导入为")
    expect(chair.get_by_label("“江口镇文化站”导入为")).to_have_value("new")
    # The centre is the township's 农业综合服务站, suggested and so preselected; the cultural
    # station matches nothing and is new.
    expect(chair.get_by_text("相近：农业综合服务站")).to_be_visible()
    expect(farm).to_have_value(farm.locator("option", has_text="农业综合服务站").get_attribute("value"))
    chair.screenshot(path=str(artifacts / "word-import-preview.png"), full_page=True)
    chair.get_by_role("button", name="确认导入").click()
    confirm(chair, "确认导入 2 个事项？")

    expect(chair.get_by_text(re.compile("已导入 2 个事项.*新建单位：江口镇文化站。"))).to_be_visible()
    # The table's sections join the categories of the list's items typed before it.
    for section in ("农业农村", "文化体育"):
        expect(chair.locator("h2.category-header", has_text=section)).to_have_count(1)
    expect(chair.get_by_role("link", name="高山茶园提质增效")).to_be_visible()
    chair.screenshot(path=str(artifacts / "word-import-grouped-list.png"), full_page=True)
    list_url = chair.url

    chair.goto(list_url)
    chair.get_by_role("link", name="高山茶园提质增效").click()
    expect(chair.locator("#joint-lead-offices")).to_contain_text("财政所")
    expect(chair.locator("#item-funds")).to_contain_text("约120万元")  # 约 as the list wrote it
    chair.goto(list_url)
    chair.get_by_role("link", name="江口村文化广场").click()
    expect(chair.get_by_text("江口镇文化站").first).to_be_visible()

    # This month's notice: the livelihood list the demo imported from Word, under its sections.
    chair.goto("/notices/preview")
    preview = chair.locator(".notice-preview")
    chair.screenshot(path=str(artifacts / "word-import-notice.png"), full_page=True)
    for section in ("民生实事项目", "医疗卫生", "基础设施"):
        expect(preview.locator("th", has_text=section).first).to_be_visible()
