"""Importing a list's items: every bad row is reported and nothing is written."""

from __future__ import annotations

from datetime import datetime

from supervise.lists.importing import SUGGESTION_HEADERS, TEMPLATE_HEADERS
from supervise.lists.models import Item, ItemEvent
from tests.helpers import count, html_of

from .conftest import good, nothing_written, reported, sheet, upload

SUGGESTION = TEMPLATE_HEADERS + SUGGESTION_HEADERS
UNREADABLE_DATE = (
    "无法识别“{}”：请写成 2026-06-30、2026年6月30日、6月底、年底、第三季度 这样的时间，"
    "或留空（按清单默认完成时限）。"
)
UNREADABLE_AMOUNT = "无法识别金额“{}”：请写成 230、230万元、约230万元、1100多万元、1.2亿元 这样的数额。"


# ---- bad rows: all reported, nothing written ----------------------------------------------------


def test_every_bad_row_is_reported_and_nothing_is_imported(client, factory, login_as, jiangkou):
    factory.item("listed", title="已在清单中的事项", township=jiangkou.township)
    login_as("presidium")
    before = count(Item)
    data = sheet(
        good("良好的一行"),  # 2: good, but not imported either
        good(""),  # 3
        good("级别写错", 级别="省级"),  # 4
        good("已停用的站所", 主办单位="旧农机站"),  # 5
        good("完成时限早于清单年度", 完成时限="2025年底"),  # 6
        good("日期写错", 完成时限="2026-13-01"),  # 7
        good("日期写成了话", 完成时限="尽快"),  # 8
        good("日期是普通数字", 完成时限=46000),  # 9
        good("资金为负", **{"计划资金（万元）": -5}),  # 10
        good("资金不是数字", **{"计划资金（万元）": "一千万"}),  # 11
        good("标记写错", 影响面广="有"),  # 12
        good("良好的一行"),  # 13
        good("已在清单中的事项"),  # 14
        good("长" * 201),  # 15
        good("建议专用列", 提出建议的代表="陈光明"),  # 16
        good("日期在 1900 年", 完成时限=datetime(1900, 1, 5)),  # 17
        headers=[*TEMPLATE_HEADERS, "提出建议的代表"],
    )

    response = upload(client, jiangkou.commitments.id, data)

    assert reported(response) == [
        ("3", "事项名称", "事项名称不能为空。"),
        ("4", "级别", "“省级”不是级别，请填镇级、县级或市级。"),
        ("5", "主办单位", "站所“旧农机站”已停用。"),
        ("6", "完成时限", "“2025年底”早于清单年度（2026 年）。"),
        ("7", "完成时限", "没有 13 月。"),
        ("8", "完成时限", UNREADABLE_DATE.format("尽快")),
        ("9", "完成时限", UNREADABLE_DATE.format("46000")),
        ("10", "计划资金（万元）", "资金不能为负数。"),
        ("11", "计划资金（万元）", UNREADABLE_AMOUNT.format("一千万")),
        ("12", "影响面广", "请填“是”或“否”，不填视为“否”。"),
        ("13", "事项名称", "与第 2 行的事项名称重复。"),
        ("14", "事项名称", "清单中已有同名事项“已在清单中的事项”。"),
        ("15", "事项名称", "不能超过 200 个字。"),
        ("16", "提出建议的代表", "只有“代表建议”清单可以填写这一列。"),
        ("17", "完成时限", "日期 1900-01-05 的年份应在 2000 到 2100 之间。"),
    ]
    assert count(Item) == before
    assert count(ItemEvent) == 0


def test_unknown_or_ambiguous_proposers_are_reported(client, factory, login_as, jiangkou):
    factory.deputy(jiangkou.township, "王伟")
    factory.deputy(jiangkou.township, "王伟")
    login_as("presidium")
    data = sheet(
        good("一", 提出建议的代表="陈光明、张无名"),
        good("二", 提出建议的代表="王伟", 交办日期="3月中下旬"),
        headers=SUGGESTION,
    )

    response = upload(client, jiangkou.suggestions.id, data)

    assert reported(response) == [
        ("2", "提出建议的代表", "本镇没有代表“张无名”。"),
        ("3", "提出建议的代表", "本镇有多名代表叫“王伟”，请导入后在事项中选择。"),
        ("3", "交办日期", UNREADABLE_DATE.format("3月中下旬")),
    ]
    assert nothing_written()


def test_codes_already_in_the_system_or_repeated_in_the_file_are_reported(
    client, factory, login_as, jiangkou
):
    existing = factory.item("listed", township=jiangkou.township)
    login_as("presidium")
    data = sheet(
        good("一", 编号=existing.code),
        good("二", 编号="jiangkou-2026-C-900"),
        good("三", 编号="jiangkou-2026-C-900"),
        good("四", 编号=""),
        headers=["编号", *TEMPLATE_HEADERS],
    )

    response = upload(client, jiangkou.commitments.id, data)

    assert reported(response) == [
        ("2", "编号", f"编号“{existing.code}”已存在。"),
        ("4", "编号", "与第 3 行的编号重复。"),
    ]
    assert count(Item) == 1


def test_re_importing_an_export_reports_every_code(client, factory, login_as, jiangkou):
    """The export carries the template's columns and the codes: importing it twice is caught."""
    login_as("presidium")
    assert upload(client, jiangkou.commitments.id, sheet(good("一"), good("二"))).status_code == 302
    exported = client.get(f"/items/export.xlsx?list={jiangkou.commitments.id}").data
    other = factory.supervision_list("commitment", 2027, jiangkou.township, confirmed=False)

    response = upload(client, other.id, exported)

    slug = jiangkou.township.slug
    assert reported(response) == [
        ("2", "编号", f"编号“{slug}-2026-C-001”已存在。"),
        ("3", "编号", f"编号“{slug}-2026-C-002”已存在。"),
    ]


def test_hundreds_of_problems_show_the_first_two_hundred_and_count_the_rest(client, login_as, jiangkou):
    login_as("presidium")
    data = sheet(*(good(f"事项{n}", 级别="省级", 完成时限="不详") for n in range(150)))

    response = upload(client, jiangkou.commitments.id, data)

    problems = reported(response)
    assert len(problems) == 200
    assert problems[0] == ("2", "完成时限", UNREADABLE_DATE.format("不详"))
    html = html_of(response)
    assert "请改正以下 300 处问题" in html
    assert "另有 100 处问题未列出" in html
    assert nothing_written()
