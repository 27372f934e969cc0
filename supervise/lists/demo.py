"""Demo lists for 江口镇: items in every state, built through the same operations the pages use.

Years and days come from the demo's calendar (supervise/core/demo_calendar.py): "the year" is the
story's year, its last list the next year's draft."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

from sqlalchemy import update

from ..core.demo_calendar import DemoCalendar
from ..extensions import db
from ..org.models import Deputy, Office
from . import operations as ops
from .demo_word import seed_word_livelihood_list
from .models import AnswerClass, Item, ItemEvent, ListKind, Rating
from .queries import township_list


def _item(calendar: DemoCalendar, chair, supervision_list, title, office: Office, **fields):
    fields.setdefault("lead_office_id", office.id)
    fields.setdefault("leader_name", office.leader_name)
    fields.setdefault("deadline", calendar.day(12, 31))
    deadline = fields["deadline"]
    if deadline is not None and deadline.year > supervision_list.year:
        # Loaded in the first half of a year, the story's autumn falls in the next calendar year:
        # such an item spans years (跨年度), or its list could not be confirmed.
        fields.setdefault("end_year", deadline.year)
    joint_leads = fields.pop("joint_leads", ())
    return ops.create_item(chair, supervision_list, {"title": title, **fields}, joint_leads=joint_leads)


def _entered_when_handed_over(suggestion: Item) -> None:
    """A suggestion is entered on the day it was handed over to its office (交办), not on the day the
    demo is loaded. A bulk update: the demo rewrites its own fiction, the ORM's append-only guard
    stays for everything else."""
    assert suggestion.handed_over_on is not None
    db.session.flush()
    db.session.execute(
        update(ItemEvent)
        .where(ItemEvent.item_id == suggestion.id, ItemEvent.action.in_(["create", "confirm"]))
        # 02:00 UTC is 10:00 in China: the event falls on that date there too.
        .values(at=datetime.combine(suggestion.handed_over_on, time(2)))
    )


def _advance(item, state: str, chair, gov, supervisors: list[Deputy], deputy_users: dict):
    """Walk an item from listed to ``state`` the way the township would."""
    path = ["supervising", "completed", "verified", "closed"]
    if state == "listed":
        return
    ops.fire(chair, item, "assign", deputies=supervisors)
    if state == "consulting":
        return  # seed_meetings opens the consultation
    for step in path[1 : path.index(state) + 1] if state in path else []:
        if step == "completed":
            ops.fire(
                gov,
                item,
                "report_done",
                report="已按计划完成全部建设内容。",
                evidence="竣工验收报告、现场照片 12 张",
            )
        elif step == "verified":
            for deputy in supervisors:
                ops.fire(deputy_users[deputy.id], item, "confirm_done", comment="现场查看属实。")
            ops.fire(chair, item, "verify")
        elif step == "closed":
            ops.fire(chair, item, "record_result", rating=Rating.satisfied)
            ops.fire(chair, item, "close")


def seed_lists(
    calendar: DemoCalendar,
    township,
    chair,
    gov,
    offices: list[Office],
    deputies: list[Deputy],
    deputy_users: dict,
):
    """Last year's livelihood list (the market-town road, verified), the year's three lists, and
    next year's draft."""
    year, day = calendar.year, calendar.day
    office = {o.name: o for o in offices}
    construction, economy, social = (
        office["规划建设环保办公室"],
        office["经济发展办公室"],
        office["社会事务办公室"],
    )
    farming = office["农业综合服务站"]
    # gov is the construction office's clerk: the items it reports on are led by that office.
    walk = dict(chair=chair, gov=gov, deputy_users=deputy_users)

    last_livelihood = ops.create_list(chair, township.id, year - 1, ListKind.livelihood)
    road = _item(
        calendar,
        chair,
        last_livelihood,
        "集镇道路改造提升项目",
        construction,
        description="对江口集镇主街道路面、排水和路灯进行改造提升。",
        area="江口社区、集镇主街",
        target="路面黑化 2.3 公里，新建排水管网，安装路灯 86 盏",
        deadline=day(9, 30, years=-1),
        planned_funds=Decimal("1200"),
        wide_impact=True,
        public_attention=True,
        source=f"{year - 1} 年镇人代会票决产生（应到 20 人，赞成 19 票）",
    )
    ops.confirm_list(chair, last_livelihood)
    # Verified here; the October evaluation meeting rates it and closes it by its result (evaluation demo).
    _advance(road, "verified", supervisors=[deputies[0], deputies[1]], **walk)

    # Contacts shown beside the offices on item pages and sheets.
    construction.contact_person, construction.contact_phone = "刘静", "0915-6812301"
    economy.contact_person, economy.contact_phone = "孙晓梅", "0915-6812302"

    commitments = ops.create_list(chair, township.id, year, ListKind.commitment)
    commitments.categories = ["基础设施", "产业发展", "人居环境"]
    plan = [
        (
            "沙坪村产业路硬化",
            construction,
            "listed",
            dict(area="沙坪村", planned_funds=Decimal("85"), category="产业发展"),
        ),
        (
            "集镇污水处理站提标改造",
            construction,
            "supervising",
            # A works of two seasons: it spans years (跨年度), due next June.
            # Led jointly with the economy office; its amount is approximate (320余万元).
            dict(
                area="江口社区",
                category="基础设施",
                planned_funds=Decimal("320"),
                planned_funds_approx=True,
                planned_funds_this_year=Decimal("200"),
                funds_source="县级补助、镇自筹",
                joint_leads=[economy],
                high_difficulty=True,
                deadline=day(6, 30, years=1),
                end_year=year + 1,
            ),
        ),
        (
            "高桥村饮水安全巩固提升",
            construction,
            "consulting",
            dict(
                area="高桥村",
                category="基础设施",
                planned_funds=Decimal("46"),
                public_attention=True,
                deadline=day(10, 31),
            ),
        ),
        (
            "冷水沟村河堤修复",
            construction,
            "completed",
            dict(area="冷水沟村", planned_funds=Decimal("60"), category="基础设施"),
        ),
        ("镇村道路安全隐患排查整治", construction, "verified", dict(area="全镇")),
        (
            "集镇农贸市场规范管理",
            economy,
            "listed",
            dict(area="江口集镇", deadline=day(9, 30), category="产业发展"),
        ),
        (
            "农村人居环境整治",
            farming,
            "supervising",
            dict(area="各村", wide_impact=True, category="人居环境"),
        ),
    ]
    items = {
        title: _item(calendar, chair, commitments, title, office_, target="按计划完成并通过验收", **extra)
        for title, office_, _state, extra in plan
    }
    ops.confirm_list(chair, commitments)
    supervisor_pairs = [
        [deputies[2]],
        [deputies[3], deputies[4]],
        [deputies[5]],
        [deputies[0], deputies[6]],
        [deputies[7]],
        [deputies[8]],
        [deputies[9], deputies[10]],
    ]
    for (title, _office, state, _extra), pair in zip(plan, supervisor_pairs):
        _advance(items[title], state, supervisors=pair, **walk)
    withdrawn = _item(
        calendar, chair, commitments, "老街风貌改造（试点）", construction, target="完成方案设计"
    )
    ops.fire(chair, withdrawn, "withdraw", reason="与县城乡建设规划调整冲突，经主席团研究撤销。")

    suggestions = ops.create_list(chair, township.id, year, ListKind.suggestion)
    bus = _item(
        calendar,
        chair,
        suggestions,
        "关于增开江口至县城班车的建议",
        economy,
        description="群众反映早晚班车不足，建议增开班次。",
        target="协调客运公司增开班次",
        handed_over_on=day(3, 10),
        source="第 3 号建议",
    )
    bus.proposers = [deputies[11], deputies[12]]
    lights = _item(
        calendar,
        chair,
        suggestions,
        "关于高桥村安装太阳能路灯的建议",
        construction,
        target="主要村道安装太阳能路灯",
        handed_over_on=day(9, 1),
        source="第 7 号建议",
    )
    lights.proposers = [deputies[3]]
    elderly = _item(
        calendar,
        chair,
        suggestions,
        "关于建设村级互助幸福院的建议",
        social,
        target="完成选址并启动建设",
        handed_over_on=day(4, 20),
        extension_approved=True,
        extension_note="涉及用地审批，经主席团同意延期至 6 个月答复",
        source="第 5 号建议",
    )
    elderly.proposers = [deputies[13]]
    # The demo account `deputy` (deputies[0]) proposed this one: answered, it waits for her opinion.
    toilets = _item(
        calendar,
        chair,
        suggestions,
        "关于在集镇增设公共厕所的建议",
        construction,
        area="江口社区",
        target="集镇新建公共厕所 2 座",
        handed_over_on=day(8, 10),
        source="第 9 号建议",
    )
    toilets.proposers = [deputies[0]]
    ops.confirm_list(chair, suggestions)
    for suggestion in (bus, lights, elderly, toilets):
        _entered_when_handed_over(suggestion)
    ops.fire(chair, lights, "assign", deputies=[deputies[3]])
    ops.answer_suggestion(gov, lights, AnswerClass.B, f"已列入 {year + 1} 年村道亮化计划，先行安装 40 盏。")
    ops.fire(chair, toilets, "assign", deputies=[deputies[0]])
    ops.answer_suggestion(
        gov, toilets, AnswerClass.A, "已选定农贸市场东侧和客运站旁两处地块，年内建成公共厕所 2 座。"
    )
    ops.fire(chair, bus, "assign", deputies=[deputies[11]])

    # The year's livelihood projects come from the Word table the government published (demo_word).
    livelihood = seed_word_livelihood_list(chair, township, year)
    clinic = livelihood.items[0]
    ops.fire(chair, clinic, "assign", deputies=[deputies[14], deputies[15]])

    next_year = ops.create_list(chair, township.id, year + 1, ListKind.commitment)
    _item(
        calendar,
        chair,
        next_year,
        "集镇停车场建设",
        construction,
        target="新建停车位 120 个",
        planned_funds=Decimal("260"),
        deadline=day(10, 31, years=1),
    )
    _item(calendar, chair, next_year, "江口中心小学运动场改造", social, lead_office_id=None, deadline=None)
    _not_satisfied(lights, deputy_users[deputies[3].id])


def seed_after_evaluation(
    calendar: DemoCalendar,
    township,
    chair,
    gov,
    offices: list[Office],
    deputies: list[Deputy],
    deputy_users: dict,
):
    """What happened since the October meeting: one item newly verified (the upcoming meeting rates
    it) and one unfinished item carried over into next year's list (no meeting of this year rates it)."""
    office = {o.name: o for o in offices}
    commitments = township_list(township.id, calendar.year, ListKind.commitment)
    centre = _item(
        calendar,
        chair,
        commitments,
        "便民服务中心适老化改造",
        office["规划建设环保办公室"],
        area="江口社区",
        target="加装无障碍坡道和扶手，设老年人办事绿色通道",
        planned_funds=Decimal("38"),
        deadline=calendar.day(11, 30),
    )
    ops.confirm_list(chair, commitments)
    _advance(centre, "verified", chair, gov, [deputies[16], deputies[17]], deputy_users)
    market = next(item for item in commitments.items if item.title == "集镇农贸市场规范管理")
    reason = f"市场搬迁选址年内未获批，经主席团研究结转 {calendar.year + 1} 年继续办理。"
    ops.fire(chair, market, "carry_over", reason=reason)


def _not_satisfied(suggestion, proposer) -> None:
    """Its proposer was not satisfied with the first answer: it is being handled again (重新办理)."""
    from .answers import give_answer_opinion

    give_answer_opinion(
        proposer,
        suggestion,
        Rating.dissatisfied,
        "答复只说列入明年计划，三组、四组今冬夜间仍无照明，请先在这两个组安装。",
    )
