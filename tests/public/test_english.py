"""The public board and notice pages in English: the frame and the dates follow the reader's
language; the notice's own copied text stays as published (Chinese)."""

from __future__ import annotations

import re

from tests.notices.conftest import MONTH, make_town, text_of


def test_the_english_board_shows_the_month_in_english(factory, client):
    town = make_town(factory)
    notice = town.publish()
    client.post("/language", data={"locale": "en"})
    english_month = MONTH.strftime("%B %Y")
    for url in (f"/public/{town.township.slug}/", town.notice_url(notice)):
        text = text_of(client.get(url))
        assert english_month in text, url
        # The notice's title is official Chinese text; nothing else is.
        assert "年" not in text.replace(notice.title, "").replace(notice.issuer, ""), url
    client.post("/language", data={"locale": "zh_Hans_CN"})
    assert f"{MONTH.year}年{MONTH.month}月" in text_of(client.get(f"/public/{town.township.slug}/"))


def test_the_english_navigation_has_no_chinese_left(factory, client, login_as):
    admin = login_as("admin")
    client.post("/language", data={"locale": "en"})
    html = client.get("/").get_data(as_text=True)
    nav = re.sub(r"<[^>]+>", " ", html[html.index("<nav") : html.index("</nav>")])
    assert "Counties" in nav
    # Only the account's own name and the language's own name (中文) stay Chinese.
    assert set(re.findall(r"[\u4e00-\u9fff]+", nav)) <= {"中文", admin.display_name}
