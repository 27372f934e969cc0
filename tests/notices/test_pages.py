"""The presidium's notice pages: fixed query counts, the home page line, and no route that changes
a published notice."""

from __future__ import annotations

from sqlalchemy import select

from supervise.extensions import db
from supervise.notices import operations as ops
from supervise.notices.models import NoticeLine, PublicNotice
from tests.helpers import statements_of_a_second_visit, text_of

from .conftest import MONTH


def test_the_lists_run_a_fixed_number_of_statements(town, factory, client, login_as, count_queries):
    login_as(town.chair)
    notice = town.publish()
    factory.opinion(notice)
    db.session.commit()
    few = [
        statements_of_a_second_visit(client, count_queries, url) for url in ("/notices/", "/notices/opinions")
    ]
    for n in range(12):
        factory.opinion(notice, line=notice.lines[n % 2], body=f"意见{n}")
    previous = notice
    for _ in range(3):
        previous = ops.publish_correction(town.chair, previous, "更正")
    db.session.commit()
    many = [
        statements_of_a_second_visit(client, count_queries, url) for url in ("/notices/", "/notices/opinions")
    ]
    assert few == many


def test_the_presidium_home_page_says_what_waits(town, factory, client, login_as):
    login_as(town.chair)
    assert "本月公示尚未发布" in text_of(client.get("/"))
    factory.opinion(town.publish())
    db.session.commit()
    text = text_of(client.get("/"))
    assert "本月公示已发布" in text and "待审核群众意见 1 条" in text


def _snapshot() -> list:
    notices = db.session.execute(select(PublicNotice).order_by(PublicNotice.id)).scalars().all()
    lines = db.session.execute(select(NoticeLine).order_by(NoticeLine.id)).scalars().all()
    columns = [(n, [c.key for c in PublicNotice.__table__.columns]) for n in notices]
    columns += [(line, [c.key for c in NoticeLine.__table__.columns]) for line in lines]
    return [tuple(getattr(row, key) for key in keys) for row, keys in columns]


def test_no_route_changes_a_published_notice(app, town, factory, client, login_as):
    notice = town.publish()
    opinion = factory.opinion(notice)
    db.session.commit()
    before = _snapshot()
    login_as(town.chair)
    values = {
        "notice_id": notice.id,
        "opinion_id": opinion.id,
        "slug": town.township.slug,
        "action": "approve",
    }
    garbage = {"title": "改掉标题", "month": f"{MONTH.year}-{MONTH.month:02d}", "reason": "", "percent": "1"}
    posted = 0
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or not ("notice" in rule.rule or "public" in rule.rule):
            continue
        url = rule.rule
        for key, value in values.items():
            url = url.replace(f"<int:{key}>", str(value)).replace(f"<{key}>", str(value))
        assert client.post(url, data=garbage).status_code < 500, url
        posted += 1
    assert posted >= 4
    db.session.expire_all()
    assert _snapshot()[: len(before)] == before
