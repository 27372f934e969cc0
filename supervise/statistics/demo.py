"""The demo county's other townships, with two years of work, so that the county's view compares
something real: 城关镇 (made by supervise/demo.py, behind on its monthly reports) and four more.

Everything goes through the operations the pages use (lists, monthly reports, evaluation meetings
with phone ballots, published results); only the items' histories are moved back to the story's
spring (bulk updates: the demo writes its own past), as the progress demo does for 江口镇. Called by
``flask seed-demo`` after supervise/demo.py's county (cli.py): this package sits beside the demo
loader, not below it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select, update

from ..accounts.models import User
from ..accounts.operations import add_demo_account
from ..ballots import hall, phone
from ..core.dates import month_of, shift_month
from ..core.demo_calendar import DemoCalendar
from ..core.permissions import Role
from ..evaluation import operations as meetings
from ..evaluation import publishing
from ..evaluation.models import BallotKind, Mark
from ..extensions import db
from ..lists import operations as items
from ..lists.models import AnswerClass, ItemEvent, ListKind, SupervisorAssignment
from ..lists.queries import township_list
from ..org.models import (
    County,
    Deputy,
    DeputyGroup,
    DeputyLevel,
    LiaisonStation,
    Office,
    StationLevel,
    Township,
)
from ..progress import operations as progress


@dataclass(frozen=True)
class Profile:
    """How a township's year goes: which months its offices leave unreported, how its items end,
    how its deputies rate."""

    name: str
    short: str
    slug: str
    skipped_months: int  # of the last months under supervision, how many go unreported
    done_share: int  # of 6 items a year, how many are reported done
    marks: tuple[Mark, ...]  # cycled over the lines of a ballot


S, B, D = Mark.satisfied, Mark.basic, Mark.dissatisfied
PROFILES = [
    Profile("四亩地镇", "四亩地", "simudi", 0, 5, (S, S, S, B, S, S)),
    Profile("筒车湾镇", "筒车湾", "tongchewan", 1, 4, (S, B, S, S, D, S)),
    Profile("广货街镇", "广货街", "guanghuojie", 0, 3, (S, S, B, B, S, D)),
    Profile("龙王镇", "龙王", "longwang", 1, 2, (B, S, D, S, B, S)),
]
# 城关镇 (made with the county): reports stop after the spring, few items done.
CHENGGUAN = Profile("城关镇", "城关", "chengguan", 5, 2, (S, B, D, B, S, D))
OFFICES = [("党政综合办公室", "镇党委副书记"), ("规划建设环保办公室", "副镇长"), ("社会事务办公室", "副镇长")]
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许"
ITEMS = [
    (ListKind.commitment, "村组道路硬化"),
    (ListKind.commitment, "集镇污水管网延伸"),
    (ListKind.commitment, "农村人居环境整治"),
    (ListKind.suggestion, "关于增设农村客运班线的建议"),
    (ListKind.suggestion, "关于改善村卫生室条件的建议"),
    (ListKind.livelihood, "敬老院提升改造"),
]


def seed_county_townships(calendar: DemoCalendar, county: County) -> None:
    """Four more townships of ``county`` and two years of 城关镇's work (call after seed_demo)."""
    # The meetings' summaries are printed when first asked for, not while the demo loads.
    current_app.config["DOCUMENTS_RENDER_ON_CHANGE"], rendering = (
        False,
        current_app.config["DOCUMENTS_RENDER_ON_CHANGE"],
    )
    try:
        _seed(calendar, county)
    finally:
        current_app.config["DOCUMENTS_RENDER_ON_CHANGE"] = rendering


def _seed(calendar: DemoCalendar, county: County) -> None:
    chengguan = db.session.execute(
        select(Township).where(Township.slug == CHENGGUAN.slug)
    ).scalar_one_or_none()
    for profile in [*PROFILES, *([CHENGGUAN] if chengguan is not None else [])]:
        township = chengguan if profile is CHENGGUAN else _new_township(county, profile)
        chair, clerks, deputies = _people(township, profile)
        for years in (-1, 0):
            _year_of_work(calendar, years, profile, township, chair, clerks, deputies)
        db.session.flush()


def _new_township(county: County, profile: Profile) -> Township:
    township = Township(county=county, name=profile.name, short_name=profile.short, slug=profile.slug)
    db.session.add(township)
    db.session.flush()
    n = len(profile.name)
    db.session.add_all(
        [
            *[
                Office(
                    township_id=township.id,
                    name=name,
                    leader_name=f"{SURNAMES[(n + i) % 20]}建华",
                    leader_title=t,
                )
                for i, (name, t) in enumerate(OFFICES)
            ],
            LiaisonStation(
                township_id=township.id, name=f"{profile.name}人大代表联络站", level=StationLevel.town
            ),
            *[
                LiaisonStation(
                    township_id=township.id, name=f"{village}村代表联络点", level=StationLevel.village
                )
                for village in ("东坡", "河坝")
            ],
            *[DeputyGroup(township_id=township.id, name=f"第{n}代表小组") for n in ("一", "二")],
        ]
    )
    db.session.flush()
    return township


def _people(township: Township, profile: Profile) -> tuple[User, dict[int, User], list[Deputy]]:
    """The township's chair, a clerk for each office, and six deputies (more if it has them)."""
    deputies = list(db.session.execute(select(Deputy).where(Deputy.township_id == township.id)).scalars())
    for i in range(len(deputies), 6):
        deputy = Deputy(
            township_id=township.id,
            name=f"{SURNAMES[i * 3 % 20]}{profile.short[0]}{i + 1}",
            level=DeputyLevel.township,
        )
        db.session.add(deputy)
        deputies.append(deputy)
    chair = db.session.execute(
        select(User).where(User.township_id == township.id, User.role == Role.presidium)
    ).scalar_one_or_none() or add_demo_account(
        f"{profile.slug}-chair", f"{profile.name}人大主席", Role.presidium, township_id=township.id
    )
    offices = db.session.execute(
        select(Office).where(Office.township_id == township.id).order_by(Office.id)
    ).scalars()
    clerks = {
        office.id: add_demo_account(
            f"{profile.slug}-gov{n}",
            f"{office.name}文书",
            Role.government,
            township_id=township.id,
            office_id=office.id,
        )
        for n, office in enumerate(offices, start=1)
    }
    db.session.flush()
    return chair, clerks, deputies


def _at(day: date) -> datetime:
    return datetime.combine(day, time(2))  # 10:00 in China


def _year_of_work(calendar, years, profile, township, chair, clerks, deputies) -> None:
    """The year's lists of six items, supervised from March: monthly reports (the profile's last
    months unreported), some reported done in September, the rest carried over (last year) or still
    under supervision; an October evaluation meeting, published."""
    year = calendar.year + years
    entered, done_on = calendar.day(3, 10, years), calendar.day(9, 20, years)
    offices = list(clerks)
    made = []
    for number, (kind, title) in enumerate(ITEMS):
        supervision_list = items.list_of_year(chair, township.id, year, kind)
        office_id = offices[number % len(offices)]
        fields = {
            "title": f"{title}（{year}）",
            "lead_office_id": office_id,
            "deadline": calendar.day(12, 31, years),
        }
        fields["target"] = "按期完成建设并投入使用"
        made.append(items.create_item(chair, supervision_list, fields))
    for kind in ListKind:
        items.confirm_list(chair, township_list(township.id, year, kind))
    last_month = month_of(done_on if years < 0 else calendar.today)
    for number, item in enumerate(made):
        items.fire(chair, item, "assign", deputies=[deputies[number % len(deputies)]])
        _backdate(item.id, entered)
        month = month_of(entered)
        reported_until = shift_month(last_month, -profile.skipped_months)
        while month <= last_month:
            if month <= reported_until:
                late = (number + month.month) % 7 == 0
                on = shift_month(month, 1) + timedelta(days=2) if late else month + timedelta(days=18)
                if on <= calendar.today and month in progress.owed_months(item, on):
                    percent = min(100, 15 * (month.month - entered.month + 1))
                    progress.submit_report(
                        clerks[item.lead_office_id],
                        item,
                        month,
                        percent=percent,
                        done="按计划推进。",
                        at=_at(on),
                    )
            month = shift_month(month, 1)
        if item.kind is ListKind.suggestion and number < profile.done_share:
            items.answer_suggestion(
                clerks[item.lead_office_id], item, AnswerClass.A, "已列入计划并组织实施。"
            )
        if number < profile.done_share:
            items.fire(
                clerks[item.lead_office_id],
                item,
                "report_done",
                report="已完成建设内容。",
                evidence="验收报告",
            )
            _backdate(item.id, entered, done_on)
        elif years < 0:
            items.fire(chair, item, "carry_over", reason="受资金和工期影响，结转下年继续办理。")
            _backdate(item.id, entered, calendar.day(12, 20, years))
    _evaluate(calendar, years, profile, township, chair)


def _backdate(item_id: int, entered: date, left: date | None = None) -> None:
    """Listing and assignment on ``entered``; anything after that (done, carried over) on ``left``."""
    for event in db.session.execute(select(ItemEvent).where(ItemEvent.item_id == item_id)).scalars():
        when = entered if event.action in ("create", "confirm", "assign") or left is None else left
        db.session.execute(update(ItemEvent).where(ItemEvent.id == event.id).values(at=_at(when)))
    db.session.execute(
        update(SupervisorAssignment)
        .where(SupervisorAssignment.item_id == item_id)
        .values(assigned_at=_at(entered))
    )


def _evaluate(calendar, years, profile, township, chair) -> None:
    """The year's evaluation meeting in October: every deputy present, phone ballots, published."""
    meeting = meetings.create_meeting(
        chair,
        year=calendar.year + years,
        held_on=calendar.day(10, 18, years),
        place=f"{profile.name}人民政府会议室",
    )
    hall.start_roll_call(chair, meeting)
    present = [row.deputy_id for row in meeting.roster]
    for deputy_id in present:
        hall.mark_attendance(chair, meeting, deputy_id, True)
    hall.open_voting(chair, meeting, early_reason="演示数据：补录往年评议")
    for deputy_id in present:
        hall.hand_out(chair, meeting, deputy_id, BallotKind.phone)
    for n, code in enumerate(phone.draw_codes(chair, meeting, len(present))):
        marks = profile.marks if years == 0 else (*profile.marks, B)  # last year: a little less happy
        chosen = {line.id: marks[(n + i + years) % len(marks)] for i, line in enumerate(meeting.lines)}
        phone.submit_phone_ballot(code, meeting.id, chosen)
    meetings.close_voting(chair, meeting)
    # Committed here, as the closing request commits: the ballots' pool was emptied, and the
    # write-ahead log is truncated after this commit (ballots/sealing.py; never on a savepoint's).
    db.session.commit()
    publishing.publish_results(chair, meeting)
