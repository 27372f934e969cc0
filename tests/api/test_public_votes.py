"""The published livelihood votes (民生实事项目票决) through the public API: the same numbers as the
public page /public/<slug>/livelihood/<year>/vote, each round's lines, links to the items the chosen
projects became; a vote not published, another township's, an unknown address: 404. No ballots."""

from __future__ import annotations

import base64
import re
from html import unescape

from supervise.api.blueprint import encode_cursor
from supervise.ballots.approval import Vote
from supervise.core.clock import utcnow
from supervise.extensions import db
from supervise.livelihood import vote_operations as ops
from supervise.livelihood.plan_models import PlanState, VotePlan
from supervise.livelihood.vote_models import VoteResult
from supervise.livelihood.vote_operations import chosen_item_of
from tests.helpers import html_of, text_of
from tests.livelihood.test_vote import Voting

Y, N, A = Vote.yes, Vote.no, Vote.abstain
ROW = re.compile(
    r'<tr><td>([^<]*)</td><td class="text-end">(\d+)</td><td class="text-end">(\d+)</td>'
    r'<td class="text-end">(\d+)</td><td class="text-end">(\d+)</td>\s*<td>(.*?)</td></tr>',
    re.S,
)
RESULT_KEYS = {
    "id", "year", "title", "held_on", "published_at", "rule_text", "roster", "present", "issued",
    "returned", "valid", "invalid", "places", "candidates", "chosen", "vacancies", "chosen_share",
    "turnout", "lines",
}  # fmt: skip
LINE_KEYS = {"round", "title", "yes", "no", "abstain", "invalid", "passed", "tied", "chosen", "item"}


def _outcome(line: dict) -> str:
    if line["chosen"]:
        return "当选"
    if line["tied"]:
        return "票数相等"
    return "通过" if line["passed"] else "未通过"


def reads_as_the_public_page(client, slug: str, result: dict) -> None:
    """Every number and line of the API's result is what the public page shows."""
    page = client.get(f"/public/{slug}/livelihood/{result['year']}/vote")
    assert page.status_code == 200
    text = text_of(page)
    assert (
        f"应到代表 {result['roster']} 人，实到 {result['present']} 人；"
        f"发出表决票 {result['issued']} 张（含手机投票码），"
        f"收回 {result['returned']} 张，未收回 {result['issued'] - result['returned']} 张；"
        f"收回的表决票中有效 {result['valid']} 张，无效 {result['invalid']} 张" in text
    )
    assert f"{result['chosen_share'] * 100:.1f}%" in text and f"{result['turnout'] * 100:.1f}%" in text
    assert result["rule_text"] in text and result["title"]
    rows = [
        (
            unescape(title),
            int(yes),
            int(no),
            int(abstain),
            int(invalid),
            unescape(re.sub(r"<[^>]+>", "", cell)).strip(),
        )
        for title, yes, no, abstain, invalid, cell in ROW.findall(html_of(page))
    ]
    keys = ("title", "yes", "no", "abstain", "invalid")
    assert rows == [(*(li[key] for key in keys), _outcome(li)) for li in result["lines"]]


def _voted(factory, runoffs: int = 0) -> Voting:
    voting = Voting(factory, runoffs=runoffs)
    voting.open()
    return voting


def test_an_unpublished_vote_is_404_and_the_published_one_reads_as_its_page(factory, app):
    voting = _voted(factory)
    voting.phone_ballots([[Y, Y, N], [Y, Y, N], [Y, N, Y], [Y, Y, A], [N, Y, Y]])
    voting.close()
    slug, year = voting.planning.collecting.slug, voting.plan.year
    client = app.test_client()
    url = f"/api/v1/public/townships/{slug}/votes/{year}"
    hidden = client.get(url)
    assert hidden.status_code == 404 and hidden.mimetype == "application/problem+json"
    assert client.get(f"/public/{slug}/livelihood/{year}/vote").status_code == 404  # as the page
    assert client.get(f"/api/v1/public/townships/{slug}/votes").get_json() == {
        "items": [],
        "next_cursor": None,
    }
    ops.publish_result(voting.chair, voting.plan)
    db.session.commit()
    answer = client.get(url)
    assert answer.status_code == 200
    result = answer.get_json()
    assert set(result) == RESULT_KEYS and all(set(line) == LINE_KEYS for line in result["lines"])
    assert (result["roster"], result["present"], result["valid"], result["invalid"]) == (5, 5, 5, 0)
    assert (result["candidates"], result["chosen"], result["vacancies"]) == (3, 2, 0)
    assert [(li["title"], li["yes"], li["no"], li["abstain"]) for li in result["lines"]] == [
        ("候选项目1", 4, 1, 0),
        ("候选项目2", 4, 1, 0),
        ("候选项目3", 2, 2, 1),
    ]
    items = chosen_item_of([c.id for c in voting.plan.ballot_candidates])
    codes = {c.title: items[c.id].code for c in voting.plan.ballot_candidates if c.id in items}
    assert {li["title"]: li["item"]["code"] for li in result["lines"] if li["item"]} == codes
    assert len(codes) == 2 and result["lines"][2]["item"] is None
    reads_as_the_public_page(client, slug, result)
    assert client.get(f"/api/v1/public/townships/{slug}/votes").get_json() == {
        "items": [result],
        "next_cursor": None,
    }


def test_a_runoff_is_its_own_round_and_its_chosen_project_is_linked(factory, app):
    voting = _voted(factory, runoffs=1)
    # 候选项目1: 4 赞成; 候选项目2 and 3: 3 赞成 each, tied for the second place.
    voting.phone_ballots([[Y, Y, N], [Y, Y, N], [Y, N, Y], [Y, N, Y], [N, Y, Y]])
    voting.close()
    runoff = ops.create_runoff(voting.chair, voting.plan)
    db.session.commit()
    voting.open(runoff)
    voting.phone_ballots([[Y, N], [Y, N], [Y, N], [N, Y], [A, Y]], runoff)
    voting.close(runoff)
    ops.publish_result(voting.chair, voting.plan)
    db.session.commit()
    slug, client = voting.planning.collecting.slug, app.test_client()
    result = client.get(f"/api/v1/public/townships/{slug}/votes/{voting.plan.year}").get_json()
    lines = result["lines"]
    assert [(li["round"], li["chosen"], li["tied"]) for li in lines] == [
        (1, True, False),
        (1, False, True),
        (1, False, True),
        (2, True, False),
        (2, False, False),
    ]
    assert lines[3]["item"]["title"] == lines[3]["title"] and lines[1]["item"] is None
    reads_as_the_public_page(client, slug, result)


def test_another_townships_vote_an_unknown_or_retired_township_are_404(factory, app):
    voting = _voted(factory)
    voting.phone_ballots([[Y, Y, N]] * 5)
    voting.close()
    ops.publish_result(voting.chair, voting.plan)
    township = voting.planning.collecting.township
    other = factory.township("外镇")
    db.session.commit()
    client, year = app.test_client(), voting.plan.year
    assert client.get(f"/api/v1/public/townships/{other.slug}/votes/{year}").status_code == 404
    assert client.get(f"/api/v1/public/townships/{other.slug}/votes").get_json()["items"] == []
    assert client.get(f"/api/v1/public/townships/{township.slug}/votes/{year + 1}").status_code == 404
    assert client.get("/api/v1/public/townships/nowhere/votes").status_code == 404
    assert client.get(f"/api/v1/public/townships/{township.slug}/votes/{year}").status_code == 200
    township.is_active = False
    db.session.commit()
    assert client.get(f"/api/v1/public/townships/{township.slug}/votes/{year}").status_code == 404
    assert client.get(f"/api/v1/public/townships/{township.slug}/votes").status_code == 404


def test_the_demo_vote_reads_as_its_public_page(app):
    from supervise.demo import seed_demo

    seed_demo()
    db.session.commit()
    client = app.test_client()
    (result,) = client.get("/api/v1/public/townships/jiangkou/votes").get_json()["items"]
    assert (result["candidates"], result["chosen"], result["places"]) == (12, 10, 10)
    assert max(line["round"] for line in result["lines"]) == 2  # the tie at the cut's run-off
    assert len([line for line in result["lines"] if line["item"]]) == 10
    reads_as_the_public_page(client, "jiangkou", result)


def _published_year(result: VoteResult, year: int) -> VoteResult:
    """Another year's published vote of the same township: its plan and a copy of the snapshot."""
    plan = VotePlan(
        township_id=result.township_id,
        year=year,
        places=result.places,
        state=PlanState.FIXED,
        fixed_at=utcnow(),
    )
    db.session.add(plan)
    db.session.flush()
    columns = [c.key for c in VoteResult.__table__.columns if c.key not in {"id", "plan_id", "year"}]
    copy = VoteResult(plan_id=plan.id, year=year, **{key: getattr(result, key) for key in columns})
    db.session.add(copy)
    db.session.commit()
    return copy


def test_the_list_is_paged_newest_year_first_and_a_cursor_stays_where_it_was(factory, app):
    voting = _voted(factory)
    voting.phone_ballots([[Y, Y, N]] * 5)
    voting.close()
    result = ops.publish_result(voting.chair, voting.plan)
    db.session.commit()
    year, slug = voting.plan.year, voting.planning.collecting.slug
    for earlier in (year - 1, year - 2):
        _published_year(result, earlier)
    client, url = app.test_client(), f"/api/v1/public/townships/{slug}/votes"
    first = client.get(url, query_string={"limit": 2}).get_json()
    assert [r["year"] for r in first["items"]] == [year, year - 1]
    assert first["next_cursor"] and str(year) not in first["next_cursor"]  # opaque
    _published_year(result, year + 1)  # a newer year published meanwhile
    second = client.get(url, query_string={"limit": 2, "cursor": first["next_cursor"]}).get_json()
    assert [r["year"] for r in second["items"]] == [year - 2] and second["next_cursor"] is None
    whole = client.get(url).get_json()
    assert [r["year"] for r in whole["items"]] == [year + 1, year, year - 1, year - 2]
    assert [li["title"] for li in whole["items"][0]["lines"]] == ["候选项目1", "候选项目2", "候选项目3"]
    assert whole["next_cursor"] is None


def test_a_cursor_of_another_list_or_made_up_is_a_field_error(factory, app):
    client, slug = app.test_client(), factory.default_township.slug
    notices_cursor = encode_cursor(5)
    evaluations_cursor = base64.urlsafe_b64encode(b"before:2026-10-15:5").decode().rstrip("=")
    for cursor in (notices_cursor, evaluations_cursor, "bm90IGEgY3Vyc29y", "before:2026"):
        answer = client.get(f"/api/v1/public/townships/{slug}/votes", query_string={"cursor": cursor})
        assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
        assert "翻页游标" in answer.get_data(as_text=True)
