"""Nothing unpublished, foreign or made up is reachable from a public address; nothing private shows."""

from __future__ import annotations

import re

import pytest

from supervise.extensions import db
from supervise.org.models import Township
from tests.helpers import text_of

from .conftest import make_town

PUBLIC_ROUTES = [
    "/public/{slug}/",
    "/public/{slug}/notices/{notice}",
    "/public/{slug}/notices/{notice}/pdf",
    "/public/{slug}/notices/{notice}/opinion",
]
PHONE = re.compile(r"1[3-9]\d{9}")


@pytest.fixture
def two_towns(factory):
    """江口镇 with a published notice; 外镇 with items and reports but nothing published."""
    town = make_town(factory)
    notice = town.publish()
    other = make_town(factory, factory.township("外镇"), items=1, name="外镇主席")
    return town, notice, other


def test_published_pages_answer(render_on_change, two_towns, client):
    town, notice, _other = two_towns
    for route in PUBLIC_ROUTES:
        url = route.format(slug=town.township.slug, notice=notice.id)
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("route", PUBLIC_ROUTES)
def test_unpublished_foreign_and_made_up_addresses_are_404(two_towns, factory, client, route):
    town, notice, other = two_towns
    foreign = factory.published_notice(other.chair)
    db.session.commit()
    cases = [
        (other.township.slug, 999999),  # a township with a notice, an id that does not exist
        ("no-such-town", notice.id),  # a made-up township
        (town.township.slug, foreign.id),  # another township's notice under this township's address
        (other.township.slug, notice.id),  # this notice under the other township's address
        (town.township.slug, 2**31 - 1),
        (town.township.slug, 0),
    ]
    if "{notice}" not in route:
        cases = [("no-such-town", 0)]
    for slug, notice_id in cases:
        url = route.format(slug=slug, notice=notice_id)
        assert client.get(url).status_code == 404, url
        if route.endswith("/opinion"):
            assert client.post(url, data={"body": "意见", "line_id": "1"}).status_code == 404, url


def test_a_township_without_published_notices_has_no_board(two_towns, client):
    _town, _notice, other = two_towns
    assert client.get(f"/public/{other.township.slug}/").status_code == 404
    index = text_of(client.get("/public/"))
    assert "江口镇" in index and "外镇" not in index


def test_an_inactive_townships_pages_are_gone(two_towns, client):
    town, notice, _other = two_towns
    db.session.get(Township, town.township.id).is_active = False
    db.session.commit()
    for route in PUBLIC_ROUTES:
        assert client.get(route.format(slug=town.township.slug, notice=notice.id)).status_code == 404
    assert "江口镇" not in text_of(client.get("/public/"))


def test_no_phone_numbers_or_internal_notes_on_public_pages(two_towns, client):
    town, notice, _other = two_towns
    for route in PUBLIC_ROUTES[:2] + PUBLIC_ROUTES[3:] + ["/public/"]:
        html = client.get(route.format(slug=town.township.slug, notice=notice.id)).get_data(as_text=True)
        assert not PHONE.search(html), route
        assert "内部备注" not in html and "约谈" not in html, route
        assert "杨春花" in html or route in ("/public/", "/public/{slug}/", PUBLIC_ROUTES[3]), route


def test_public_pages_have_no_internal_navigation(two_towns, client):
    town, notice, _other = two_towns
    html = client.get(f"/public/{town.township.slug}/notices/{notice.id}").get_data(as_text=True)
    for internal in ("/items/", "/lists/", "/sheets/", "/manage/", "/notices/"):
        assert f'href="{internal}' not in html, internal


def test_script_tags_in_report_text_come_out_escaped(factory, client):
    town = make_town(factory, items=0)
    item = factory.item("supervising", title="<script>alert('t')</script>路灯", lead_office_id=town.office.id)
    factory.report_row(
        item, done="<script>alert('x')</script>已完成", problems="<img src=x onerror=alert(1)>"
    )
    db.session.commit()
    notice = town.publish()
    html = client.get(town.notice_url(notice)).get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;已完成" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_phone_and_id_numbers_typed_into_reports_and_opinions_are_masked(factory, client):
    town = make_town(factory, items=0)
    item = factory.item("supervising", title="村道硬化", lead_office_id=town.office.id)
    factory.report_row(
        item, done="联系人张工 13891501234，已开工。", problems="身份证 61092319900101123X 的户主未签字"
    )
    db.session.commit()
    notice = town.publish()
    client.post(
        town.notice_url(notice, "/opinion"),
        data={"body": "请回电 138-9150-5678", "author_name": "王 13912345678", "line_id": notice.lines[0].id},
    )
    from supervise.notices import operations as ops
    from supervise.notices.models import Opinion

    ops.approve_opinion(town.chair, db.session.execute(db.select(Opinion)).scalar_one(), "已联系 13700001111")
    db.session.commit()
    html = client.get(town.notice_url(notice)).get_data(as_text=True)
    assert not PHONE.search(html.replace("-", "").replace(" ", ""))
    assert "138****1234" in html and "610923********123X" in html
    assert "138****5678" in html and "139****5678" in html and "137****1111" in html


# evaluation (民主评议): published results follow the same pattern; no deputy's name or phone shows.
EVALUATION_ROUTES = ["/public/{slug}/evaluations/", "/public/{slug}/evaluations/{result}"]


def test_published_evaluation_results_answer_and_nothing_else_does(factory, client):
    from supervise.evaluation.models import PublishedResult
    from supervise.org.models import Deputy

    meeting = factory.closed_evaluation(publish=True)
    other_chair = factory.user("presidium", township=factory.township("外镇"))
    unpublished = factory.closed_evaluation(other_chair)
    db.session.commit()
    result = db.session.execute(db.select(PublishedResult)).scalar_one()
    slug, other = meeting.township.slug, other_chair.township.slug
    names = db.session.execute(db.select(Deputy.name)).scalars().all()
    for route in EVALUATION_ROUTES:
        html = client.get(route.format(slug=slug, result=result.id)).get_data(as_text=True)
        assert "评议" in html and not PHONE.search(html) and not any(name in html for name in names)
    cases = ((other, result.id), ("no-such-town", result.id), (other, unpublished.id), (slug, 0))
    for slug_, result_id in cases:
        url = EVALUATION_ROUTES[1].format(slug=slug_, result=result_id)
        assert client.get(url).status_code == 404, url
