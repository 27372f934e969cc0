"""Issue 4's journey: a deputy on a phone files a tour inspection with a photo and a finding; the chair
turns the finding into a follow-up sheet and issues it; the construction office's clerk acknowledges
and answers it with an evidence photo; the chair verifies; the PDF is downloaded and rendered to PNG."""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta

from PIL import Image
from playwright.sync_api import expect

from supervise.core.clock import today
from supervise.core.demo_calendar import DemoCalendar

ROAD = f"{DemoCalendar(today()).code('C-001')} 沙坪村产业路硬化"  # a demo item: of the demo's year
FINDING = "K2+100 处新修挡墙出现裂缝，雨后有渗水。"
# A deadline ahead whatever day the journey runs: a sheet is never issued with a past one.
DUE = (today() + timedelta(days=15)).isoformat()


def phone_photo(path):
    Image.new("RGB", (2000, 1500), (120, 120, 118)).save(path, "JPEG")
    return path


def test_inspection_to_verified_sheet(new_context, sign_in, confirm, artifacts, tmp_path, base_url):
    # The deputy, on a 375-px phone, records a tour with a photo and a finding on the road.
    phone = new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True).new_page()
    sign_in(phone, "deputy")
    phone.goto("/inspections/")
    phone.get_by_role("link", name="记录一次监督活动").click()
    expect(phone.get_by_label("巡回式视察调研")).to_be_checked()
    expect(phone.get_by_label("走访群众人数")).to_be_hidden()  # questionnaire fields only for questionnaires
    phone.get_by_label("活动日期").fill("2026-11-24")
    phone.get_by_label("地点").fill("沙坪村产业路 K2 段")
    expect(phone.get_by_label("杨春花")).to_be_checked()  # the author takes part by default
    phone.get_by_label("活动情况").fill("代表步行查看产业路二期。")
    phone.get_by_placeholder("发现的问题或建议").first.fill(FINDING)
    phone.get_by_label("涉及的事项").first.select_option(label=ROAD)
    phone.locator("input[name='findings-0-files'][multiple]").set_input_files(
        phone_photo(tmp_path / "挡墙.jpg")
    )
    expect(phone.get_by_text("挡墙.jpg")).to_be_visible()
    # Forgetting the place is caught, and nothing typed or chosen is lost.
    phone.get_by_label("地点").fill("")
    phone.get_by_label("联络站").select_option(label="—")
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_text("请填写活动地点或选择联络站")).to_be_visible()
    # Saved as a draft and sent straight back to its form.
    expect(phone).to_have_url(re.compile(r"/inspections/\d+/edit$"))
    expect(phone.get_by_label("活动情况")).to_have_value("代表步行查看产业路二期。")
    expect(phone.locator(".kept-files")).to_contain_text("挡墙.jpg")
    phone.get_by_label("地点").fill("沙坪村产业路 K2 段")
    phone.screenshot(path=str(artifacts / "inspection-form-375.png"), full_page=True)
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_text("监督活动记录已提交。")).to_be_visible()
    expect(phone.locator(".badge", has_text="已提交")).to_be_visible()
    expect(phone.locator(".attachments img")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the record is wider than the phone: {width}px"
    phone.screenshot(path=str(artifacts / "inspection-record-375.png"), full_page=True)
    inspection_url = phone.url

    # The chair drafts a sheet from the finding and issues it.
    chair = new_context().new_page()
    sign_in(chair, "chair")
    chair.goto(inspection_url)
    chair.get_by_role("link", name="据此起草督办单").click()
    expect(chair.locator("textarea", has_text=FINDING)).to_be_visible()
    chair.get_by_label("标题").fill("关于产业路二期挡墙质量问题的督办单")
    office = chair.locator("#lead_office_id option", has_text="规划建设环保办公室").get_attribute("value")
    chair.get_by_label("承办单位").select_option(value=office)
    chair.get_by_label("办理时限").fill(DUE)
    chair.get_by_label("督办要求").fill("请组织返工，12 月 20 日前书面答复。")
    chair.get_by_role("button", name="保存草稿").click()
    expect(chair.get_by_text("督办单草稿已保存。")).to_be_visible()
    chair.get_by_role("button", name="编号下发").click()
    confirm(chair, "督办单送达承办单位")
    expect(chair.get_by_text("已编号下发")).to_be_visible()
    number = chair.locator("h1").inner_text()
    match = re.search(r"江口人大督〔\d{4}〕\d+号", chair.content())
    assert match, number
    sheet_url = chair.url

    # The office's clerk signs for it and answers with an evidence photo.
    clerk = new_context().new_page()
    sign_in(clerk, "gov")
    clerk.goto(sheet_url)
    expect(clerk.locator(".attachments img")).to_be_visible()  # the deputy's photo reaches the office
    clerk.get_by_role("button", name="签收").click()
    clerk.get_by_label("采取的措施").fill("已责成施工单位拆除重建挡墙 18 米。")
    clerk.get_by_label("佐证材料").fill("返工记录、监理验收单。")
    clerk.locator("input[name='evidence_files'][multiple]").set_input_files(
        phone_photo(tmp_path / "返工后.jpg")
    )
    clerk.get_by_role("button", name="答复办理情况").click()
    expect(clerk.locator(".badge", has_text="已答复").first).to_be_visible()
    expect(clerk.get_by_text("返工后.jpg")).to_be_visible()

    # The chair verifies; the PDF downloads with its number and renders.
    chair.goto(sheet_url)
    chair.get_by_label("核实意见").fill("经现场核实，挡墙已拆除重建，同意办结。")
    chair.get_by_role("button", name="核实办结").click()
    confirm(chair, "督办单即告办结")
    expect(chair.locator(".badge", has_text="已核实办结").first).to_be_visible()
    chair.screenshot(path=str(artifacts / "inspection-sheet-verified.png"), full_page=True)
    with chair.expect_download() as download:
        chair.get_by_role("link", name="下载 PDF").click()
    pdf = tmp_path / "sheet.pdf"
    download.value.save_as(pdf)
    assert download.value.suggested_filename.endswith("督办单.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    flat = "".join(text.split())
    assert match.group(0) in flat and "新修挡墙出现裂缝" in flat and "返工后.jpg" in flat
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(artifacts / "inspection-sheet-pdf"),
        ],
        check=True,
    )


def test_the_camera_button_takes_several_photos_on_a_375px_phone(new_context, sign_in, tmp_path):
    """Each capture used to replace the last photo: now every photo taken is kept and sent."""
    phone = new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True).new_page()
    sign_in(phone, "deputy")
    phone.goto("/inspections/new")
    camera = phone.locator("label input[name='findings-0-files'][capture]")
    expect(camera).to_have_count(1)
    expect(camera).to_have_attribute("capture", "environment")
    expect(camera).to_have_attribute("accept", "image/*")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the form is wider than the phone: {width}px"

    camera.set_input_files(phone_photo(tmp_path / "第一张.jpg"))
    camera.set_input_files(phone_photo(tmp_path / "第二张.jpg"))  # the fresh input in the button
    chosen = phone.locator(".file-chosen").first
    expect(chosen).to_contain_text("第一张.jpg")
    expect(chosen).to_contain_text("第二张.jpg")
    held = phone.evaluate(
        """() => Array.from(document.querySelectorAll("input[name='findings-0-files'][capture]"))
                 .map((input) => input.files.length)"""
    )
    assert sorted(held) == [0, 1, 1], held  # two parked photos and an empty camera for the next
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    phone.get_by_label("地点").fill("东河村三组")
    phone.get_by_placeholder("发现的问题或建议").first.fill("村口路灯不亮。")
    phone.get_by_role("button", name="保存草稿").click()
    expect(phone.get_by_text("草稿已保存")).to_be_visible()
    expect(phone.locator(".attachments")).to_contain_text("第一张.jpg")
    expect(phone.locator(".attachments")).to_contain_text("第二张.jpg")
