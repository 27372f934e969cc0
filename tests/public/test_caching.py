"""The public pages are fast: a fixed number of statements whatever the size, and 304s on revisits."""

from __future__ import annotations

import pytest

from supervise.extensions import db
from supervise.notices import operations as ops
from tests.helpers import statements_of_a_second_visit

from .conftest import make_town


def _towns_with_5_and_200_items(factory):
    small = make_town(factory, items=5)
    big = make_town(factory, factory.township("大镇"), items=200, name="大镇主席")
    small_notice, big_notice = small.publish(), big.publish()
    for notice in (small_notice, big_notice):
        factory.opinion(notice, state="approved", answer="已答复")
    db.session.commit()
    for town, notice in ((small, small_notice), (big, big_notice)):
        ops.publish_correction(town.chair, notice, "更正进度")
    db.session.commit()
    assert len(big_notice.lines) == 200
    return (("small", small, small_notice), ("big", big, big_notice))


def test_board_and_notice_run_the_same_statements_for_5_and_200_items(factory, app, client, count_queries):
    # With the page cache off every visit renders: what is counted is the real work, not a cache hit.
    app.config["CACHE_URL"] = "none"
    app.extensions.pop("supervise_page_cache", None)
    counts = {}
    for name, town, notice in _towns_with_5_and_200_items(factory):
        counts[name] = (
            statements_of_a_second_visit(client, count_queries, f"/public/{town.township.slug}/"),
            statements_of_a_second_visit(client, count_queries, town.notice_url(notice)),
            statements_of_a_second_visit(client, count_queries, "/public/"),
            statements_of_a_second_visit(client, count_queries, town.notice_url(notice, "/opinion")),
        )
    assert counts["small"] == counts["big"], counts
    # … and it really rendered: the notice page read its lines, opinions and correction.
    assert counts["big"][1] >= 3, counts


def test_a_cached_page_costs_its_validator_only(factory, client, count_queries):
    for _name, town, notice in _towns_with_5_and_200_items(factory):
        for url in (f"/public/{town.township.slug}/", town.notice_url(notice)):
            assert statements_of_a_second_visit(client, count_queries, url) == 1, url


def test_a_revisit_with_the_etag_is_a_304_until_an_opinion_is_approved(factory, client):
    town = make_town(factory)
    notice = town.publish()
    for url in ("/public/", f"/public/{town.township.slug}/", town.notice_url(notice)):
        first = client.get(url)
        etag = first.headers["ETag"]
        assert first.status_code == 200 and "no-cache" in first.headers["Cache-Control"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and not again.get_data()
    etag = client.get(town.notice_url(notice)).headers["ETag"]
    opinion = factory.opinion(notice, body="新的意见")
    db.session.commit()
    assert client.get(town.notice_url(notice), headers={"If-None-Match": etag}).status_code == 304  # pending
    ops.approve_opinion(town.chair, opinion)
    db.session.commit()
    fresh = client.get(town.notice_url(notice), headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and "新的意见" in fresh.get_data(as_text=True)


def test_a_correction_changes_the_board_and_the_corrected_notices_etag(factory, client):
    town = make_town(factory)
    notice = town.publish()
    board = client.get(f"/public/{town.township.slug}/").headers["ETag"]
    page = client.get(town.notice_url(notice)).headers["ETag"]
    correction = ops.publish_correction(town.chair, notice, "进度有误")
    db.session.commit()
    new_board = client.get(f"/public/{town.township.slug}/", headers={"If-None-Match": board})
    assert new_board.status_code == 200
    html = new_board.get_data(as_text=True)
    assert html.count("notice-link") == 2 and "已更正" in html and "更正公示" in html
    assert f"/notices/{correction.id}" in html
    old = client.get(town.notice_url(notice), headers={"If-None-Match": page})
    assert old.status_code == 200 and "此公示已被更正" in old.get_data(as_text=True)
    new = client.get(town.notice_url(correction)).get_data(as_text=True)
    assert "更正原因：进度有误" in new and f"/notices/{notice.id}" in new


def test_a_flashed_message_is_never_hidden_by_a_304(factory, client):
    town = make_town(factory)
    notice = town.publish()
    etag = client.get(town.notice_url(notice)).headers["ETag"]
    client.post(
        town.notice_url(notice, "/opinion"), data={"body": "意见", "line_id": str(notice.lines[0].id)}
    )
    shown = client.get(town.notice_url(notice), headers={"If-None-Match": etag})
    assert shown.status_code == 200 and "审核后公开" in shown.get_data(as_text=True)


@pytest.mark.parametrize("store", ["memory", "redis"])
def test_whole_pages_are_kept_as_the_bytes_sent(store):
    import secrets

    from supervise.core import cache
    from tests.lists.test_item_list_cache import redis_url_or_skip

    pages = cache.MemoryStore() if store == "memory" else cache.RedisStore(redis_url_or_skip())
    key = "test-page-" + secrets.token_hex(8)
    body = "<p>集镇道路改造提升项目</p>".encode()
    pages.set_bytes(key, body)
    assert pages.get_bytes(key) == body
    if store == "redis":
        pages._client.delete(key)
