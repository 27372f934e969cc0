"""Demo proposals for next year's livelihood projects of 江口镇, collected now: some from residents
(on the public form, a few anonymous), some from deputies and offices, in every state the presidium
leaves them in. Built through the operations, as the pages would."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from ..core.demo_calendar import DemoCalendar
from . import operations as ops
from .models import Proposal
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
