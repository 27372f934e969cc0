"""What residents type loses its HTML; private numbers are masked on everything public."""

from __future__ import annotations

import pytest

from supervise.core.text import mask_private, strip_html


@pytest.mark.parametrize(
    "typed,kept",
    [
        ("<script>alert(1)</script>路灯不亮", "路灯不亮"),
        ("<b>路灯</b>不亮", "路灯不亮"),
        ('<a href="http://x">点我</a>', "点我"),
        ("<!-- 注释 -->意见", "意见"),
        ("1<2 且 3>2", "1<2 且 3>2"),
        ("  空格  ", "空格"),
        ("<STYLE>p{}</STYLE><IMG SRC=x onerror=alert(1)>好", "好"),
        (None, ""),
    ],
)
def test_strip_html(typed, kept):
    assert strip_html(typed) == kept


@pytest.mark.parametrize(
    "text,shown",
    [
        ("电话13891501000", "电话138****1000"),
        ("138-9150-1000", "138****1000"),
        ("+86 13891501000", "138****1000"),
        ("身份证610923199001011234", "身份证610923********1234"),
        ("61092319900101123x", "610923********123x"),
        ("资金 12000000000000 元", "资金 12000000000000 元"),
        ("jiangkou-2026-C-002", "jiangkou-2026-C-002"),
        ("2026年11月25日完成60%", "2026年11月25日完成60%"),
        ("办公电话 0915-6821234", "办公电话 0915-*******"),
        ("0915 68212345", "0915-********"),
        ("138.9150.1000", "138****1000"),
        ("电话１３８９１５０１０００", "电话138****1000"),
    ],
)
def test_mask_private(text, shown):
    assert mask_private(text) == shown
