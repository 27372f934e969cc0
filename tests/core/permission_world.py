"""The world the permission tests (and test_no_external_assets) visit: one township with one record
of each kind, and a user of each role able to see it."""

from __future__ import annotations

from supervise.extensions import db
from supervise.org.models import LiaisonStation, StationLevel

ROLES = ("anonymous", "deputy", "government", "presidium", "county", "admin")


def build_world(factory) -> tuple[dict[str, int], dict]:
    """One township with one record of each kind, and a user of each role able to see it.

    Shared with test_no_external_assets: a new kind of record is added here once.
    """
    township = factory.default_township
    records = {
        "township": township.id,
        "county": township.county_id,
        "deputy": factory.deputy().id,
        "office": factory.office().id,
        "station": factory.station().id,
        "group": factory.group().id,
        "account": factory.user("government", username="target-clerk").id,
    }
    users = {role: factory.user(role) for role in ROLES if role != "anonymous"}
    item = factory.item("listed", kind="suggestion", lead_office_id=users["government"].office_id)
    records.update(item=item.id, list=item.list_id)
    records.update(meeting_records(township, users["presidium"], item))
    records.update(sheet_records(township, users["presidium"], users["government"].office_id, item))
    records.update(inspection_records(township, users, item))
    records.update(progress_records(factory, users))
    records.update(notice_records(township, users["presidium"], item))
    records.update(evaluation=factory.evaluation_meeting(users["presidium"], deputies=1, items=[]).id)
    records.update(livelihood_records(township, users["presidium"]))
    records.update(api_records(users))
    db.session.commit()
    return records, users


def meeting_records(township, chair, item) -> dict[str, int]:
    """An open consultation and an activity day of the township, made directly (no workflow needed)."""
    from datetime import date

    from supervise.meetings.models import ActivityDay, Consultation

    station = LiaisonStation(township_id=township.id, name="权限测试联络站", level=StationLevel.village)
    consultation = Consultation(township_id=township.id, held_on=date(2026, 5, 1), opened_by_id=chair.id)
    db.session.add_all([station, consultation])
    db.session.flush()
    activity_day = ActivityDay(
        township_id=township.id, station_id=station.id, held_on=date(2026, 5, 2), minutes="纪要", items=[item]
    )
    db.session.add(activity_day)
    db.session.flush()
    return {"consultation": consultation.id, "activity_day": activity_day.id}


def sheet_records(township, chair, office_id, item) -> dict[str, int]:
    """An issued follow-up sheet addressed to ``office_id`` and a draft, made directly."""
    from supervise.core.clock import utcnow
    from supervise.sheets.models import FollowUpSheet, SheetLine, SheetState

    issued = FollowUpSheet(
        township_id=township.id,
        title="权限测试督办单",
        state=SheetState.issued,
        year=2026,
        number=1,
        issued_at=utcnow(),
        issued_by_id=chair.id,
        lead_office_id=office_id,
        lines=[SheetLine(position=1, item_id=item.id, findings="进度滞后")],
    )
    draft = FollowUpSheet(township_id=township.id, title="权限测试草稿", lead_office_id=office_id)
    db.session.add_all([issued, draft])
    db.session.flush()
    return {"sheet": issued.id, "draft_sheet": draft.id}


def inspection_records(township, users, item) -> dict[str, int]:
    """A filed inspection with a photo (by the presidium, the deputy taking part) and a deputy's draft."""
    from datetime import date

    from supervise.core.clock import utcnow
    from supervise.inspections.models import Finding, Inspection, InspectionMethod, InspectionState
    from supervise.org.models import Deputy
    from supervise.uploads.storage import attach, store_upload
    from tests.uploads.samples import png_upload

    deputy = users["deputy"]
    filed = Inspection(
        township_id=township.id,
        method=InspectionMethod.tour,
        state=InspectionState.filed,
        held_on=date(2026, 6, 1),
        filed_at=utcnow(),
        place="东河村",
        author_id=users["presidium"].id,
        participants=[db.session.get(Deputy, deputy.deputy_id)],
        findings=[Finding(position=1, text="路面破损", items=[item])],
    )
    draft = Inspection(township_id=township.id, method=InspectionMethod.tour, author_id=deputy.id)
    db.session.add_all([filed, draft])
    db.session.flush()
    photo = store_upload(png_upload("现场.png"), user=users["presidium"], township_id=township.id)
    attach([photo], "finding", filed.findings[0].id)
    return {"inspection": filed.id, "draft_inspection": draft.id, "attachment": photo.id}


def progress_records(factory, users) -> dict[str, int]:
    """A supervising item of the government user's office, supervised by the deputy user, with a report."""
    from supervise.core.clock import today
    from supervise.core.dates import month_of
    from supervise.org.models import Deputy
    from supervise.progress.models import MonthlyReport

    item = factory.item(
        "supervising",
        lead_office_id=users["government"].office_id,
        supervisors=[db.session.get(Deputy, users["deputy"].deputy_id)],
    )
    report = MonthlyReport(
        item_id=item.id, township_id=item.township_id, month=month_of(today()), percent=10, done="开工"
    )
    db.session.add(report)
    db.session.flush()
    return {"progress_item": item.id, "report": report.id}


def notice_records(township, chair, item) -> dict:
    """A published notice with one line and a pending opinion, made directly."""
    from datetime import date

    from supervise.notices.models import NoticeLine, Opinion, PublicNotice

    notice = PublicNotice(
        township_id=township.id, month=date(2026, 5, 1), title="权限测试公示", issuer="主席团"
    )
    db.session.add(notice)
    db.session.flush()
    line = NoticeLine(
        notice_id=notice.id,
        position=1,
        item_id=item.id,
        item_code=item.code,
        title=item.title,
        kind_label="代表建议",
        state_label="已列入清单",
    )
    db.session.add(line)
    db.session.flush()
    opinion = Opinion(township_id=township.id, notice_id=notice.id, line_id=line.id, body="意见")
    db.session.add(opinion)
    db.session.flush()
    return {"slug": township.slug, "notice": notice.id, "opinion": opinion.id}


def livelihood_records(township, chair) -> dict:
    """An open collection of livelihood proposals with one accepted (public) proposal."""
    from supervise.core.clock import today
    from supervise.livelihood import operations as ops
    from supervise.livelihood.workflow import ProposalInput

    period = ops.create_period(chair, township, today().year + 1, today(), None)
    ops.open_period(chair, period)
    proposal = ops.submit_proposal(
        period, ops.ProposalText(title="权限测试建议", problem="问题", proposer_name="李大伯"), None
    )
    ops.decide(chair, proposal, "accept", ProposalInput())
    db.session.flush()
    records = {"period": period.id, "proposal": proposal.id, "proposal_token": proposal.token}
    return records | plan_records(township, chair, period) | vote_records(township, chair, period)


def plan_records(township, chair, period) -> dict:
    """The vote's plan, drafting, with one candidate: one place short of the surplus rule."""
    from supervise.livelihood import plan_operations as plan_ops

    plan = plan_ops.create_plan(chair, township, period.year, period, places=1)
    candidate = plan_ops.create_candidate(chair, plan, plan_ops.CandidateText(title="权限测试候选项目"))
    return {"plan": plan.id, "candidate": candidate.id}


def vote_records(township, chair, period) -> dict:
    """A fixed plan for the year after (2 candidates for 1 place) and its vote, set up, not begun."""
    from datetime import date

    from supervise.livelihood import plan_operations as plan_ops
    from supervise.livelihood import vote_operations as vote_ops
    from supervise.org.models import Office

    office = db.session.execute(db.select(Office).where(Office.township_id == township.id)).scalars().first()
    # No collection: the period collects for period.year, not the year after.
    plan = plan_ops.create_plan(chair, township, period.year + 1, None, places=1)
    for title in ("权限测试票决项目甲", "权限测试票决项目乙"):
        text = plan_ops.CandidateText(
            title=title, amount_wan=10, lead_office_id=office.id, deadline=date(period.year + 1, 9, 30)
        )
        plan_ops.create_candidate(chair, plan, text)
    plan_ops.fire(chair, plan, "fix")
    vote = vote_ops.create_vote(chair, plan, vote_ops.VoteSetup(held_on=date(period.year, 12, 1)))
    return {"voteplan": plan.id, "vote": vote.id, "vote_year": plan.year}


def api_records(users) -> dict[str, int]:
    """A personal access token of the deputy user (the API's own matrix is tests/api/)."""
    from supervise.accounts.operations import create_api_token
    from supervise.accounts.tokens import TokenScope

    token, _secret = create_api_token(users["deputy"], "权限测试令牌", TokenScope.write)
    return {"api_token": token.id}
