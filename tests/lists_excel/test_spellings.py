"""How real lists write deadlines, amounts and units, read by core/spellings.py: each spelling with
what it means, or the message the import shows beside the cell."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from supervise.core.spellings import (
    SpellingError,
    read_amount,
    read_date,
    read_deadline,
    split_units,
    suggest_unit,
)

LIST_YEAR = 2024
UNREADABLE_DATE = (
    "无法识别“{}”：请写成 2026-06-30、2026年6月30日、6月底、年底、第三季度 这样的时间，"
    "或留空（按清单默认完成时限）。"
)
UNREADABLE_AMOUNT = "无法识别金额“{}”：请写成 230、230万元、约230万元、1100多万元、1.2亿元 这样的数额。"

DATES = [
    ("2024-06-30", date(2024, 6, 30)),
    ("2024/6/30", date(2024, 6, 30)),
    ("2024.6.30", date(2024, 6, 30)),
    ("2024年6月30日", date(2024, 6, 30)),
    ("2024年6月30号", date(2024, 6, 30)),
    ("2024年6月", date(2024, 6, 30)),  # a month means its last day
    ("2024年2月", date(2024, 2, 29)),
    ("2024-11", date(2024, 11, 30)),
    ("6月底", date(2024, 6, 30)),
    ("6月份", date(2024, 6, 30)),
    ("6月末", date(2024, 6, 30)),
    ("6月底前", date(2024, 6, 30)),
    ("6月30日", date(2024, 6, 30)),
    ("十二月底", date(2024, 12, 31)),
    ("2024年6月中旬", date(2024, 6, 20)),
    ("年底", date(2024, 12, 31)),
    ("年内", date(2024, 12, 31)),
    ("年底前完成", date(2024, 12, 31)),
    ("上半年", date(2024, 6, 30)),
    ("下半年", date(2024, 12, 31)),
    ("第三季度", date(2024, 9, 30)),
    ("三季度末", date(2024, 9, 30)),
    ("第一季度", date(2024, 3, 31)),
    ("4季度", date(2024, 12, 31)),
    ("2025年底", date(2025, 12, 31)),  # a later year: the item spans years
    ("2025年上半年", date(2025, 6, 30)),
    ("明年年底", date(2025, 12, 31)),
    ("二〇二五年底", date(2025, 12, 31)),
    ("２０２４年６月", date(2024, 6, 30)),  # full-width digits
    (" 2024 年 6 月 ", date(2024, 6, 30)),
    ("3月至10月", date(2024, 10, 31)),  # a range ends at its end
    ("2024.3-2024.12", date(2024, 12, 31)),
    ("2025", date(2025, 12, 31)),
    ("", None),
]
WRONG_DATES = [
    ("尽快", UNREADABLE_DATE.format("尽快")),
    ("长期坚持", UNREADABLE_DATE.format("长期坚持")),
    ("6", UNREADABLE_DATE.format("6")),
    ("46000", UNREADABLE_DATE.format("46000")),
    ("底", UNREADABLE_DATE.format("底")),
    ("第五季度", UNREADABLE_DATE.format("第五季度")),
    ("2024-02-30", "2024 年 2 月没有 30 日。"),
    ("2024年13月", "没有 13 月。"),
    ("十三月底", "没有 13 月。"),
    ("十十月", "无法识别数字“十十”。"),
    ("十一十二月", "无法识别数字“十一十二”。"),
    ("2026年十十月", "无法识别数字“十十”。"),
    ("1999年底", "年份 1999 应在 2000 到 2100 之间。"),
]
# The spelling, its value, and how it is approximate: 余 (more than), 约 (about) or not at all.
AMOUNTS = [
    ("230", Decimal("230.00"), ""),
    ("85.5", Decimal("85.50"), ""),
    ("230万元", Decimal("230.00"), ""),
    ("230万", Decimal("230.00"), ""),
    ("230余万元", Decimal("230.00"), "余"),
    ("约230万元", Decimal("230.00"), "约"),
    ("1100多万元", Decimal("1100.00"), "余"),
    ("50万余元", Decimal("50.00"), "余"),
    ("230万元左右", Decimal("230.00"), "约"),
    ("230万元以上", Decimal("230.00"), "余"),
    ("预计85万元", Decimal("85.00"), "约"),
    ("1.2亿元", Decimal("12000.00"), ""),
    ("2,300万", Decimal("2300.00"), ""),
    ("2，300万元", Decimal("2300.00"), ""),
    ("85000元", Decimal("8.50"), ""),
    ("１２３万元", Decimal("123.00"), ""),
    ("0.5千万元", Decimal("500.00"), ""),
    ("335.1545万元", Decimal("335.15"), ""),  # rounded to the cent, as Numeric(12, 2) keeps it
]
WRONG_AMOUNTS = [
    ("-5", "资金不能为负数。"),
    ("约-5万元", "资金不能为负数。"),
    ("abc", UNREADABLE_AMOUNT.format("abc")),
    ("一千万", UNREADABLE_AMOUNT.format("一千万")),
    ("200-300万元", UNREADABLE_AMOUNT.format("200-300万元")),
    ("230万美元", UNREADABLE_AMOUNT.format("230万美元")),
    ("1e5", UNREADABLE_AMOUNT.format("1e5")),
    ("99999999999亿元", "资金数额过大。"),
]


@pytest.mark.parametrize("text, day", DATES)
def test_a_deadline_spelling_means_its_day(text, day):
    assert read_date(text, LIST_YEAR) == day


@pytest.mark.parametrize("text, message", WRONG_DATES)
def test_a_wrong_date_says_why(text, message):
    with pytest.raises(SpellingError) as refused:
        read_date(text, LIST_YEAR)
    assert refused.value.message == message


def test_a_deadline_before_the_lists_year_is_refused_but_a_date_may_be_earlier():
    with pytest.raises(SpellingError) as refused:
        read_deadline("2023年底", LIST_YEAR)
    assert refused.value.message == "“2023年底”早于清单年度（2024 年）。"
    assert read_date("2023年12月15日", LIST_YEAR) == date(2023, 12, 15)  # a suggestion's handing over


@pytest.mark.parametrize("text, value, wording", AMOUNTS)
def test_an_amount_spelling_means_its_value_in_wan_yuan(text, value, wording):
    amount = read_amount(text)
    assert amount is not None and (amount.value, amount.approx) == (value, bool(wording))
    assert amount.about is (wording == "约")


def test_a_rounded_amount_says_what_was_written():
    amount = read_amount("335.1545万元")
    assert amount is not None and amount.rounded and amount.written == Decimal("335.1545")
    assert not read_amount("335.15").rounded


def test_a_bare_number_takes_the_columns_unit():
    assert read_amount("85000", unit=Decimal("0.0001")).value == Decimal("8.50")  # 金额（元）
    assert read_amount("", unit=Decimal(1)) is None


@pytest.mark.parametrize("text, message", WRONG_AMOUNTS)
def test_a_wrong_amount_says_why(text, message):
    with pytest.raises(SpellingError) as refused:
        read_amount(text)
    assert refused.value.message == message


def test_the_table_has_forty_spellings_and_more():
    assert len(DATES) + len(WRONG_DATES) + len(AMOUNTS) + len(WRONG_AMOUNTS) >= 40


@pytest.mark.parametrize(
    "text, names",
    [
        ("交通站、水利站、财政所", ["交通站", "水利站", "财政所"]),
        ("交通站/水利站", ["交通站", "水利站"]),
        ("交通站和水利站", ["交通站", "水利站"]),
        ("交通站，水利站", ["交通站", "水利站"]),
        ("交通站\n水利站", ["交通站", "水利站"]),  # a Word cell's two lines
        ("住房和城乡建设局", ["住房和城乡建设局"]),  # 和 inside one name
        ("社会事务办（牵头）、财政所", ["社会事务办", "财政所"]),
        ("水利站、水利站", ["水利站"]),
        ("", []),
    ],
)
def test_a_cell_names_its_units_lead_first(text, names):
    assert split_units(text) == names


def test_a_known_name_is_never_split():
    assert split_units("交通站和水利站", known={"交通站和水利站"}) == ["交通站和水利站"]


@pytest.mark.parametrize(
    "name, suggested, close",
    [
        ("镇规划建设环保办", "规划建设环保办公室", True),  # 镇 prefix, 办 for 办公室
        ("江口镇财政所", "财政所", True),  # the township's name before it
        ("财政 所", "财政所", True),  # a space
        ("党政办", "党政综合办公室", False),  # alike, not the same
        ("江口镇中心学校", None, None),
    ],
)
def test_a_new_name_gets_the_office_it_most_likely_means(name, suggested, close):
    suggestion = suggest_unit(name, ["规划建设环保办公室", "党政综合办公室", "财政所"], ["江口镇", "江口"])
    if suggested is None:
        assert suggestion is None
    else:
        assert suggestion is not None and (suggestion.name, suggestion.close) == (suggested, close)
