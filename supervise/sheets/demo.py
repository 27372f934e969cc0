"""Demo follow-up sheets (督办单) for 江口镇, one in every state, built through the operations."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select, update

from ..core.demo_calendar import DemoCalendar
from ..extensions import db
from ..lists import operations as item_ops
from ..lists.models import EDITABLE_STATES, Item, ItemEvent
from ..org.models import Office
from . import operations as ops
from .models import FollowUpSheet, SheetEvent, SheetExtension
from .workflow import latest_deadline

# Days before today of each step of a sheet's history, in the order the steps are taken below: after
# the inspections whose findings they cite (40, 25 and 12 days ago, inspections/demo.py).
HISTORIES = {
    "verified": (38, 37, 35, 12, 8),  # made, issued, acknowledged, answered, verified
    "answered": (30, 29, 27, 5),  # made, issued, acknowledged, answered
    "returned": (10, 10, 9, 6, 3),  # made, issued, acknowledged, answered, returned
    "acknowledged": (20, 19, 17, 6, 5),  # made, issued, acknowledged, extension asked, granted
    "overdue": (22, 21, 2),  # made, issued three weeks ago with sixteen days to answer, extension asked
    "to_economy": (14, 14),  # made, issued
    "drafted": (3,),
}
# Where a step leaves its moment on the sheet itself.
STAMPS = {
    "create": "created_at",
    "issue": "issued_at",
    "acknowledge": "acknowledged_at",
    "answer": "answered_at",
    "verify": "verified_at",
}


def _item(calendar: DemoCalendar, number: str) -> Item:
    """The demo item of the story's year numbered ``number`` ("C-002")."""
    return db.session.execute(select(Item).where(Item.code == calendar.code(number))).scalar_one()


def seed_sheets(calendar: DemoCalendar, township, chair, gov, findings: dict | None = None) -> None:
    """gov is the clerk of 规划建设环保办公室: most sheets are addressed to that office.

    `findings` are the demo inspections' findings (by key) that some lines cite.
    """
    findings = findings or {}
    offices = {
        o.name: o
        for o in db.session.execute(select(Office).where(Office.township_id == township.id)).scalars()
    }
    construction, economy, farming = (
        offices["规划建设环保办公室"],
        offices["经济发展办公室"],
        offices["农业综合服务站"],
    )
    day = calendar.today

    def draft(title, office, rows, requirements, days):
        # A row is (item number or None, findings text[, key of the inspection finding it cites]).
        lines = []
        for number, text, *key in rows:
            item = _item(calendar, number) if isinstance(number, str) else number
            lines.append((item, text, findings.get(key[0]) if key else None))
        fields = {"title": title, "requirements": requirements, "deadline": day + timedelta(days=days)}
        return ops.create_sheet(chair, fields, office, lines)

    verified = draft(
        "关于加快集镇污水处理站提标改造进度的督办单",
        construction,
        [
            (
                "C-002",
                "代表视察发现，提标改造工程进度滞后于计划约两个月，配套管网尚未开工。",
                "sewage",
            ),
            (None, "江口社区群众反映施工围挡占道，雨天路面泥泞，出行不便。"),
        ],
        "请于办理时限内制定赶工计划，落实配套资金，规范施工围挡，并将办理情况书面报镇人大主席团。",
        30,
    )
    answered = draft(
        "关于沙坪村产业路硬化工程质量问题的督办单",
        construction,
        [("C-001", "部分路段路面出现裂缝，排水边沟未按设计施工。", "road")],
        "请组织施工单位返工整改，邀请代表参加质量验收。",
        20,
    )
    returned = draft(
        "关于高桥村饮水安全巩固提升的督办单",
        construction,
        [("C-003", "高桥村三组、四组枯水期仍有间歇性停水。", "water")],
        "请查明水源不足原因，提出长效解决办法，枯水期前完成。",
        15,
    )
    _contacts(township, construction)
    # An item on the sheets that another office helps with (协办单位), shown on its sheet.
    candidates = [_item(calendar, number) for number in ("C-005", "C-003", "C-006")]
    helped = next(item for item in candidates if item.state in EDITABLE_STATES)
    item_ops.amend_item(
        chair, helped, {}, helped.version, reason="涉及农业综合服务站的配合。", assisting=[farming]
    )
    title = "关于高桥村安装太阳能路灯的建议"
    lights = db.session.execute(select(Item).where(Item.title == title)).scalar_one()
    acknowledged = draft(
        "关于冷水沟村河堤修复后续管护的督办单",
        construction,
        [
            ("C-004", "河堤修复后未明确管护责任人，部分护栏已松动。"),
            # A suggestion whose proposer was not satisfied with the answer (lists/demo.py).
            (lights, "代表对答复不满意：高桥村三组、四组今冬夜间仍无照明。"),
        ],
        "请明确管护责任，修复松动护栏。",
        # Loaded on 6 December, 25 days would be the year's last day, with none left to extend to.
        24 if (day + timedelta(days=25)).timetuple()[1:3] == (12, 31) else 25,
    )
    overdue = draft(
        "关于镇村道路安全隐患整改的督办单",
        construction,
        [
            ("C-005", "沙坪村急弯路段未设置警示标志和防护栏。", "bend"),
            (None, "高桥村小学门前缺少减速带。", "school"),
        ],
        "请于办理时限内完成隐患点整改，并报送整改前后照片。",
        0,  # issued with a deadline still ahead; it ages below
    )
    to_economy = draft(
        "关于集镇农贸市场规范管理的督办单",
        economy,
        [("C-006", "市场周边占道经营反弹，早市时段交通拥堵。")],
        "请会同有关部门建立常态化管理机制。",
        40,
    )
    drafted = draft(
        "关于农村人居环境整治的督办单",
        farming,
        [("C-007", "部分村垃圾收集点设置不足，清运不及时。")],
        "请增设垃圾收集点，明确清运频次。",
        30,
    )
    for sheet in (verified, answered, returned, acknowledged, overdue, to_economy):
        ops.issue_sheet(chair, sheet)
    # Issued three weeks ago with sixteen days to answer (its history's days: _date_history): overdue
    # now, not born overdue (a sheet is never issued with a past deadline, so it is set after issuing).
    overdue.deadline = day - timedelta(days=5)
    for sheet in (verified, answered, returned, acknowledged):
        ops.acknowledge_sheet(gov, sheet)
    ops.answer_sheet(
        gov,
        verified,
        measures="已制定赶工计划，增加一个作业班组；财政所已拨付配套资金 80 万元；"
        "施工围挡已按规范重新设置并每日清扫。",
        evidence=f"赶工计划（江建发〔{day.year}〕12号）、资金拨付凭证、现场照片 6 张（存镇建设办档案室）。",
    )
    ops.verify_sheet(chair, verified, opinion="经现场核实，赶工计划已落实，配套资金已到位，同意办结。")
    ops.answer_sheet(
        gov,
        answered,
        measures="已责成施工单位对 320 米裂缝路段返工，按设计补建排水边沟。",
        evidence="返工记录、监理日志、代表参加验收的签到表。",
    )
    ops.answer_sheet(
        gov,
        returned,
        measures="已协调县水务局，计划明年实施水源扩容工程。",
        evidence="与县水务局的会议纪要。",
    )
    ops.return_sheet(chair, returned, reason="答复未提出今年枯水期的临时供水措施，请补充后重新答复。")

    # Extension requests (延期申请): one granted (a shorter extension than asked), one waiting.
    # Neither goes beyond the end of the year of the sheet's items (latest_deadline): loaded late
    # in a December, the days asked for are that year's last.
    def within(sheet, days: int):
        return min(sheet.deadline + timedelta(days=days), latest_deadline(sheet))

    ops.request_extension(
        gov,
        acknowledged,
        new_deadline=within(acknowledged, 30),
        reason="松动护栏须更换为定制的不锈钢护栏，厂家供货约需一个月。",
    )
    ops.grant_extension(
        chair,
        acknowledged,
        new_deadline=within(acknowledged, 20),
        note="同意延期，先行设置临时警示带。",
    )
    ops.request_extension(
        gov,
        overdue,
        new_deadline=min(day + timedelta(days=25), latest_deadline(overdue)),
        reason="急弯路段防护栏须待县交通运输局批复设计方案后施工。",
    )
    sheets = {
        "verified": verified,
        "answered": answered,
        "returned": returned,
        "acknowledged": acknowledged,
        "overdue": overdue,
        "to_economy": to_economy,
        "drafted": drafted,
    }
    for name, sheet in sheets.items():
        _date_history(sheet, [day - timedelta(days=back) for back in HISTORIES[name]])


def _date_history(sheet: FollowUpSheet, days: list[date]) -> None:
    """Put the sheet's steps on their days in the story: its history, its own stamps, its extension
    requests and the same steps on its items' timelines. Bulk updates: the demo rewrites its own
    fiction, the ORM's append-only guard stays for everything else."""
    db.session.flush()
    events = db.session.execute(
        select(SheetEvent).where(SheetEvent.sheet_id == sheet.id).order_by(SheetEvent.id)
    ).scalars()
    events = list(events)
    assert len(events) == len(days), (sheet.title, [e.action for e in events])
    # The same steps on the items' timelines, each item's in the order they were taken.
    on_items = [
        e
        for e in db.session.execute(
            select(ItemEvent)
            .where(
                ItemEvent.item_id.in_([item.id for item in sheet.items]),
                ItemEvent.action.startswith("sheet_"),
            )
            .order_by(ItemEvent.id)
        ).scalars()
        if (e.details or {}).get("sheet_id") == sheet.id
    ]
    extensions = list(
        db.session.execute(
            select(SheetExtension.id).where(SheetExtension.sheet_id == sheet.id).order_by(SheetExtension.id)
        ).scalars()
    )
    stamps: dict[str, datetime] = {}
    for step, (event, day) in enumerate(zip(events, days, strict=True)):
        # 02:00 UTC is 10:00 in China; two steps of one day keep their order.
        at = datetime.combine(day, time(2 + step % 6))
        db.session.execute(update(SheetEvent).where(SheetEvent.id == event.id).values(at=at))
        for item in sheet.items:
            same = next(
                (e for e in on_items if (e.item_id, e.action) == (item.id, f"sheet_{event.action}")), None
            )
            if same is not None:
                on_items.remove(same)
                db.session.execute(update(ItemEvent).where(ItemEvent.id == same.id).values(at=at))
        if event.action in STAMPS:
            stamps[STAMPS[event.action]] = at
        if event.action == "request_extension":
            db.session.execute(
                update(SheetExtension).where(SheetExtension.id == extensions[0]).values(requested_at=at)
            )
        elif event.action in ("grant_extension", "refuse_extension"):
            db.session.execute(
                update(SheetExtension).where(SheetExtension.id == extensions.pop(0)).values(decided_at=at)
            )
    db.session.execute(update(FollowUpSheet).where(FollowUpSheet.id == sheet.id).values(**stamps))
    db.session.expire(sheet)


def _contacts(township, office: Office) -> None:
    """Whom to call on either side of a sheet, unless the demo township already names them."""
    if not township.contact_person:
        township.contact_person, township.contact_phone = "陈晓燕", "0915-6812345"
    if not office.contact_person:
        office.contact_person, office.contact_phone = "刘静", "0915-6812301"
