"""Demo monthly reports and feedback for 江口镇: months of reports, some late, one missing, one
disputed then corrected and confirmed, an item without progress, and today's reminders.

The lists demo walks its items through the workflow just now; here their history is moved back to
the months it would have happened in (entered supervision in spring, completed in late summer), so
the calendar has months to show. Dates are relative to today's month; items are the demo year's,
by number (supervise/core/demo_calendar.py).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select, update

from ..accounts.models import User
from ..accounts.operations import add_demo_account
from ..core.dates import month_of, shift_month
from ..core.demo_calendar import DemoCalendar
from ..core.permissions import Role
from ..extensions import db
from ..lists.models import Item, ItemEvent, SupervisorAssignment
from ..org.models import Office
from . import operations as ops
from .models import FeedbackVerdict

# (item number, months before this one it entered supervision, months before it was reported completed)
DATES = [
    ("C-002", 8, None),  # 集镇污水处理站提标改造
    ("C-003", 7, None),  # 高桥村饮水安全巩固提升 (in consultation)
    ("C-004", 6, 1),  # 冷水沟村河堤修复 (completed)
    ("C-005", 8, 3),  # 镇村道路安全隐患排查整治 (verified)
    ("C-007", 5, None),  # 农村人居环境整治
    ("L-001", 3, None),  # 村卫生室标准化建设
    ("S-002", 2, None),  # 关于高桥村安装太阳能路灯的建议
    ("S-001", 1, None),  # 关于增开江口至县城班车的建议
]

# Per item: (months back, percent, day of month submitted or None for missing, what was done).
# A day above 28 means "the 3rd of the next month" (late).
LATE = 99
REPORTS = {
    "C-002": [
        (8, 5, 20, "完成提标改造方案评审，确定施工单位。"),
        (7, 12, 22, "进场施工，完成沉淀池基础开挖。"),
        (6, 20, 18, "完成生化池主体结构 40%。"),
        (5, 26, 24, "生化池主体结构完成，设备采购招标中。"),
        (4, 30, LATE, "受汛期影响停工两周，完成设备基础。"),
        (3, 34, 21, "主要设备到场，开始安装。"),
        (2, 37, 23, "设备安装完成一半；配套管网设计已批复。"),
        (1, 42, 20, "设备安装基本完成，配套管网开工。"),
        (0, 48, 19, "设备单机调试；配套管网完成 0.8 公里。"),
    ],
    "C-003": [
        (7, 10, 20, "完成水源地勘察。"),
        (6, 15, 25, "新建蓄水池选址确定。"),
        (5, 20, 21, "蓄水池开工。"),
        (4, 30, LATE, "蓄水池主体完工，管道采购中。"),
        (3, 40, 22, "三组、四组管道铺设完成。"),
        (2, 50, 18, "蓄水池试蓄水。"),
        (1, 60, 24, "会商后新增备用水源，正在打井。"),
    ],
    "C-004": [
        (6, 20, 15, "完成河堤损毁段清理。"),
        (5, 45, 20, "完成浆砌石护坡 300 米。"),
        (4, 70, 22, "完成护坡 600 米。"),
        (3, 90, 19, "全线护坡完成，开始堤顶道路硬化。"),
        (2, 100, 20, "全部完工，申请验收。"),
    ],
    "C-005": [
        (8, 20, 18, "完成全镇道路隐患排查，建立台账 36 处。"),
        (7, 45, 20, "整改 15 处。"),
        (6, 70, 21, "整改 27 处，增设警示标志 40 块。"),
        (5, 85, 17, "整改 33 处。"),
        (4, 100, 16, "36 处隐患全部整改完成。"),
    ],
    # No progress for two months whatever the day the demo is loaded: last month stood still at 25%
    # after a missing month; this month (reported on the 21st) stays at 25% too.
    "C-007": [
        (5, 10, 22, "制定整治方案，各村成立保洁队伍。"),
        (4, 20, 25, "完成 5 个村垃圾收集点建设。"),
        (3, 25, LATE, "完成 2 个村改厕。"),
        (2, 0, None, ""),  # not reported at all: the grid shows it missing
        (1, 25, 24, "改厕推进缓慢，资金未到位。"),
        (0, 25, 21, "等待县级资金下达。"),
    ],
    "L-001": [
        (3, 15, 20, "完成 4 个卫生室选址和设计。"),
        (2, 30, 24, "2 个卫生室开工。"),
        (1, 45, LATE, "4 个卫生室全部开工。"),
    ],
    "S-002": [
        (2, 10, 20, "完成路灯安装点位勘察。"),
        (1, 25, 23, "采购太阳能路灯 40 盏。"),
        (0, 35, 18, "安装 12 盏。"),
    ],
}
FUNDS = {"C-002": "18.5", "C-004": "12", "L-001": "20"}


def entered_on(number: str, day: date) -> tuple[date, date | None]:
    """When the demo item ``number`` entered supervision and was reported completed, seen from ``day``."""
    this_month = month_of(day)
    entered_back, completed_back = next((e, c) for known, e, c in DATES if known == number)
    entered = shift_month(this_month, -entered_back) + timedelta(days=9)
    completed = shift_month(this_month, -completed_back) + timedelta(days=11) if completed_back else None
    return entered, completed


def planned_reports(number: str, day: date) -> list[tuple[int, date, int, date, str]]:
    """The demo reports of ``number`` made by ``day``: (months back, month, percent, submitted on, done)."""
    this_month = month_of(day)
    found = []
    for back, percent, on_day, done in REPORTS.get(number, []):
        if on_day is None:
            continue
        month = shift_month(this_month, -back)
        on = shift_month(month, 1) + timedelta(days=2) if on_day == LATE else month.replace(day=on_day)
        if on <= day:
            found.append((back, month, percent, on, done))
    return found


def _at(day: date, hour: int = 2) -> datetime:
    """A stored (UTC) moment on that China date: 02:00 UTC is 10:00 in China."""
    return datetime.combine(day, time(hour))


def _move_history(item: Item, entered: date, completed: date | None) -> None:
    """Move the item's events up to its assignment to ``entered``, its completion (and after) to
    ``completed``. Bulk updates: the demo rewrites its own fiction, the ORM's append-only guard
    stays for everything else."""
    events = db.session.execute(select(ItemEvent).where(ItemEvent.item_id == item.id).order_by(ItemEvent.id))
    events = list(events.scalars())
    done_index = next((i for i, e in enumerate(events) if e.action == "report_done"), None)
    for index, event in enumerate(events):
        if event.action.startswith("sheet_"):
            continue  # on their sheet's days (sheets/demo.py), as the sheet's history shows them
        entering = event.action in ("create", "confirm")
        if entering and item.handed_over_on is not None:
            when = _at(min(item.handed_over_on, entered))  # a suggestion: entered when handed over
        elif entering or (event.action == "assign" and index < (done_index or 99)):
            when = _at(entered - timedelta(days=3 if event.action != "assign" else 0))
        elif completed is not None and done_index is not None and index >= done_index:
            when = _at(completed + timedelta(days=index - done_index))
        else:
            continue
        db.session.execute(update(ItemEvent).where(ItemEvent.id == event.id).values(at=when))
    db.session.execute(
        update(SupervisorAssignment)
        .where(SupervisorAssignment.item_id == item.id)
        .values(assigned_at=_at(entered))
    )
    db.session.expire(item)


def _clerks(township) -> dict[int, User]:
    """A clerk for each office that leads a demo item (gov already is the construction office's)."""
    clerks = {
        u.office_id: u
        for u in db.session.execute(
            select(User).where(User.township_id == township.id, User.role == Role.government)
        ).scalars()
    }
    offices = db.session.execute(select(Office).where(Office.township_id == township.id)).scalars()
    usernames = {"农业综合服务站": "gov-farm", "社会保障服务站": "gov-welfare", "经济发展办公室": "gov-econ"}
    for office in offices:
        if office.id not in clerks and office.name in usernames:
            clerks[office.id] = add_demo_account(
                usernames[office.name],
                f"{office.name}文书",
                Role.government,
                township_id=township.id,
                office_id=office.id,
            )
    db.session.flush()
    return clerks


def seed_progress(calendar: DemoCalendar, township, deputy_users: dict) -> None:
    """Reports and feedback for 江口镇's items under supervision, and today's reminders."""
    day = calendar.today
    codes = {number: calendar.code(number) for number, _e, _c in DATES}
    found = db.session.execute(select(Item).where(Item.code.in_(codes.values()))).scalars()
    by_code = {item.code: item for item in found}
    items = {number: by_code[code] for number, code in codes.items()}
    for number, _entered_back, _completed_back in DATES:
        _move_history(items[number], *entered_on(number, day))
    db.session.flush()
    clerks = _clerks(township)
    from decimal import Decimal

    for number in REPORTS:
        item = db.session.get(Item, items[number].id)
        clerk = clerks[item.lead_office_id]
        supervisors = [deputy_users[d.id] for d in item.supervisors if d.id in deputy_users]
        for back, month, percent, on, done in planned_reports(number, day):
            if month not in ops.owed_months(item, on):
                continue  # loaded in the first half of a year, the story's spring is before its lists' year
            report = ops.submit_report(
                clerk,
                item,
                month,
                percent=percent,
                done=done,
                problems="配套资金尚未全部到位。" if percent < 30 and back > 1 else "",
                funds_spent=Decimal(FUNDS[number]) if number in FUNDS and back % 2 == 0 else None,
                at=_at(on),
            )
            if back == 0:
                continue  # this month's feedback is still to come
            for n, user in enumerate(supervisors):
                if number == "C-004" and back == 2 and user.username == "deputy":
                    continue  # the demo deputy still owes this one
                if on + timedelta(days=2 + n) > day:
                    continue  # a report made a day or two ago: its supervisors have not answered yet
                answered = _at(on + timedelta(days=2 + n), hour=3)
                if number == "C-002" and back == 1 and n == 0:
                    _dispute_then_confirm(clerk, user, report, answered, supervisors[1:])
                    break
                ops.give_feedback(
                    user, report, FeedbackVerdict.confirm, "现场查看属实。" if n == 0 else "", at=answered
                )
    ops.create_reminders(day)
    db.session.flush()


def _dispute_then_confirm(clerk, disputer, report, when: datetime, others: list) -> None:
    """The supervisor disputes last month's sewage report; the office corrects it; all confirm."""
    ops.give_feedback(
        disputer,
        report,
        FeedbackVerdict.dispute,
        "现场查看，配套管网仅完成开挖，42% 的进度偏高，请核实。",
        at=when,
    )
    corrected = ops.submit_report(
        clerk,
        report.item,
        report.month,
        percent=38,
        done="设备安装基本完成；配套管网完成开挖，尚未铺管。",
        problems="配套管网施工受雨季影响。",
        correction_reason="按监督员意见现场核实，配套管网进度按实际工程量重新计算。",
        at=when + timedelta(days=2),
    )
    for n, user in enumerate([disputer, *others]):
        ops.give_feedback(
            user,
            corrected,
            FeedbackVerdict.confirm,
            "更正后属实。" if n == 0 else "",
            at=when + timedelta(days=3 + n),
        )
