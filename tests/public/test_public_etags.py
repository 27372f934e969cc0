"""Every public page may be kept by a reverse proxy or a browser: it sends an ETag, says to
revalidate (no-cache, Vary: Cookie), and answers a revalidation that still matches with a bare 304."""

from __future__ import annotations

from supervise.evaluation.models import PublishedResult
from supervise.extensions import db

from .conftest import make_town


def test_every_public_page_sends_an_etag_and_answers_304(factory, client):
    town = make_town(factory)
    notice = town.publish()
    factory.closed_evaluation(town.chair, publish=True)
    db.session.commit()
    published = db.session.execute(db.select(PublishedResult)).scalar_one()
    slug = town.township.slug
    for url in (
        "/public/",
        f"/public/{slug}/",
        town.notice_url(notice),
        f"/public/{slug}/evaluations/",
        f"/public/{slug}/evaluations/{published.id}",
    ):
        first = client.get(url)
        assert first.status_code == 200, url
        etag = first.headers.get("ETag")
        assert etag, f"{url} sends no ETag"
        assert "no-cache" in first.headers["Cache-Control"] and "Cookie" in first.headers["Vary"], url
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and not again.get_data(), url
