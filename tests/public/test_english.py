"""The public board and notice pages in English: the frame and the dates follow the reader's
language; the notice's own copied text stays as published (Chinese)."""

from __future__ import annotations

import re

import pytest

from tests.helpers import text_of
from tests.notices.conftest import MONTH, make_town


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


@pytest.mark.usefixtures("render_on_change")
def test_english_readers_see_states_and_kinds_in_english_and_the_print_stays_chinese(factory, client):
    town = make_town(factory)
    notice = town.publish()
    assert {line.state_label for line in notice.lines} == {"监督中"}  # stored as published
    client.get("/public/?lang=en")
    text = text_of(client.get(town.notice_url(notice)))
    assert "Supervising" in text and "Government commitments" in text
    assert "监督中" not in text and "政府承诺事项" not in text
    pdf_html = client.get(town.notice_url(notice, "/pdf"))
    assert pdf_html.status_code == 200  # the printed notice renders as published (Chinese)


def test_the_presidiums_preview_shows_states_in_the_chairs_language(factory, client, login_as):
    town = make_town(factory)
    login_as(town.chair)
    client.post("/language", data={"locale": "en"})
    text = text_of(client.get("/notices/preview"))
    assert "Supervising" in text and "监督中" not in text


def test_a_label_no_state_has_any_more_is_shown_as_published(app):
    from flask_babel import force_locale

    from supervise.notices.text import reader_labels

    with app.test_request_context(), force_locale("en"):
        labels = reader_labels()
    assert labels["会商中"] == "In consultation" and labels["民生实事项目"] != "民生实事项目"
    assert labels.get("暂缓实施", "暂缓实施") == "暂缓实施"


def test_anonymous_readers_switch_language_by_link(factory, client):
    town = make_town(factory)
    notice = town.publish()
    page = client.get(town.notice_url(notice)).get_data(as_text=True)
    assert f'href="{town.notice_url(notice)}?lang=en"' in page
    switched = client.get(town.notice_url(notice, "?lang=en"))
    assert switched.status_code == 302 and switched.location.endswith(town.notice_url(notice))
    english = client.get(town.notice_url(notice)).get_data(as_text=True)
    assert "Supervising" in english and f'href="{town.notice_url(notice)}?lang=zh_Hans_CN"' in english
    assert client.get("/public/?lang=zh_Hans_CN").status_code == 302
    assert "监督中" in text_of(client.get(town.notice_url(notice)))
    # An unknown language changes nothing; the redirect keeps the other parameters.
    odd = client.get(town.notice_url(notice, "/opinion?line=1&lang=xx"))
    assert odd.status_code == 302 and odd.location.endswith("/opinion?line=1")
    assert "监督中" in text_of(client.get(town.notice_url(notice)))
