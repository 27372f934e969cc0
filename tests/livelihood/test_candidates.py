"""Candidates (初定 / 审议): who drafts and fixes candidates, forms that keep the
typing, proposals that show they became candidates, other townships' plans not found."""

from __future__ import annotations

from datetime import timedelta

import pytest

from supervise.core.clock import today
from supervise.core.history import HistoryIsAppendOnly
from supervise.extensions import db
from supervise.livelihood import plan_operations as plan_ops
from supervise.livelihood import plan_workflow
from supervise.livelihood.models import ProposalEvent
from supervise.livelihood.plan_models import Candidate, CandidateRemark, PlanState, VotePlan
from tests.helpers import count, refused, text_of

from .conftest import start_collecting
from .planning import Planning, form_of, start_planning


@pytest.fixture
def planning(factory) -> Planning:
    return start_planning(factory)


# ---- who drafts candidates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "role,status", [("government", 302), ("presidium", 302), ("deputy", 403), ("county", 403), ("admin", 403)]
)
def test_who_may_create_a_candidate(planning, client, login_as, role, status):
    login_as(role)
    response = client.post(f"/livelihood/plans/{planning.plan.id}/candidates/new", data=form_of(planning))
    assert response.status_code == status
    assert count(Candidate) == (1 if status == 302 else 0)


@pytest.mark.parametrize("role", ["deputy", "government", "presidium", "county"])
def test_everyone_of_the_township_reads_the_plan(planning, client, login_as, role):
    planning.candidates(1)
    login_as(role)
    page = client.get(f"/livelihood/plans/{planning.plan.id}")
    assert page.status_code == 200 and "候选项目1" in text_of(page)


def test_a_clerk_edits_withdraws_and_restores(planning, client, login_as):
    (candidate,) = planning.candidates(1)
    login_as(planning.clerk)
    form = client.get(f"/livelihood/candidates/{candidate.id}/edit")
    assert form.status_code == 200 and "候选项目1" in form.get_data(as_text=True)
    saved = client.post(f"/livelihood/candidates/{candidate.id}/edit", data=form_of(planning, title="新名称"))
    assert saved.status_code == 302
    assert db.session.get(Candidate, candidate.id).title == "新名称"
    assert client.post(f"/livelihood/candidates/{candidate.id}/withdraw").status_code == 302
    assert db.session.get(VotePlan, planning.plan.id).ballot_candidates == []
    assert client.post(f"/livelihood/candidates/{candidate.id}/restore").status_code == 302
    assert len(db.session.get(VotePlan, planning.plan.id).ballot_candidates) == 1


def test_another_townships_plan_and_candidates_are_not_found(planning, factory, client, login_as):
    (candidate,) = planning.candidates(1)
    other = factory.township("城关镇")
    for role in ("government", "presidium", "deputy"):
        client.post("/logout")
        login_as(role, township=other)
        assert client.get(f"/livelihood/plans/{planning.plan.id}").status_code == 404
        assert client.get(f"/livelihood/plans/{planning.plan.id}/sheet.pdf").status_code == 404
        assert client.get(f"/livelihood/plans/{planning.plan.id}/remarks").status_code == 404
    client.post("/logout")
    login_as("government", township=other)
    assert client.get(f"/livelihood/candidates/{candidate.id}/edit").status_code == 404
    assert client.post(f"/livelihood/candidates/{candidate.id}/withdraw").status_code == 404
    assert (
        client.post(
            f"/livelihood/plans/{planning.plan.id}/candidates/new", data=form_of(planning)
        ).status_code
        == 404
    )


def test_reordering_moves_one_place(planning, client, login_as):
    first, second, third = planning.candidates(3)
    login_as(planning.chair)
    assert client.post(f"/livelihood/candidates/{third.id}/up").status_code == 302
    plan = db.session.get(VotePlan, planning.plan.id)
    assert [c.title for c in plan.ballot_candidates] == ["候选项目1", "候选项目3", "候选项目2"]
    client.post(f"/livelihood/candidates/{first.id}/up")  # the first stays first
    client.post(f"/livelihood/candidates/{first.id}/down")
    db.session.expire_all()
    assert [c.title for c in plan.ballot_candidates] == ["候选项目3", "候选项目1", "候选项目2"]


# ---- forms keep the typing ----------------------------------------------------------------------


def test_the_form_keeps_the_typing_on_bad_input(planning, client, login_as):
    login_as(planning.clerk)
    response = client.post(
        f"/livelihood/plans/{planning.plan.id}/candidates/new",
        data=form_of(planning, amount_wan="abc", deadline="2027-13-01", title="沙坪村产业路延伸"),
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'value="abc"' in html and 'value="2027-13-01"' in html and "沙坪村产业路延伸" in html
    assert "日期格式不正确" in text_of(response)
    assert count(Candidate) == 0


def test_a_deadline_before_the_plans_year_is_refused_and_the_form_kept(planning, client, login_as):
    login_as(planning.clerk)
    year = planning.plan.year
    response = client.post(
        f"/livelihood/plans/{planning.plan.id}/candidates/new",
        data=form_of(planning, deadline="2025-01-01", title="沙坪村产业路延伸"),
    )
    assert response.status_code in (400, 409, 422)
    page = text_of(response)
    assert f"完成时限 2025-01-01 早于项目实施年度（{year}年）的开始" in page
    html = response.get_data(as_text=True)
    assert 'value="2025-01-01"' in html and "沙坪村产业路延伸" in html
    assert count(Candidate) == 0


def test_a_deadline_already_past_is_refused(planning):
    yesterday = today() - timedelta(days=1)
    planning.plan.year = yesterday.year  # a plan for the year, drafted late in it
    db.session.commit()
    refused(
        lambda: plan_ops.create_candidate(planning.clerk, planning.plan, planning.text(deadline=yesterday)),
        f"完成时限 {yesterday.isoformat()} 已经过去",
    )


def test_only_the_collections_taken_up_proposals_are_offered(planning, client, login_as):
    kept, absorbed_into, merged, rejected = planning.proposals
    offered = plan_ops.offered_proposals(planning.plan)
    assert [p.id for p in offered] == [kept.id, absorbed_into.id]
    login_as(planning.clerk)
    response = client.post(
        f"/livelihood/plans/{planning.plan.id}/candidates/new",
        data=form_of(planning, proposal_ids=[str(rejected.id)]),
    )
    assert response.status_code == 409 and "只能选择本次征集中已采纳" in text_of(response)
    assert "高桥村便民桥加固" in response.get_data(as_text=True)
    # A merged proposal is taken as the one it was merged into.
    candidate = plan_ops.create_candidate(
        planning.clerk, planning.plan, planning.text(proposal_ids=[merged.id])
    )
    assert [p.id for p in candidate.proposals] == [absorbed_into.id]


def test_a_lead_office_of_another_township_is_refused(planning, factory):
    elsewhere = factory.office(factory.township())
    refused(
        lambda: plan_ops.create_candidate(
            planning.clerk, planning.plan, planning.text(lead_office_id=elsewhere.id)
        ),
        "本镇的站所",
    )


# ---- fixing the list ----------------------------------------------------------------------------


def fire(client, plan, action):
    return client.post(f"/livelihood/plans/{plan.id}/actions/{action}")


def test_a_surplus_rule_of_0_percent_is_accepted_and_an_empty_one_refused(planning, client, login_as):
    login_as(planning.chair)
    plan = planning.plan
    url = f"/livelihood/plans/{plan.id}/places"
    assert client.post(url, data={"places": "2", "surplus_percent": "0"}).status_code == 302
    db.session.refresh(plan)
    assert plan.surplus_percent == 0
    empty = client.post(url, data={"places": "2", "surplus_percent": ""})
    assert empty.status_code == 400 and "请填写差额比例。" in text_of(empty)


def test_fixing_is_refused_with_reasons(planning, client, login_as):
    login_as(planning.chair)
    plan = planning.plan
    plan.places = 0
    db.session.commit()
    assert "请先确定应选项目数" in text_of(fire(client, plan, "fix"))
    response = client.post(
        f"/livelihood/plans/{plan.id}/places", data={"places": "0", "surplus_percent": "20"}
    )
    assert response.status_code == 400 and 'value="0"' in response.get_data(as_text=True)
    assert (
        client.post(
            f"/livelihood/plans/{plan.id}/places", data={"places": "2", "surplus_percent": "20"}
        ).status_code
        == 302
    )
    planning.candidates(2)
    refusal = fire(client, plan, "fix")
    assert (
        refusal.status_code == 409
        and "不符合差额要求" in text_of(refusal)
        and "至少应有 3 个" in text_of(refusal)
    )
    plan_ops.create_candidate(
        planning.clerk, plan, planning.text("缺时限的项目", deadline=None, amount_wan=None)
    )
    db.session.commit()
    refusal = fire(client, plan, "fix")
    assert "缺时限的项目" in text_of(refusal) and "投资金额、完成时限" in text_of(refusal)
    assert db.session.get(VotePlan, plan.id).state is PlanState.DRAFTING


def test_fixing_then_reopening(planning, client, login_as):
    planning.candidates(3)
    clerk_client = client.application.test_client()
    clerk_client.post(
        "/login", data={"username": planning.clerk.username, "password": "correct-horse-battery"}
    )
    login_as(planning.chair)
    page = text_of(client.get(f"/livelihood/plans/{planning.plan.id}"))
    assert "候选项目 3 个，应选 2 个，差额 1 个（50%，规则要求至少 20%）" in page
    assert fire(client, planning.plan, "fix").status_code == 302
    plan = db.session.get(VotePlan, planning.plan.id)
    assert plan.state is PlanState.FIXED and plan.fixed_by_id == planning.chair.id
    refusal = clerk_client.post(f"/livelihood/plans/{plan.id}/candidates/new", data=form_of(planning))
    assert refusal.status_code == 409 and "候选项目已确定" in text_of(refusal)
    assert clerk_client.post(f"/livelihood/candidates/{plan.candidates[0].id}/withdraw").status_code == 409
    assert fire(clerk_client, plan, "reopen").status_code == 403
    # The vote's own transition has no button.
    assert fire(client, plan, "vote").status_code == 404
    plan_workflow.VOTE_BEGUN.append(lambda _plan: True)
    try:
        assert "票决已经开始" in text_of(fire(client, plan, "reopen"))
    finally:
        plan_workflow.VOTE_BEGUN.pop()
    assert fire(client, plan, "reopen").status_code == 302
    plan = db.session.get(VotePlan, plan.id)
    assert plan.state is PlanState.DRAFTING and plan.fixed_at is None


def test_the_vote_marks_the_plan_voted(planning):
    planning.candidates(3)
    plan_ops.fire(planning.chair, planning.plan, "fix")
    plan_ops.fire(planning.chair, planning.plan, "vote")
    assert planning.plan.state is PlanState.VOTED
    refused(lambda: plan_ops.fire(planning.chair, planning.plan, "reopen"), "已票决")


# ---- remarks ------------------------------------------------------------------------------------


def test_deputies_remark_and_the_presidium_records_for_them(planning, factory, client, login_as):
    (candidate,) = planning.candidates(1)
    deputy = login_as("deputy", township=planning.collecting.township)
    response = client.post(
        f"/livelihood/plans/{planning.plan.id}/remarks/new",
        data={"candidate_id": str(candidate.id), "text": "建议<b>先</b>落实资金。"},
    )
    assert response.status_code == 302
    client.post("/logout")
    spoken = factory.deputy(planning.collecting.township, name="郑秀兰")
    login_as(planning.chair)
    empty = client.post(
        f"/livelihood/plans/{planning.plan.id}/remarks/new", data={"text": "整体意见", "deputy_id": ""}
    )
    assert (
        empty.status_code == 409 and "请选择提出意见的代表" in text_of(empty) and "整体意见" in text_of(empty)
    )
    assert (
        client.post(
            f"/livelihood/plans/{planning.plan.id}/remarks/new",
            data={"text": "整体赞成。", "deputy_id": str(spoken.id)},
        ).status_code
        == 302
    )
    remarks = db.session.query(CandidateRemark).order_by(CandidateRemark.id).all()
    assert [(r.deputy_id, r.candidate_id, r.text) for r in remarks] == [
        (deputy.deputy_id, candidate.id, "建议先落实资金。"),
        (spoken.id, None, "整体赞成。"),
    ]
    page = text_of(client.get(f"/livelihood/plans/{planning.plan.id}"))
    assert "建议先落实资金。" in page and "郑秀兰" in page and "代为记录" in page
    printed = text_of(client.get(f"/livelihood/plans/{planning.plan.id}/remarks"))
    assert "共 2 条" in printed and "整体赞成。" in printed
    remarks[0].text = "改写"
    with pytest.raises(HistoryIsAppendOnly):
        db.session.flush()
    db.session.rollback()


def test_remarks_are_closed_once_voted_and_deputies_speak_for_themselves(planning, factory):
    deputy_user = factory.user("deputy", township=planning.collecting.township)
    other = factory.deputy(planning.collecting.township)
    db.session.commit()
    refused(lambda: plan_ops.add_remark(deputy_user, planning.plan, "意见", deputy=other), "自己的")
    refused(lambda: plan_ops.add_remark(planning.clerk, planning.plan, "意见"), "代表和主席团")
    planning.candidates(3)
    plan_ops.fire(planning.chair, planning.plan, "fix")
    plan_ops.add_remark(deputy_user, planning.plan, "确定后仍可审议。")
    plan_ops.fire(planning.chair, planning.plan, "vote")
    refused(lambda: plan_ops.add_remark(deputy_user, planning.plan, "意见"), "票决已经结束")


# ---- the sheet and the proposals ----------------------------------------------------------------


def test_the_candidate_sheet_pdf(planning, client, login_as, pdf_tools, tmp_path):
    from tests.helpers import pdf_fonts, pdf_info, pdf_text

    planning.candidates(2)
    plan_ops.create_candidate(
        planning.clerk,
        planning.plan,
        planning.text("高桥村饮水安全提升工程", proposal_ids=[planning.proposals[0].id]),
    )
    db.session.commit()
    login_as("deputy", township=planning.collecting.township)
    response = client.get(f"/livelihood/plans/{planning.plan.id}/sheet.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data, tmp_path)
    township = planning.collecting.township.name
    assert f"{township}{planning.plan.year}年民生实事候选项目表" in text
    assert (
        "高桥村饮水安全提升工程" in text and "差额 1 个" in text and planning.proposals[0].reference in text
    )
    assert all(font[-5] == "yes" for font in pdf_fonts(response.data, tmp_path))  # embedded
    assert pdf_info(response.data, tmp_path)["Page size"].startswith("841.89 x 595.276")  # A4 landscape


def test_proposals_show_they_became_candidates(planning, client, login_as):
    kept, absorbed_into, merged, _rejected = planning.proposals
    candidate = plan_ops.create_candidate(
        planning.clerk,
        planning.plan,
        planning.text("集镇北街污水管网延伸", proposal_ids=[kept.id, absorbed_into.id]),
    )
    db.session.commit()
    login_as(planning.chair)
    listed = "已列为候选项目：集镇北街污水管网延伸"
    assert listed in text_of(client.get(f"/livelihood/proposals/{kept.id}"))
    assert listed in text_of(client.get(f"/livelihood/periods/{planning.collecting.period.id}"))
    slug = planning.collecting.slug
    # The public learns of it once the list is fixed.
    assert listed not in text_of(client.get(f"/public/{slug}/proposals/{kept.id}"))
    plan_ops.create_candidate(planning.clerk, planning.plan, planning.text("第二个"))
    plan_ops.create_candidate(planning.clerk, planning.plan, planning.text("第三个"))
    plan_ops.fire(planning.chair, planning.plan, "fix")
    db.session.commit()
    assert listed in text_of(client.get(f"/public/{slug}/proposals/{absorbed_into.id}"))
    assert listed in text_of(client.get(f"/public/{slug}/proposals/{merged.id}"))  # through the kept one
    assert listed in text_of(client.get(f"/public/{slug}/proposals/"))
    events = db.session.query(ProposalEvent).filter_by(proposal_id=kept.id, action="candidate").all()
    assert [e.details["candidate"] for e in events] == ["集镇北街污水管网延伸"]
    plan_ops.fire(planning.chair, planning.plan, "reopen")
    plan_ops.withdraw_candidate(planning.clerk, candidate)
    plan_ops.create_candidate(planning.clerk, planning.plan, planning.text("第四个"))
    plan_ops.fire(planning.chair, planning.plan, "fix")
    db.session.commit()
    assert listed not in text_of(client.get(f"/public/{slug}/proposals/{kept.id}"))
    assert "不再列为候选项目" in text_of(client.get(f"/livelihood/proposals/{kept.id}"))


def test_creating_a_plan_and_setting_places(factory, client, login_as):
    collecting = start_collecting(factory)
    login_as(collecting.chair)
    form = client.get("/livelihood/plans/")
    assert form.status_code == 200 and "新建票决方案" in text_of(form)
    data = {
        "period_id": str(collecting.period.id),
        "year": str(collecting.period.year),
        "places": "10",
        "surplus_percent": "20",
    }
    created = client.post("/livelihood/plans/new", data=data)
    assert created.status_code == 302
    again = client.post("/livelihood/plans/new", data=data)
    assert again.status_code == 409 and "票决方案已经存在" in text_of(again)
    plan = db.session.query(VotePlan).one()
    assert (plan.places, plan.surplus_percent, plan.period_id) == (10, 20, collecting.period.id)
    assert "至少应有 12 个候选项目" in text_of(client.get(f"/livelihood/plans/{plan.id}"))


def test_the_plan_pages_queries_do_not_grow_with_candidates(planning, client, login_as, count_queries):
    from tests.helpers import statements_of_a_second_visit

    planning.candidates(2, proposal_ids=[planning.proposals[0].id])
    login_as(planning.chair)
    pages = [f"/livelihood/plans/{planning.plan.id}", "/livelihood/plans/"]
    before = [statements_of_a_second_visit(client, count_queries, url) for url in pages]
    planning.candidates(6, proposal_ids=[planning.proposals[1].id])
    plan_ops.add_remark(
        planning.chair,
        planning.plan,
        "意见",
        deputy=planning.collecting.factory.deputy(planning.collecting.township),
    )
    db.session.commit()
    assert [statements_of_a_second_visit(client, count_queries, url) for url in pages] == before
