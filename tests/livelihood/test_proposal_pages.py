"""Small things the proposal and candidate pages say: why the merge list is empty, a closed
collection's form, a rejection reason as plain text, every missing field of the public form at
once, and each candidate a card on a phone."""

from __future__ import annotations

import re

from supervise.extensions import db
from supervise.livelihood import operations as ops
from tests.helpers import html_of, text_of
from tests.livelihood.planning import start_planning


def test_an_empty_merge_list_says_why(collecting, client, login_as):
    proposal = collecting.propose()
    login_as(collecting.chair)
    page = text_of(client.get(f"/livelihood/proposals/{proposal.id}"))
    assert "只能并入已采纳（或已交政府测算）的建议" in page
    collecting.decide(collecting.propose(title="江口社区健身广场"), "accept")
    page = text_of(client.get(f"/livelihood/proposals/{proposal.id}"))
    assert "只能并入已采纳" not in page and "江口社区健身广场" in page


def test_a_closed_collection_shows_no_deputy_form(collecting, client, login_as, factory):
    deputy = factory.user("deputy", township=collecting.township)
    ops.close_period(collecting.chair, collecting.period)
    db.session.commit()
    login_as(deputy)
    response = client.get(f"/livelihood/periods/{collecting.period.id}/proposals/new")
    html = html_of(response)
    assert "这次征集现在不接受建议" in text_of(response)
    assert 'name="title"' not in html and "提交建议" not in text_of(response)


def test_a_rejection_reason_is_plain_text_for_the_proposer(collecting, client):
    proposal = collecting.propose()
    collecting.decide(proposal, "reject", reason="<b>不属于</b>镇级事权。")
    assert proposal.rejection_reason == "不属于镇级事权。"
    html = html_of(client.get(f"/public/{collecting.slug}/proposals/track/{proposal.token}"))
    reason = re.search(r'id="rejection-reason">(.*?)</dd>', html, re.S).group(1)
    assert reason == "不属于镇级事权。"


def test_only_tags_is_no_rejection_reason(collecting, client, login_as):
    proposal = collecting.propose()
    login_as(collecting.chair)
    response = client.post(f"/livelihood/proposals/{proposal.id}/actions/reject", data={"reason": "<b></b>"})
    assert response.status_code == 409 and "请填写不予采纳的理由" in text_of(response)
    empty = client.post(f"/livelihood/proposals/{proposal.id}/actions/reject", data={"reason": ""})
    assert empty.status_code == 409 and "请填写不予采纳的理由" in text_of(empty)
    assert text_of(empty).count("请修改下面标红的内容后再提交") == 1  # once, above the form


def test_the_empty_public_form_flags_every_missing_field_at_once(collecting, client):
    response = client.post(f"/public/{collecting.slug}/proposals/new", data={"title": "", "problem": ""})
    page = text_of(response)
    assert response.status_code == 400
    assert "请填写项目名称" in page and "请写明这个项目要解决什么问题" in page
    assert "请填写您的姓名，或选择不公开姓名" in page
    anonymous = client.post(
        f"/public/{collecting.slug}/proposals/new", data={"title": "", "problem": "", "anonymous": "y"}
    )
    assert "请填写您的姓名" not in text_of(anonymous)


def test_the_same_public_proposal_sent_again_after_back_is_one_proposal(collecting, client):
    from supervise.livelihood.models import Proposal
    from tests.helpers import count

    form = {
        "title": "沙坪村三组便民桥",
        "problem": "雨季过河难。",
        "place": "沙坪村三组",
        "proposer_name": "李四",
    }
    first = client.post(f"/public/{collecting.slug}/proposals/new", data=form)
    again = client.post(f"/public/{collecting.slug}/proposals/new", data=form)  # Back, then submit
    assert first.status_code == again.status_code == 302
    assert first.headers["Location"] == again.headers["Location"]
    assert count(Proposal, title="沙坪村三组便民桥") == 1
    other = client.post(f"/public/{collecting.slug}/proposals/new", data=form | {"title": "沙坪村四组便民桥"})
    assert other.status_code == 302 and count(Proposal, title="沙坪村四组便民桥") == 1


def test_on_a_phone_each_candidate_is_a_card_with_its_buttons(factory, client, login_as):
    planning = start_planning(factory)
    planning.candidates(1)
    login_as(factory.user("deputy", township=planning.collecting.township))
    html = html_of(client.get(f"/livelihood/plans/{planning.plan.id}"))
    table = re.search(r'<table class="([^"]*)"[^>]*>.*?</table>', html, re.S)
    assert "table-stack-sm" in table.group(1).split()  # rows stack as cards under 576 px (app.css)
    actions = re.search(r'<td class="text-nowrap actions">(.*?)</td>', table.group(0), re.S).group(1)
    assert "提意见" in actions
    assert 'data-label="完成时限"' in table.group(0)
