"""Odd input on public addresses and notices: NUL bytes, padded ids, line breaks in titles, nested tags,
an app served under a sub-path. None of it may give a 500 or a wrong page."""

from __future__ import annotations

import pytest

from supervise.core import cache
from supervise.core.text import strip_html
from supervise.extensions import db
from supervise.notices.documents import file_name, notice_url

from .conftest import make_town


@pytest.mark.parametrize("path", ["/public/%00/", "/public/a%00b/notices/1", "/public/a%00b/notices/1/pdf"])
def test_a_nul_byte_in_the_address_is_a_404(client, path):
    assert client.get(path).status_code == 404


def test_padded_ids_share_one_cached_page(app, factory, client):
    town = make_town(factory)
    notice = town.publish()
    db.session.commit()
    url = town.notice_url(notice)
    store = cache.page_cache(app).store
    before = len(getattr(store, "_data", {}))
    page = client.get(url)
    assert page.status_code == 200
    # A padded id names the same notice: the same page, not a second copy in the cache.
    for zeros in range(1, 6):
        padded = url.replace(f"/notices/{notice.id}", f"/notices/{'0' * zeros}{notice.id}")
        response = client.get(padded)
        assert response.status_code == 200
        assert response.get_data() == page.get_data()
    assert len(getattr(store, "_data", {})) - before <= 1


def test_a_title_with_a_line_break_is_one_line(factory, client):
    town = make_town(factory)
    notice = town.publish(title="十一月\r\n公示")
    assert notice.title == "十一月 公示" and "\n" not in file_name(notice)


def test_nested_tags_do_not_survive_stripping():
    assert "<img" not in strip_html("<<b>img src=x onerror=alert(1)>")
    assert strip_html("1<2 且 3>2") == "1<2 且 3>2"


def test_the_qr_address_is_right_under_a_sub_path(app, factory):
    town = make_town(factory)
    notice = town.publish()
    db.session.commit()
    with app.test_request_context("/", base_url="http://example.org/renda/"):
        url = notice_url(notice)
    assert url.startswith("http://example.org/renda/public/") and "/renda/renda/" not in url
