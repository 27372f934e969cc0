"""Chromium: the candidates (初定 / 审议) of a vote. The chair makes a plan for the year after the
demo's (whose own plan the demo has already voted on); a clerk adds a candidate (the form keeps a
bad amount beside its error) and a second one; fixing is refused while the surplus rule fails,
then the chair fixes the list; a deputy writes a remark; the candidate sheet downloads."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_candidates_are_drafted_fixed_and_deliberated(new_context, sign_in, confirm, artifacts, traffic):
    chair = new_context().new_page()
    sign_in(chair, "chair")
    chair.goto("/livelihood/")
    chair.get_by_role("link", name="票决方案与候选项目").click()
    # The form offers the year after the demo's voted plan, and no collection (the demo has none for it).
    year = chair.get_by_label("项目实施年度").input_value()
    planned = [int(text[:4]) for text in chair.locator("table a").all_inner_texts() if text[:4].isdigit()]
    assert int(year) == max(planned) + 1
    expect(chair.get_by_label("依据的项目征集").locator("option:checked")).to_have_text("（不依据征集）")
    chair.get_by_label("应选项目数").fill("1")
    chair.get_by_role("button", name="新建票决方案").click()
    expect(chair.get_by_text(f"已建立{year}年民生实事项目票决方案。")).to_be_visible()
    plan_url = chair.url
    # The rule previewed as the chair types, before saving anything.
    chair.get_by_text("应选项目数和差额比例").click()
    chair.get_by_label("应选项目数").fill("10")
    expect(chair.locator("#surplus-preview")).to_contain_text(
        "至少应有 12 个候选项目；现有 0 个，还差 12 个。"
    )
    chair.get_by_label("应选项目数").fill("1")
    expect(chair.locator("#surplus-preview")).to_contain_text("至少应有 2 个候选项目；现有 0 个，还差 2 个。")

    clerk = new_context().new_page()
    sign_in(clerk, "gov")
    clerk.goto(plan_url)
    clerk.get_by_role("link", name="新增候选项目").click()
    clerk.get_by_label("项目名称").fill("镇综合文化站设备更新")
    clerk.get_by_label("投资金额（万元）").fill("十二万")
    clerk.get_by_label("完成时限").fill(f"{year}-09-30")
    clerk.get_by_role("button", name="保存").click()
    expect(clerk.get_by_text("请填写数字，如 1200 或 35.5。")).to_be_visible()
    # The typing is kept beside the error.
    expect(clerk.get_by_label("投资金额（万元）")).to_have_value("十二万")
    assert traffic.errors == [
        "Failed to load resource: the server responded with a status of 400 (BAD REQUEST)"
    ]
    traffic.errors.clear()
    clerk.get_by_label("投资金额（万元）").fill("12")
    office = clerk.locator("#lead_office_id option", has_text="社会事务办公室").get_attribute("value")
    clerk.get_by_label("牵头单位", exact=True).select_option(value=office)
    clerk.get_by_role("button", name="保存").click()
    expect(clerk.get_by_text("已新增候选项目：镇综合文化站设备更新。")).to_be_visible()
    expect(clerk.locator("#surplus-check")).to_contain_text("候选项目 1 个，应选 1 个")
    clerk.screenshot(path=str(artifacts / "candidates-drafting.png"), full_page=True)

    # One candidate for one place: the surplus rule fails, and fixing the list is refused.
    chair.goto(plan_url)
    chair.get_by_role("button", name="确定候选项目").click()
    confirm(chair, "确定后，候选项目和差额规则不能再修改")
    expect(chair.get_by_text("不符合差额要求").first).to_be_visible()
    traffic.errors.clear()

    clerk.get_by_role("link", name="新增候选项目").click()
    clerk.get_by_label("项目名称").fill("镇卫生院发热门诊改造")
    clerk.get_by_label("投资金额（万元）").fill("45")
    clerk.get_by_label("完成时限").fill(f"{year}-10-31")
    clerk.get_by_label("牵头单位", exact=True).select_option(value=office)
    clerk.get_by_role("button", name="保存").click()
    expect(clerk.locator("#surplus-check")).to_contain_text("候选项目 2 个，应选 1 个，差额 1 个")

    chair.goto(plan_url)
    chair.get_by_role("button", name="确定候选项目").click()
    confirm(chair, "确定后，候选项目和差额规则不能再修改")
    expect(chair.get_by_text("候选项目已确定").first).to_be_visible()

    deputy = new_context().new_page()
    sign_in(deputy, "deputy")
    deputy.goto(plan_url)
    deputy.get_by_role("link", name="提出审议意见").click()
    deputy.get_by_label("审议意见").fill("文化站设备更新后，请安排村里的文艺队使用。")
    deputy.get_by_role("button", name="提交审议意见").click()
    expect(deputy.get_by_text("审议意见已记录。")).to_be_visible()
    expect(deputy.get_by_text("文化站设备更新后，请安排村里的文艺队使用。")).to_be_visible()
    sheet = deputy.context.request.get(plan_url + "/sheet.pdf")
    assert (
        sheet.ok and sheet.headers["content-type"] == "application/pdf" and sheet.body().startswith(b"%PDF")
    )
