"""What a reader sees of the year's figures: a year that is no year gives this year with a message
(never a 404 or a 500), the workbook's 各镇对比 ends with its total and shows rates in percent, and
the suggestions' answer classes sit under the suggestions, in the page, the PDF and the workbook."""

from __future__ import annotations

import pytest

from supervise.core.clock import today
from tests.helpers import html_of, text_of

from .test_county_view import build_county


@pytest.mark.parametrize("year", ["abc", "99999", "1999", "-3", "２０２６x"])
@pytest.mark.parametrize("path", ["/statistics/townships", "/statistics/county", "/statistics/offices"])
def test_a_year_that_is_no_year_shows_this_year_and_says_so(app, factory, client, login_as, path, year):
    build_county(factory)
    login_as("county")
    response = client.get(f"{path}?year={year}")
    assert response.status_code == 200
    text = text_of(response)
    assert f"不是有效的年度（应为 2000–2100 年），已显示 {today().year} 年的数据。" in text
    assert f'value="{today().year}"' in html_of(response)  # the year chooser holds the year shown
    assert "不是有效的年度" not in text_of(client.get(f"{path}?year=2025"))
    assert "不是有效的年度" not in text_of(client.get(path))
