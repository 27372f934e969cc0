"""The plan's pages as a presidium walks them: the deliberation remarks when there are none yet, and
the surplus rule and candidates in English."""

from __future__ import annotations

import re

from tests.helpers import html_of, text_of
from tests.livelihood.planning import start_planning

NUMBERED_ITEMS = re.compile(r"<ol\b.*?</ol>", re.S)


def test_no_remarks_yet_is_said_outside_the_numbered_list(factory, client, login_as):
    planning = start_planning(factory)
    planning.candidates(1)
    login_as(planning.chair)
    for url in (f"/livelihood/plans/{planning.plan.id}", f"/livelihood/plans/{planning.plan.id}/remarks"):
        html = html_of(client.get(url))
        assert "还没有审议意见。" in html, url
        # Not "1. 还没有审议意见。": the empty text is no remark of the numbered list.
        assert not any("还没有审议意见" in ol for ol in NUMBERED_ITEMS.findall(html)), url


def test_the_plan_page_reads_in_english_with_one_place(factory, client, login_as):
    planning = start_planning(factory, places=1)
    login_as(planning.chair)
    client.post("/language", data={"locale": "en"})
    page = client.get(f"/livelihood/plans/{planning.plan.id}")
    assert "Surplus rule</strong>: Places to fill: 1;" in html_of(page)  # an English colon
    text = text_of(page)
    assert "No candidates yet: at least 2 candidates are needed" in text
    assert "Investment" in text and "1 places" not in text
