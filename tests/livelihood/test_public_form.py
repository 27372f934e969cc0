"""The residents' proposal form and the public pages: only what the presidium took up is public,
never an anonymous resident's name nor anyone's contact; the proposer follows their own by its link."""

from __future__ import annotations

from sqlalchemy import select

from supervise.extensions import db
from supervise.livelihood import operations as ops
from supervise.livelihood.models import Proposal, ProposalState, ProposerKind
from tests.helpers import count, text_of

FORM = {
    "title": "冷水沟村安装路灯",
    "problem": "村道夜间没有照明，老人出行不安全。",
    "place": "冷水沟村二组",
    "cost_wan": "12.5",
    "cost_approximate": "y",
    "proposer_name": "张秀英",
    "proposer_contact": "13891234567",
}


def _new(collecting) -> str:
    return f"/public/{collecting.slug}/proposals/new"


def test_a_resident_proposes_and_follows_it_by_the_link(collecting, client):
    assert client.get(_new(collecting)).status_code == 200
    response = client.post(_new(collecting), data=FORM)
    assert response.status_code == 302
    proposal = db.session.execute(select(Proposal)).scalar_one()
    assert response.headers["Location"].endswith(f"/proposals/track/{proposal.token}?new=1")
    assert (proposal.proposer_kind, proposal.state, proposal.proposer_contact) == (
        ProposerKind.resident,
        ProposalState.submitted,
        "13891234567",
    )
    assert str(proposal.cost_wan) == "12.50" and proposal.cost_approximate
    page = text_of(client.get(response.headers["Location"]))
    assert proposal.reference in page and "已收到" in page and "待审" in page
    assert len(proposal.token) >= 32
    # Not yet public: no public page, not on the list.
    assert client.get(f"/public/{collecting.slug}/proposals/{proposal.id}").status_code == 404
    assert "冷水沟村安装路灯" not in text_of(client.get(f"/public/{collecting.slug}/proposals/"))


def test_html_is_stripped(collecting, client):
    data = FORM | {
        "title": "<b>路灯</b><script>alert(1)</script>",
        "problem": '<img src=x onerror="y">夜里太黑',
    }
    assert client.post(_new(collecting), data=data).status_code == 302
    proposal = db.session.execute(select(Proposal)).scalar_one()
    assert (proposal.title, proposal.problem) == ("路灯", "夜里太黑")


def test_private_numbers_in_the_public_text_are_masked(collecting, client):
    data = FORM | {"problem": "路灯坏了，联系我 13891234567"}
    assert client.post(_new(collecting), data=data).status_code == 302
    proposal = db.session.execute(select(Proposal)).scalar_one()
    assert proposal.problem == "路灯坏了，联系我 138****4567"
    assert proposal.proposer_contact == "13891234567"  # the presidium's to call


def test_bad_input_keeps_the_typing(collecting, client):
    response = client.post(_new(collecting), data=FORM | {"title": "", "cost_wan": "很多"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert (
        "请填写项目名称" in html and "村道夜间没有照明，老人出行不安全。" in html and "冷水沟村二组" in html
    )
    nameless = client.post(_new(collecting), data=FORM | {"proposer_name": ""})
    assert nameless.status_code == 400 and "选择不公开姓名" in text_of(nameless)
    assert count(Proposal) == 0


def test_a_closed_period_takes_nothing(collecting, client):
    ops.close_period(collecting.chair, collecting.period)
    db.session.commit()
    page = client.get(_new(collecting))
    assert (
        page.status_code == 200
        and "征集已结束" in text_of(page)
        and "征集期间可以在这里提交建议" in text_of(page)  # not decided: the next collection may take it
        and 'name="title"' not in page.get_data(as_text=True)
    )
    assert client.post(_new(collecting), data=FORM).status_code == 409
    assert count(Proposal) == 0
    nowhere = client.get(f"/public/{collecting.factory.township('石泉镇').slug}/proposals/new")
    assert nowhere.status_code == 200 and "没有在征集" in text_of(nowhere)
    assert client.get("/public/no-such-town/proposals/new").status_code == 404


def test_the_form_is_rate_limited(collecting, client, app):
    app.config["PROPOSALS_PER_ADDRESS"] = "2/hour"
    for n in range(2):
        assert client.post(_new(collecting), data=FORM | {"title": f"建议{n}"}).status_code == 302
    third = client.post(_new(collecting), data=FORM | {"title": "第三条建议"})
    assert third.status_code == 429
    assert "次数过多" in text_of(third) and "第三条建议" in third.get_data(as_text=True)
    assert count(Proposal) == 2


def test_the_form_needs_its_csrf_token(collecting, app):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = app.test_client().post(_new(collecting), data=FORM)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400 and count(Proposal) == 0


def test_an_anonymous_resident_is_never_named_publicly(collecting, client, login_as):
    hidden = collecting.propose(
        title="集镇污水管网改造", proposer_name="赵隐名", proposer_contact="13900001111", anonymous=True
    )
    named = collecting.propose(
        title="高桥村文化广场", proposer_name="钱公开", proposer_contact="0915-6821234"
    )
    for proposal in (hidden, named):
        collecting.decide(proposal, "accept")
    listing = text_of(client.get(f"/public/{collecting.slug}/proposals/"))
    assert "集镇污水管网改造" in listing and "群众（匿名）" in listing and "钱公开" in listing
    for url in (f"/public/{collecting.slug}/proposals/", f"/public/{collecting.slug}/proposals/{hidden.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "赵隐名" not in page and "13900001111" not in page and "6821234" not in page
    own = client.get(f"/public/{collecting.slug}/proposals/track/{hidden.token}").get_data(as_text=True)
    assert "赵隐名" not in own and "13900001111" not in own
    # The presidium always sees who proposed it and how to reach them.
    login_as(collecting.chair)
    staff = text_of(client.get(f"/livelihood/proposals/{hidden.id}"))
    assert "赵隐名" in staff and "13900001111" in staff


def test_a_rejected_proposal_is_its_proposers_alone_with_the_reason(collecting, client):
    proposal = collecting.propose()
    collecting.decide(proposal, "reject", reason="该路段已列入县交通局明年计划。")
    assert client.get(f"/public/{collecting.slug}/proposals/{proposal.id}").status_code == 404
    assert "沙坪村通组道路硬化" not in text_of(client.get(f"/public/{collecting.slug}/proposals/"))
    own = client.get(f"/public/{collecting.slug}/proposals/track/{proposal.token}")
    assert (
        own.status_code == 200
        and "该路段已列入县交通局明年计划。" in text_of(own)
        and "未采纳" in text_of(own)
    )
    assert own.headers["Cache-Control"] == "no-store"
    assert client.get(f"/public/{collecting.slug}/proposals/track/{'A' * 32}").status_code == 404


def test_the_public_list_says_what_became_of_each(collecting, client):
    kept = collecting.decide(collecting.propose(title="江口社区健身广场"), "accept")
    dup = collecting.decide(
        collecting.propose(title="社区建个健身场地", proposer_name="孙二"), "merge", kept=kept
    )
    sent = collecting.decide(collecting.propose(title="高桥村饮水工程"), "forward")
    listing = text_of(client.get(f"/public/{collecting.slug}/proposals/"))
    assert "已采纳，待研究" in listing and "已交政府测算" in listing
    assert f"并入 {kept.reference} 江口社区健身广场" in listing
    page = text_of(client.get(f"/public/{collecting.slug}/proposals/{kept.id}"))
    assert "孙二" in page and dup.reference in page
    assert sent.state is ProposalState.forwarded


def test_other_townships_proposals_are_not_found_under_this_slug(collecting, factory, client):
    from .conftest import start_collecting

    other = start_collecting(factory, factory.township("石泉镇"))
    theirs = other.decide(other.propose(title="石泉镇的项目"), "accept")
    assert client.get(f"/public/{collecting.slug}/proposals/{theirs.id}").status_code == 404
    assert client.get(f"/public/{collecting.slug}/proposals/track/{theirs.token}").status_code == 404
    assert "石泉镇的项目" not in text_of(client.get(f"/public/{collecting.slug}/proposals/"))


def test_the_public_pages_switch_to_english(collecting, client):
    collecting.decide(collecting.propose(title="高桥村饮水工程", anonymous=True), "accept")
    switched = client.get(f"/public/{collecting.slug}/proposals/?lang=en")
    assert switched.status_code == 302 and switched.headers["Location"].endswith("/proposals/")
    page = text_of(client.get(f"/public/{collecting.slug}/proposals/"))
    assert "Adopted for consideration" in page and "Resident (anonymous)" in page
    assert "Submit the proposal" in text_of(client.get(f"/public/{collecting.slug}/proposals/new"))


def test_a_retired_townships_proposal_pages_are_not_found(collecting, client):
    proposal = collecting.decide(collecting.propose(), "accept")
    collecting.township.is_active = False
    db.session.commit()
    paths = ("proposals/new", "proposals/", f"proposals/{proposal.id}", f"proposals/track/{proposal.token}")
    for path in paths:
        assert client.get(f"/public/{collecting.slug}/{path}").status_code == 404, path
