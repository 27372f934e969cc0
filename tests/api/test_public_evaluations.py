"""The published evaluation results (民主评议) through the public API: paged by cursor like every
other list, newest meeting first, as the public page lists them."""

from __future__ import annotations

import re
from datetime import date

from supervise.extensions import db
from tests.helpers import html_of


def _published(factory, chair, year: int, held_on: date):
    return factory.closed_evaluation(chair, voters=2, publish=True, year=year, held_on=held_on)


def test_results_are_paged_newest_first_and_a_cursor_stays_where_it_was(factory, app):
    chair = factory.user("presidium")
    # Two meetings on one day (the later id first), and one a year before.
    meetings = [
        _published(factory, chair, 2024, date(2024, 10, 15)),
        _published(factory, chair, 2025, date(2025, 10, 15)),
        _published(factory, chair, 2025, date(2025, 10, 15)),
    ]
    db.session.commit()
    slug, client = chair.township.slug, app.test_client()
    url = f"/api/v1/public/townships/{slug}/evaluations"
    whole = client.get(url).get_json()
    assert whole["next_cursor"] is None and len(whole["items"]) == 3
    listed = re.findall(
        rf"/public/{slug}/evaluations/(\d+)", html_of(client.get(f"/public/{slug}/evaluations/"))
    )
    assert [r["id"] for r in whole["items"]] == [int(i) for i in dict.fromkeys(listed)]  # as the page lists
    assert [r["held_on"] for r in whole["items"]] == ["2025-10-15", "2025-10-15", "2024-10-15"]
    first = client.get(url, query_string={"limit": 2}).get_json()
    assert first["items"] == whole["items"][:2] and first["next_cursor"]
    assert "2025" not in first["next_cursor"]  # opaque
    _published(factory, chair, 2026, date(2026, 10, 15))  # published meanwhile, newest
    db.session.commit()
    second = client.get(url, query_string={"limit": 2, "cursor": first["next_cursor"]}).get_json()
    assert second == {"items": whole["items"][2:], "next_cursor": None}
    assert len(meetings) == 3 and all(r["lines"] for r in whole["items"])


def test_a_cursor_of_another_list_is_a_field_error(factory, app):
    chair = factory.user("presidium")
    _published(factory, chair, 2025, date(2025, 10, 15))
    db.session.commit()
    client, slug = app.test_client(), chair.township.slug
    votes_like = client.get(f"/api/v1/public/townships/{slug}/notices", query_string={"limit": 1})
    assert votes_like.status_code == 200
    from supervise.api.blueprint import encode_cursor

    for cursor in (encode_cursor(1), "YmVmb3JlOjIwMjU6MQ"):  # notices' "after:1", votes' "before:2025:1"
        answer = client.get(f"/api/v1/public/townships/{slug}/evaluations", query_string={"cursor": cursor})
        assert answer.status_code == 422 and "翻页游标" in answer.get_data(as_text=True)
