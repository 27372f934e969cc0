"""Demo evaluation meetings for 江口镇, run through the same operations the pages use.

A closed meeting of October 2026 (the market-town road rated 100% satisfied, as in the seed article)
with paper and phone ballots, results recorded on the items, published to the public board, its
PDFs stored; and an upcoming meeting whose roll call has started.
"""

from __future__ import annotations

import io
from contextlib import nullcontext
from datetime import date, timedelta

from flask import current_app, has_request_context
from flask_babel import force_locale
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ..core.clock import today
from ..core.pdf import html_to_pdf
from ..extensions import db
from ..lists.models import Item
from ..uploads.storage import store_upload
from . import documents, operations, paper, phone, publishing
from .models import BallotKind, Mark

ROAD = "集镇道路改造提升项目"
S, B, D = Mark.satisfied, Mark.basic, Mark.dissatisfied
# Marks of the non-road lines, ballot by ballot (cycled): mostly satisfied, some basically, a few not.
PATTERN = [S, S, B, S, S, D, S, B, S, S, S, B]
# One office the deputies were less happy with: it comes out 基本满意.
LESS_HAPPY, LESS_PATTERN = "农业综合服务站", [B, B, S, D, B, S, B, D, S]
REPORT_HTML = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<link rel="stylesheet" href="/static/pdf.css"></head><body>
<p class="issuer">江口镇人民政府</p><hr class="red-rule">
<h1 class="doc-title">关于2026年度“三清单”落实情况的报告</h1>
<p class="requirements">今年以来，镇政府按照“年初建账、逐月查账、年底交账”的要求，逐项推进政府承诺事项、
代表建议和民生实事项目。集镇道路改造提升项目投入专项资金1200万元，两个月完成主街路面黑化、排水管网和路灯建设；
其余事项按计划推进，具体情况报告如下，请各位代表审议、测评。</p></body></html>"""


def _report(chair, meeting) -> None:
    with force_locale("zh_Hans_CN"):
        pdf = html_to_pdf(REPORT_HTML)
    upload = store_upload(
        FileStorage(io.BytesIO(pdf), filename="江口镇人民政府关于2026年度三清单落实情况的报告.pdf"),
        user=chair,
        township_id=meeting.township_id,
    )
    operations.attach_report(chair, meeting, [upload])


def _marks(meeting, n: int) -> dict[int, Mark]:
    marks = {}
    for position, line in enumerate(meeting.lines):
        pattern = LESS_PATTERN if line.title == LESS_HAPPY else PATTERN
        marks[line.id] = S if line.title == ROAD else pattern[(n + position) % len(pattern)]
    return marks


def _ticks(meeting, n: int) -> dict[int, list[Mark]]:
    return {line_id: [mark] for line_id, mark in _marks(meeting, n).items()}


def seed_closed_meeting(township, chair):
    """The October 2026 meeting: 18 of 20 present, 8 paper sheets and 10 phone ballots, closed."""
    meeting = operations.create_meeting(
        chair, year=2026, held_on=date(2026, 10, 16), place="江口镇人民政府三楼会议室"
    )
    road = db.session.execute(
        select(Item).where(Item.township_id == township.id, Item.title == ROAD)
    ).scalar_one_or_none()
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
    serials = list(range(1, len(on_paper) + 1))
    paper.issue_serials(chair, meeting, serials)
    for n, code in enumerate(phone.draw_codes(chair, meeting, len(on_phone))):
        phone.submit_phone_ballot(code, meeting.id, _marks(meeting, n))
    for serial in serials:
        ticks = _ticks(meeting, 100 + serial)
        if serial == 3:  # a double mark on one line: that line of this sheet is invalid
            first_other = next(line.id for line in meeting.lines if line.title != ROAD)
            ticks[first_other] = [S, B]
        paper.enter_paper(chair, meeting, serial, ticks)
    operations.close_voting(chair, meeting)
    operations.apply_results(chair, meeting)
    publishing.publish_results(chair, meeting)
    documents.sheets_pdf(meeting)
    documents.summary_pdf(meeting)
    return meeting


def seed_upcoming_meeting(chair):
    """A meeting a few weeks ahead, prepared, its roll call started: ready for the clerk."""
    meeting = operations.create_meeting(
        chair, year=2026, held_on=today() + timedelta(days=21), place="江口镇人民政府三楼会议室"
    )
    operations.start_roll_call(chair, meeting)
    return meeting


def seed_evaluation(township, chair) -> None:
    """Both meetings; call after the lists (what is rated) exist."""
    # Documents are rendered with url_for: outside a request (flask seed-demo) lend them one.
    context = nullcontext() if has_request_context() else current_app.test_request_context()
    with context:
        seed_closed_meeting(township, chair)
        seed_upcoming_meeting(chair)
    db.session.flush()
