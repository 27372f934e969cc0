"""The public board shows one year of notices at a time, the newest by default, with links to the
others: it stays the same size as past years pile up."""

from __future__ import annotations

from datetime import date

from supervise.extensions import db
from supervise.notices.models import PublicNotice
from tests.helpers import text_of


def _notice(township, month: date, title: str) -> PublicNotice:
    notice = PublicNotice(township_id=township.id, month=month, title=title, issuer="主席团")
    db.session.add(notice)
    db.session.flush()
    return notice


def test_the_board_shows_the_newest_year_and_links_the_others(factory, client):
    township = factory.default_township
    _notice(township, date(2024, 11, 1), "二〇二四年十一月公示")
    _notice(township, date(2025, 3, 1), "二〇二五年三月公示")
    _notice(township, date(2026, 5, 1), "二〇二六年五月公示")
    db.session.commit()
    board = f"/public/{township.slug}/"

    newest = text_of(client.get(board))
    assert "二〇二六年五月公示" in newest and "二〇二五年三月公示" not in newest
    assert all(f"{year}年" in newest for year in (2024, 2025, 2026))

    earlier = text_of(client.get(f"{board}?year=2024"))
    assert "二〇二四年十一月公示" in earlier and "二〇二六年五月公示" not in earlier
    # A year without notices, or nonsense, shows the newest.
    for asked in ("2019", "abc", ""):
        assert "二〇二六年五月公示" in text_of(client.get(f"{board}?year={asked}")), asked


def test_each_year_has_its_own_etag(factory, client):
    township = factory.default_township
    _notice(township, date(2025, 3, 1), "二〇二五年三月公示")
    _notice(township, date(2026, 5, 1), "二〇二六年五月公示")
    db.session.commit()
    board = f"/public/{township.slug}/"
    assert client.get(board).headers["ETag"] != client.get(f"{board}?year=2025").headers["ETag"]
