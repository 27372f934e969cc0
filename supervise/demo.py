"""Demo data (宁陕县, 江口镇 and one more township) so that a newcomer sees every screen filled in.

Each later capability adds its part here. Demo accounts exist only in demo data.
"""

from __future__ import annotations

from sqlalchemy import select

from .accounts.operations import add_demo_account, create_api_token
from .accounts.tokens import TokenScope
from .core.clock import today
from .core.demo_calendar import DemoCalendar
from .core.permissions import Role
from .evaluation.demo import seed_evaluation, seed_upcoming_evaluation
from .extensions import db
from .inspections.demo import seed_inspections
from .lists.demo import seed_after_evaluation, seed_lists
from .livelihood.demo import seed_livelihood
from .livelihood.vote_demo import seed_vote
from .meetings.demo import seed_meetings
from .notices.demo import seed_notices
from .org.models import (
    County,
    Deputy,
    DeputyGroup,
    DeputyLevel,
    LiaisonStation,
    Office,
    StationLevel,
    Township,
)
from .progress.demo import seed_progress
from .sheets.demo import seed_sheets

JIANGKOU_OFFICES = [
    ("党政综合办公室", "陈立新", "镇党委副书记"),
    ("经济发展办公室", "刘海波", "副镇长"),
    ("规划建设环保办公室", "张建国", "副镇长"),
    ("社会事务办公室", "李秀英", "副镇长"),
    ("农业综合服务站", "王德才", "副镇长"),
    ("社会保障服务站", "赵丽", "镇人大副主席"),
    ("财政所", "周明", "副镇长"),
]
JIANGKOU_STATIONS = [
    ("江口镇人大代表联络站", StationLevel.town),
    ("江口社区代表联络点", StationLevel.village),
    ("高桥村代表联络点", StationLevel.village),
    ("沙坪村代表联络点", StationLevel.village),
    ("冷水沟村代表联络点", StationLevel.village),
]
JIANGKOU_GROUPS = ["第一代表小组", "第二代表小组", "第三代表小组", "第四代表小组"]
# name, level, station index, group index
JIANGKOU_DEPUTIES = [
    ("杨春花", DeputyLevel.township, 1, 0),
    ("吴国强", DeputyLevel.both, 0, 0),
    ("郑秀兰", DeputyLevel.township, 1, 0),
    ("孙志明", DeputyLevel.township, 2, 1),
    ("马玉梅", DeputyLevel.county, 0, 1),
    ("胡建军", DeputyLevel.township, 2, 1),
    ("朱红霞", DeputyLevel.township, 3, 2),
    ("高德胜", DeputyLevel.township, 3, 2),
    ("林小燕", DeputyLevel.both, 0, 2),
    ("何长青", DeputyLevel.township, 4, 3),
    ("罗桂芳", DeputyLevel.township, 4, 3),
    ("梁永福", DeputyLevel.township, 1, 3),
    ("宋丽娟", DeputyLevel.township, 2, 0),
    ("唐和平", DeputyLevel.county, 0, 1),
    ("韩雪梅", DeputyLevel.township, 3, 2),
    ("冯大山", DeputyLevel.township, 4, 3),
    ("曹金凤", DeputyLevel.township, 1, 0),
    ("邓伟", DeputyLevel.township, 2, 1),
    ("许春燕", DeputyLevel.township, 3, 2),
    ("彭安康", DeputyLevel.township, 4, 3),
]

# A fixed, published token value for the demo alone (a real token is random and shown once).
DEMO_PORTAL_TOKEN = "sv_demo-portal-token-not-a-secret"  # noqa: S105 (published, demo data only)
DEMO_PORTAL_NAME = "宁陕县智慧人大门户（演示）"


def database_is_empty() -> bool:
    return db.session.execute(select(County.id).limit(1)).first() is None


def _township(county: County, name: str, short: str, slug: str, offices, stations, groups, deputies):
    township = Township(county=county, name=name, short_name=short, slug=slug)
    db.session.add(township)
    db.session.flush()
    office_rows = [
        Office(township_id=township.id, name=n, leader_name=leader, leader_title=title)
        for n, leader, title in offices
    ]
    station_rows = [LiaisonStation(township_id=township.id, name=n, level=lv) for n, lv in stations]
    group_rows = [DeputyGroup(township_id=township.id, name=n) for n in groups]
    db.session.add_all(office_rows + station_rows + group_rows)
    db.session.flush()
    deputy_rows = [
        Deputy(
            township_id=township.id,
            name=n,
            level=lv,
            station_id=station_rows[s].id,
            group_id=group_rows[g].id,
            phone=f"1389150{1000 + i:04d}",
        )
        for i, (n, lv, s, g) in enumerate(deputies)
    ]
    db.session.add_all(deputy_rows)
    db.session.flush()
    return township, office_rows, deputy_rows


def seed_demo() -> None:
    """Load the demo county. Call only on an empty database.

    Its years and days follow today's date (supervise/core/demo_calendar.py)."""
    calendar = DemoCalendar(today())
    county = County(name="宁陕县")
    db.session.add(county)
    db.session.flush()
    jiangkou, offices, deputies = _township(
        county,
        "江口镇",
        "江口",
        "jiangkou",
        JIANGKOU_OFFICES,
        JIANGKOU_STATIONS,
        JIANGKOU_GROUPS,
        JIANGKOU_DEPUTIES,
    )
    chengguan, cg_offices, cg_deputies = _township(
        county,
        "城关镇",
        "城关",
        "chengguan",
        [("党政综合办公室", "黄志刚", "镇党委副书记"), ("规划建设环保办公室", "蒋文", "副镇长")],
        [("城关镇人大代表联络站", StationLevel.town), ("东河社区代表联络点", StationLevel.village)],
        ["第一代表小组", "第二代表小组"],
        [
            ("钱学文", DeputyLevel.township, 0, 0),
            ("肖玉兰", DeputyLevel.both, 1, 1),
            ("程远", DeputyLevel.township, 1, 0),
        ],
    )
    chair = add_demo_account("chair", "王建华（江口镇人大主席）", Role.presidium, township_id=jiangkou.id)
    gov = add_demo_account(
        "gov", "刘静（规划建设环保办公室）", Role.government, township_id=jiangkou.id, office_id=offices[2].id
    )
    # Every 江口镇 deputy can sign in (jk-d02 …); `deputy` is the first, a supervisor of several items.
    deputy_users = {
        d.id: add_demo_account(
            "deputy" if i == 0 else f"jk-d{i + 1:02d}",
            d.name,
            Role.deputy,
            township_id=jiangkou.id,
            deputy_id=d.id,
        )
        for i, d in enumerate(deputies)
    }
    # The county's portal reads the API as `deputy` with a fixed token: demo data only (README).
    create_api_token(deputy_users[deputies[0].id], DEMO_PORTAL_NAME, TokenScope.read, DEMO_PORTAL_TOKEN)
    add_demo_account("county", "宁陕县人大常委会办公室", Role.county, county_id=county.id)
    add_demo_account("admin", "系统管理员", Role.admin)
    add_demo_account("cg-chair", "黄文斌（城关镇人大主席）", Role.presidium, township_id=chengguan.id)
    add_demo_account(
        "cg-deputy", cg_deputies[0].name, Role.deputy, township_id=chengguan.id, deputy_id=cg_deputies[0].id
    )
    db.session.flush()
    seed_lists(calendar, jiangkou, chair, gov, offices, deputies, deputy_users)
    seed_meetings(calendar, jiangkou, chair)
    findings = seed_inspections(calendar, jiangkou, chair, deputy_users)
    seed_sheets(calendar, jiangkou, chair, gov, findings)
    seed_progress(calendar, jiangkou, deputy_users)
    # Keep last: notices copy the monthly reports the demo has made by now.
    seed_notices(calendar, jiangkou, chair)
    seed_evaluation(calendar, jiangkou, chair)
    seed_after_evaluation(calendar, jiangkou, chair, gov, offices, deputies, deputy_users)
    seed_upcoming_evaluation(calendar, jiangkou, chair)
    seed_livelihood(calendar, jiangkou, chair, gov, deputy_users)
    seed_vote(calendar, chair)
    db.session.flush()


DEMO_ACCOUNTS = [
    ("chair", "主席团（江口镇人大主席）"),
    ("gov", "镇政府（江口镇规划建设环保办公室）"),
    ("deputy", "代表（江口镇，义务监督员）"),
    ("county", "县人大常委会（宁陕县）"),
    ("admin", "系统管理员"),
]
