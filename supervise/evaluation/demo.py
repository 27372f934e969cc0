"""Demo evaluation meetings for 江口镇, run through the same operations the pages use.

A closed meeting in the demo year's October (supervise/core/demo_calendar.py) with paper and phone
ballots: the market-town road (verified in the lists demo) rated 100% satisfied and closed (销号) by
that result, as in the seed article; one item rated dissatisfied, back to supervising with a
re-rating date; every rated item's result applied; a spoiled sheet exchanged, a second clerk's
check entry of every sheet and a correction (who, why); published to the public board, its PDFs
stored. And an upcoming meeting whose roll call has started, rating every open item of the year,
the dissatisfied one and the one verified since among them (not the one carried over into next year).
"""

from __future__ import annotations

import io
from contextlib import nullcontext
from datetime import timedelta

from flask import current_app, has_request_context
from flask_babel import force_locale
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ..accounts.operations import add_demo_account
from ..ballots import adjustments, paper, phone
from ..core.demo_calendar import DemoCalendar
from ..core.documents import changed
from ..core.pdf import html_to_pdf
from ..core.permissions import Role
from ..extensions import db
from ..lists import operations as item_operations
from ..lists.models import Item, ItemState
from ..uploads.storage import store_upload
from . import documents, operations, publishing
from .models import BallotKind, Mark

ROAD = "集镇道路改造提升项目"
S, B, D = Mark.satisfied, Mark.basic, Mark.dissatisfied
# The item the deputies were not satisfied with: back to supervising, re-rated within three months.
DISSATISFYING, DISSATISFIED_PATTERN = "镇村道路安全隐患排查整治", [D, D, B, D, S, D, D, B, D, D]
# Marks of the non-road lines, ballot by ballot (cycled): mostly satisfied, some basically, a few not.
PATTERN = [S, S, B, S, S, D, S, B, S, S, S, B]
# One office the deputies were less happy with: it comes out 基本满意.
LESS_HAPPY, LESS_PATTERN = "农业综合服务站", [B, B, S, D, B, S, B, D, S]
REPORT_HTML = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<link rel="stylesheet" href="/static/pdf.css"></head><body>
<p class="issuer">江口镇人民政府</p><hr class="red-rule">
<h1 class="doc-title">关于{year}年度“三清单”落实情况的报告</h1>
<p class="requirements">今年以来，镇政府按照“年初建账、逐月查账、年底交账”的要求，逐项推进政府承诺事项、
代表建议和民生实事项目。集镇道路改造提升项目投入专项资金1200万元，两个月完成主街路面黑化、排水管网和路灯建设；
其余事项按计划推进，具体情况报告如下，请各位代表审议、测评。</p></body></html>"""


def _report(chair, meeting) -> None:
    with force_locale("zh_Hans_CN"):
        pdf = html_to_pdf(REPORT_HTML.format(year=meeting.year))
    upload = store_upload(
        FileStorage(
            io.BytesIO(pdf), filename=f"江口镇人民政府关于{meeting.year}年度三清单落实情况的报告.pdf"
        ),
        user=chair,
        township_id=meeting.township_id,
    )
    operations.attach_report(chair, meeting, [upload])


def _marks(meeting, n: int) -> dict[int, Mark]:
    marks = {}
    for position, line in enumerate(meeting.lines):
        pattern = {LESS_HAPPY: LESS_PATTERN, DISSATISFYING: DISSATISFIED_PATTERN}.get(line.title, PATTERN)
        marks[line.id] = S if line.title == ROAD else pattern[(n + position) % len(pattern)]
    return marks


def _ticks(meeting, n: int) -> dict[int, list[Mark]]:
    return {line_id: [mark] for line_id, mark in _marks(meeting, n).items()}


def _second_clerk(township):
    """The congress staff member (人大专干) who checks the chair's paper entries."""
    clerk = add_demo_account("jk-clerk", "李娟（江口镇人大专干）", Role.presidium, township_id=township.id)
    db.session.flush()
    return clerk


def _item_titled(township, title: str) -> Item | None:
    return db.session.execute(
        select(Item).where(Item.township_id == township.id, Item.title == title)
    ).scalar_one_or_none()


def _sheet_ticks(meeting, serial: int) -> dict:
    """What sheet ``serial`` carries; 003 has a double mark on one line (that line is invalid)."""
    ticks = _ticks(meeting, 100 + serial)
    if serial == 3:
        first_other = next(line.id for line in meeting.lines if line.title != ROAD)
        ticks[first_other] = [S, B]
    return ticks


def seed_closed_meeting(calendar: DemoCalendar, township, chair):
    """The October meeting: 18 of 20 present, 8 paper sheets and 10 phone ballots, closed."""
    clerk = _second_clerk(township)
    meeting = operations.create_meeting(
        chair, year=calendar.year, held_on=calendar.day(10, 16), place="江口镇人民政府三楼会议室"
    )
    # Rated here: the items verified by October in the story, the road, offices (a meeting may rate
    # items in any open state: the upcoming meeting below rates every open item of the year).
    unverified = [
        line.id for line in meeting.lines if line.item and line.item.state is not ItemState.verified
    ]
    if unverified:
        operations.remove_lines(chair, meeting, unverified)
    road = _item_titled(township, ROAD)
    if road is not None:
        operations.add_item_lines(chair, meeting, [road])
    _report(chair, meeting)
    operations.start_roll_call(chair, meeting)
    deputy_ids = [row.deputy_id for row in meeting.roster]
    present = deputy_ids[:-2]
    for deputy_id in deputy_ids:
        operations.mark_attendance(chair, meeting, deputy_id, deputy_id in present)
    operations.open_voting(chair, meeting)
    on_paper, on_phone = present[:8], present[8:]
    for deputy_id in on_paper:
        operations.hand_out(chair, meeting, deputy_id, BallotKind.paper)
    for deputy_id in on_phone:
        operations.hand_out(chair, meeting, deputy_id, BallotKind.phone)
    paper.issue_serials(chair, meeting, list(range(1, len(on_paper) + 1)))
    # One deputy spoiled sheet 005 and was given sheet 009 instead.
    adjustments.exchange_serial(chair, meeting, 5, 9, "代表填写时涂改，收回作废，换发第 009 号")
    serials = [n for n in range(1, len(on_paper) + 2) if n != 5]
    for n, code in enumerate(phone.draw_codes(chair, meeting, len(on_phone))):
        phone.submit_phone_ballot(code, meeting.id, _marks(meeting, n))
    sheets = {serial: _sheet_ticks(meeting, serial) for serial in serials}
    for serial, ticks in sheets.items():
        if serial == 4:  # the chair's slip: the check entry below catches it, a correction settles it
            typo = dict(ticks)
            last = meeting.lines[-1].id
            typo[last] = [D] if ticks[last] != [D] else [S]
            paper.enter_paper(chair, meeting, serial, typo)
            continue
        paper.enter_paper(chair, meeting, serial, ticks)
    # Double entry: the second clerk re-enters every sheet; 004 differs, the chair corrects it.
    for serial, ticks in sheets.items():
        paper.enter_paper(clerk, meeting, serial, ticks)
    paper.correct_ballot(
        chair, meeting, 4, _ticks(meeting, 104), False, "与复核录入不一致，核对原件：最后一项勾选的是复核所录"
    )
    operations.close_voting(chair, meeting)
    operations.apply_results(chair, meeting)
    # Closed (销号) by the meeting's result, as the results page's button does.
    if road is not None:
        item_operations.fire(chair, road, "close")
    publishing.publish_results(chair, meeting)
    # Made by a worker once the demo is committed (`make run` starts one beside the web server).
    changed(documents.SHEETS_KIND, meeting.id)
    changed(documents.SUMMARY_KIND, meeting.id)
    return meeting


def seed_upcoming_meeting(calendar: DemoCalendar, township, chair):
    """A meeting a few weeks ahead, ready for roll call: every open item of the year, under
    supervision or done, the item rated dissatisfied in October among them (re-rated); opening its
    vote before its date asks for an early start with a reason. Made once the lists' story since
    October is told (an item verified, one carried over into next year): a meeting's lines are
    chosen when it is made, and a real one is made with the year's items as they stand."""
    meeting = operations.create_meeting(
        chair,
        year=calendar.year,
        held_on=calendar.today + timedelta(days=21),
        place="江口镇人民政府三楼会议室",
    )
    again = _item_titled(township, DISSATISFYING)
    if again is not None and again.rerate_deadline is not None:
        operations.add_item_lines(chair, meeting, [again])
    operations.start_roll_call(chair, meeting)
    return meeting


def _with_request(seed, *args) -> None:
    # Documents are rendered with url_for: outside a request (flask seed-demo) lend them one.
    context = nullcontext() if has_request_context() else current_app.test_request_context()
    with context:
        seed(*args)
    db.session.flush()


def seed_evaluation(calendar: DemoCalendar, township, chair) -> None:
    """The October meeting; call after the lists (what is rated) exist."""
    _with_request(seed_closed_meeting, calendar, township, chair)


def seed_upcoming_evaluation(calendar: DemoCalendar, township, chair) -> None:
    """The upcoming meeting; call after what happened to the lists since October."""
    _with_request(seed_upcoming_meeting, calendar, township, chair)
