"""Demo proposals for next year's livelihood projects of 江口镇, collected now: some from residents
(on the public form, a few anonymous), some from deputies and offices, in every state the presidium
leaves them in. Built through the operations, as the pages would."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from ..core.demo_calendar import DemoCalendar
from ..extensions import db
from ..org.models import Office, Township
from . import operations as ops
from . import plan_operations as plan_ops
from .models import Proposal
from .plan_models import VotePlan
from .workflow import ProposalInput

# title, place, problem, cost (万元, None: not estimated), approximate?
RESIDENTS = [
    (
        "沙坪村三组通组道路硬化",
        "沙坪村三组",
        "2.3公里土路雨天泥泞，学生上学、农产品外运困难。",
        "85",
        True,
        "李大伯",
        False,
    ),
    (
        "冷水沟村安装太阳能路灯",
        "冷水沟村",
        "村道夜间无照明，老人和学生出行不安全。",
        "18",
        True,
        "张秀英",
        True,
    ),
    (
        "集镇农贸市场雨棚改造",
        "江口集镇",
        "市场雨棚破损漏雨，摊贩和群众雨天买卖不便。",
        None,
        False,
        "冯桂香",
        True,
    ),
    ("高桥村饮水水源保护", "高桥村", "水源地周边放牧，夏季水质浑浊。", "30", True, "周德明", False),
    (
        "江口社区健身广场",
        "江口社区",
        "社区没有健身场地，群众只能在马路边活动。",
        "45",
        False,
        "江口社区居民 何平",
        True,
    ),
    (
        "社区建一个健身场地",
        "江口社区",
        "广场舞和老人锻炼没有地方，希望建小型健身场地。",
        None,
        False,
        "王桂兰",
        False,
    ),
    ("冷水沟村路灯", "冷水沟村二组", "二组路段没有路灯，晚上看不见路。", "6", True, "陈二娃", False),
    (
        "集镇污水管网延伸",
        "江口集镇北街",
        "北街污水直排河道，夏天气味大。",
        "120",
        True,
        "北街住户 许强",
        True,
    ),
    ("高桥村便民桥加固", "高桥村河坝", "便民桥桥面开裂，汛期存在安全隐患。", "25", True, "赵永红", False),
    ("镇卫生院增设夜间门诊", "镇卫生院", "夜间看病要到县城，老人孩子不便。", None, False, "刘芳", False),
    ("沙坪村垃圾收集点", "沙坪村", "村里垃圾乱倒，缺少收集点和清运。", "8", True, "沙坪村 杜秀莲", True),
    ("给我家门口修条路", "沙坪村", "我家门口的路不好走。", None, False, "孙某", False),
    ("集镇停车场", "江口集镇", "逢集日车辆乱停，堵塞街道。", "60", True, "马建军", False),
    ("江口中学学生宿舍热水", "江口中学", "宿舍冬天没有热水，学生洗漱困难。", "15", False, "家长 黄丽", False),
    (
        "冷水沟村通组路护栏",
        "冷水沟村",
        "临河路段没有护栏，发生过摩托车侧翻。",
        "12",
        True,
        "冷水沟村 邱大海",
        True,
    ),
    ("集镇公厕改造", "江口集镇", "集镇只有一座旱厕，卫生条件差。", "20", True, "吴大姐", False),
]
DEPUTIES = [
    ("沙坪村产业路延伸", "沙坪村四组", "茶园产业路断头，采茶季运输困难。", "70", True),
    ("江口社区老年食堂", "江口社区", "独居老人吃饭难，希望办社区老年食堂。", "35", True),
    ("高桥村饮水工程提升", "高桥村", "高桥村部分农户季节性缺水。", "40", True),
    ("冷水沟村道路安全护栏", "冷水沟村", "临河临崖路段需要安装护栏。", "15", True),
    ("镇中心小学操场改造", "镇中心小学", "操场是土场，雨天不能上体育课。", "50", False),
    ("集镇河堤亮化", "江口集镇河堤", "河堤步道晚上没有灯，散步的群众多。", "22", True),
    ("农村电商服务站", "江口社区", "农产品网上销售缺少服务点。", "10", True),
    ("沙坪村卫生室改造", "沙坪村", "卫生室房屋老旧，设备不足。", "18", True),
]
OFFICES = [
    ("集镇生活垃圾中转站", "江口集镇", "垃圾清运需运到县城，中转站可减少运输成本。", "90", True),
    ("城乡居民医保服务窗口延伸到村", "各村便民服务站", "群众办理医保要跑镇上，延伸到村更方便。", "5", False),
    ("镇敬老院消防设施改造", "镇敬老院", "消防设施老化，不符合现行标准。", "28", False),
    ("江口集镇排水沟疏浚", "江口集镇", "雨季排水沟堵塞，街道积水。", "16", True),
    ("高桥村河道清障", "高桥村", "河道淤积，汛期漫堤风险高。", "35", True),
    ("镇综合文化站设备更新", "镇综合文化站", "文化站设备陈旧，无法开展活动。", "12", False),
]


def _text(title, place, problem, cost, approx, name="", anonymous=False, n=0) -> ops.ProposalText:
    return ops.ProposalText(
        title=title,
        problem=problem,
        place=place,
        cost_wan=Decimal(cost) if cost else None,
        cost_approximate=approx,
        proposer_name=name,
        proposer_contact=f"1389150{n:04d}" if name or anonymous else "",
        anonymous=anonymous,
    )


def seed_livelihood(calendar: DemoCalendar, township, chair, gov, deputy_users: dict) -> None:
    """Next year's collection with its 30 proposals, then the vote's plan: 12 candidates for 10 places."""
    made = seed_proposals(calendar, township, chair, gov, deputy_users)
    seed_plan(township, chair, gov, made, list(deputy_users.values()))


def seed_proposals(calendar: DemoCalendar, township, chair, gov, deputy_users: dict) -> dict[str, Proposal]:
    """Next year's collection, open now, with 30 proposals: forwarded, accepted, merged, rejected, new."""
    day = calendar.today
    period = ops.create_period(
        chair, township, calendar.year + 1, day - timedelta(days=40), day + timedelta(days=20)
    )
    ops.open_period(chair, period)
    made: dict[str, Proposal] = {}
    for n, (title, place, problem, cost, approx, name, anonymous) in enumerate(RESIDENTS):
        text = _text(title, place, problem, cost, approx, name, anonymous, n + 1)
        made[title] = ops.submit_proposal(period, text)
    deputies = list(deputy_users.values())
    for n, (title, place, problem, cost, approx) in enumerate(DEPUTIES):
        made[title] = ops.submit_proposal(period, _text(title, place, problem, cost, approx), deputies[n * 2])
    for title, place, problem, cost, approx in OFFICES:
        made[title] = ops.submit_proposal(period, _text(title, place, problem, cost, approx), gov)
    # Spread the submissions over the weeks the collection has run.
    for n, proposal in enumerate(made.values()):
        proposal.created_at = proposal.created_at - timedelta(days=38 - n)

    def decide(title: str, action: str, **given) -> None:
        ops.decide(chair, made[title], action, ProposalInput(**given))

    forwarded = [
        "沙坪村三组通组道路硬化",
        "冷水沟村安装太阳能路灯",
        "高桥村饮水水源保护",
        "江口社区健身广场",
        "集镇污水管网延伸",
        "高桥村便民桥加固",
        "沙坪村产业路延伸",
        "江口社区老年食堂",
        "镇中心小学操场改造",
        "集镇生活垃圾中转站",
        "镇敬老院消防设施改造",
        "高桥村河道清障",
    ]
    for title in forwarded:
        decide(title, "accept")
        decide(title, "forward")
    for title in (
        "集镇公厕改造",
        "集镇河堤亮化",
        "沙坪村卫生室改造",
        "江口集镇排水沟疏浚",
        "冷水沟村道路安全护栏",
    ):
        decide(title, "accept")
    # Duplicates, merged into the proposal kept (its proposers kept with it).
    merges = {
        "社区建一个健身场地": "江口社区健身广场",
        "冷水沟村路灯": "冷水沟村安装太阳能路灯",
        "高桥村饮水工程提升": "高桥村饮水水源保护",
        "冷水沟村通组路护栏": "冷水沟村道路安全护栏",
        "沙坪村垃圾收集点": "集镇生活垃圾中转站",
    }
    for title, kept in merges.items():
        decide(title, "merge", kept=made[kept])
    rejections = {
        "给我家门口修条路": "属于农户入户路，按村级“一事一议”办理，已转沙坪村委会。",
        "镇卫生院增设夜间门诊": "卫生院夜间急诊已开放，门诊排班属县卫健局事权，已转交。",
        "城乡居民医保服务窗口延伸到村": "已纳入镇政府今年便民服务工作，无需列为民生实事项目。",
        "集镇停车场": "用地尚未落实，建议明年结合集镇规划再提。",
    }
    for title, reason in rejections.items():
        decide(title, "reject", reason=reason)
    # Left for the presidium to look at: 江口中学学生宿舍热水, 农村电商服务站, 镇综合文化站设备更新.
    return made


# The government's candidates (初定): title, the proposals it answers, content, target, amount (万元),
# approximate?, fund source, lead office, joint lead, deadline (month of the plan's year).
CANDIDATES = [
    (
        "沙坪村三组通组道路硬化",
        ["沙坪村三组通组道路硬化"],
        "硬化通组道路2.3公里，宽3.5米，配套排水边沟。",
        "雨天通行无阻，惠及三组86户。",
        "82",
        False,
        "县交通局补助资金、镇级配套",
        "规划建设环保办公室",
        None,
        9,
    ),
    (
        "冷水沟村太阳能路灯安装",
        ["冷水沟村安装太阳能路灯"],
        "在冷水沟村主干道及二组路段安装太阳能路灯60盏。",
        "村道夜间照明全覆盖。",
        "20",
        True,
        "镇级财政",
        "规划建设环保办公室",
        None,
        6,
    ),
    (
        "高桥村饮水安全提升工程",
        ["高桥村饮水水源保护"],
        "水源地围栏保护，新建蓄水池2座，更换管网1.8公里。",
        "全村农户常年稳定供水，水质达标。",
        "68",
        True,
        "县水利局项目资金、镇级配套",
        "农业综合服务站",
        None,
        10,
    ),
    (
        "江口社区健身广场建设",
        ["江口社区健身广场"],
        "新建800平方米健身广场，安装健身器材20件。",
        "社区群众有固定的健身活动场所。",
        "45",
        False,
        "体彩公益金、镇级财政",
        "社会事务办公室",
        None,
        8,
    ),
    (
        "集镇北街污水管网延伸",
        ["集镇污水管网延伸"],
        "新建污水管网1.2公里，接入集镇污水处理站。",
        "北街生活污水全部收集处理，不再直排河道。",
        "120",
        True,
        "县级专项资金",
        "规划建设环保办公室",
        "财政所",
        11,
    ),
    (
        "高桥村便民桥加固",
        ["高桥村便民桥加固"],
        "桥面重铺，加装护栏，桥墩加固。",
        "汛期安全通行。",
        "25",
        True,
        "镇级财政",
        "规划建设环保办公室",
        None,
        6,
    ),
    (
        "沙坪村茶园产业路延伸",
        ["沙坪村产业路延伸"],
        "延伸产业路1.6公里，连接四组茶园。",
        "采茶季运输车辆直达茶园。",
        "70",
        True,
        "衔接资金",
        "经济发展办公室",
        "农业综合服务站",
        9,
    ),
    (
        "江口社区老年食堂",
        ["江口社区老年食堂"],
        "改造社区用房120平方米，开办老年食堂，配置厨具设备。",
        "为60岁以上独居、空巢老人提供助餐服务。",
        "35",
        True,
        "民政专项资金、社区自筹",
        "社会保障服务站",
        None,
        7,
    ),
    (
        "镇中心小学操场改造",
        ["镇中心小学操场改造"],
        "铺设塑胶跑道200米，硬化篮球场2块。",
        "雨天可上体育课，满足学校运动会需要。",
        "50",
        False,
        "县教育局资金、镇级配套",
        "社会事务办公室",
        None,
        8,
    ),
    (
        "集镇生活垃圾中转站",
        ["集镇生活垃圾中转站"],
        "新建压缩式垃圾中转站1座，配套收集车2辆，沙坪村增设收集点。",
        "集镇及周边村生活垃圾日产日清。",
        "95",
        True,
        "县级专项资金、镇级配套",
        "规划建设环保办公室",
        None,
        10,
    ),
    (
        "镇敬老院消防设施改造",
        ["镇敬老院消防设施改造"],
        "更换消防管网，安装烟感报警和喷淋系统。",
        "消防设施达到现行标准，通过消防验收。",
        "28",
        False,
        "民政专项资金",
        "社会保障服务站",
        None,
        5,
    ),
    (
        "高桥村河道清障",
        ["高桥村河道清障"],
        "清理河道淤积3公里，加固堤岸薄弱段。",
        "汛期河道行洪畅通。",
        "35",
        True,
        "县水利局项目资金",
        "农业综合服务站",
        None,
        5,
    ),
]
REMARKS = [
    (0, None, "候选项目都是群众反映强烈的事，建议票决后尽快公布实施计划。"),
    (1, "集镇北街污水管网延伸", "投资较大，建议说明县级专项资金是否已落实，避免开工后停工。"),
    (2, "江口社区老年食堂", "老年食堂要考虑长期运营经费，建议明确社区和民政的分担办法。"),
]


def seed_plan(township, chair, gov, made: dict[str, Proposal], deputies: list) -> VotePlan:
    """The vote's plan for the collection's year: 12 costed candidates for 10 places (20% more), fixed,
    with three deputies' remarks from the deliberation."""
    period = next(iter(made.values())).period
    plan = plan_ops.create_plan(chair, township, period.year, period, places=10, surplus_percent=20)
    offices = {
        o.name: o.id
        for o in db.session.execute(select(Office).where(Office.township_id == township.id)).scalars()
    }
    for row in CANDIDATES:
        title, answers, content, target, amount, approx, source, lead, joint, month = row
        text = plan_ops.CandidateText(
            title=title,
            content=content,
            target=target,
            amount_wan=Decimal(amount),
            amount_approximate=approx,
            fund_source=source,
            lead_office_id=offices[lead],
            joint_lead_office_ids=[offices[joint]] if joint else [],
            deadline=date(plan.year, month, 30 if month != 2 else 28),
            proposal_ids=[made[a].id for a in answers],
        )
        plan_ops.create_candidate(gov, plan, text)
    plan_ops.fire(chair, plan, "fix")
    candidates = {c.title: c for c in plan.ballot_candidates}
    for n, on, text in REMARKS:
        plan_ops.add_remark(deputies[n], plan, text, candidates[on] if on else None)
    return plan


def demo_plan() -> VotePlan | None:
    """The demo township's (江口镇) plan, fixed by the demo, for the demo vote built on it; None before
    the demo is seeded."""
    return (
        db.session.execute(
            select(VotePlan)
            .join(Township, Township.id == VotePlan.township_id)
            .where(Township.slug == "jiangkou")
        )
        .scalars()
        .first()
    )
