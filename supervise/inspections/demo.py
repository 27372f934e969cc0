"""Demo inspections (监督活动) for 江口镇: one of each method, one with a photo, and a deputy's draft."""

from __future__ import annotations

import io
import random
from datetime import timedelta

from PIL import Image, ImageDraw
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ..core.demo_calendar import DemoCalendar
from ..extensions import db
from ..lists.models import Item
from ..org.models import LiaisonStation
from ..uploads.storage import store_upload
from . import operations as ops
from .models import Finding, InspectionMethod


def road_photo() -> bytes:
    """A drawn 'photo' of a cracked village road (made here, so the demo ships no image files)."""
    width, height = 1600, 1200
    image = Image.new("RGB", (width, height), (168, 200, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 520, width, height), fill=(96, 140, 72))  # fields
    draw.polygon([(700, 520), (900, 520), (1500, height), (100, height)], fill=(120, 120, 118))  # the road
    draw.polygon([(640, 520), (700, 520), (100, height), (0, height)], fill=(150, 120, 80))  # the ditch
    rng = random.Random(7)
    for start in ((760, 700), (900, 850), (640, 1000)):
        x, y = start
        points = [(x, y)]
        for _ in range(12):
            x, y = x + rng.randint(-40, 50), y + rng.randint(8, 30)
            points.append((x, y))
        draw.line(points, fill=(35, 35, 35), width=6)
    for ridge in range(0, width, 200):
        draw.polygon([(ridge, 520), (ridge + 100, 380), (ridge + 200, 520)], fill=(70, 110, 80))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _item(calendar: DemoCalendar, number: str) -> Item:
    """The demo item of the story's year numbered ``number`` ("C-002")."""
    return db.session.execute(select(Item).where(Item.code == calendar.code(number))).scalar_one()


def seed_inspections(calendar: DemoCalendar, township, chair, deputy_users: dict) -> dict[str, Finding]:
    """Return the filed findings the demo's follow-up sheets cite, by a short key."""
    users = list(deputy_users.values())
    yang, second, third = users[0], users[1], users[2]
    stations = {
        s.name: s
        for s in db.session.execute(
            select(LiaisonStation).where(LiaisonStation.township_id == township.id)
        ).scalars()
    }
    station = next(iter(stations.values()))
    day = calendar.today

    def record(user, method, days_ago, place, participants, notes, findings, **extra):
        fields = {
            "method": method,
            "held_on": day - timedelta(days=days_ago),
            "place": place,
            "station_id": station.id,
            "notes": notes,
            **extra,
        }
        drafts = [
            ops.FindingDraft(text, [_item(calendar, c).id for c in codes], files)
            for text, codes, files in findings
        ]
        inspection = ops.create_inspection(user, fields, [u.deputy_id for u in participants], drafts)
        return inspection

    photo = store_upload(
        FileStorage(io.BytesIO(road_photo()), filename="沙坪村产业路裂缝.jpg"),
        user=yang,
        township_id=township.id,
    )
    tour = record(
        yang,
        InspectionMethod.tour,
        40,
        "沙坪村产业路、集镇污水处理站",
        [yang, second, third],
        "代表小组沿沙坪村产业路步行查看了 2.1 公里已完工路段，随后到集镇污水处理站了解提标改造进度。",
        [
            ("部分路段路面出现裂缝，排水边沟未按设计施工。", ["C-001"], [photo]),
            ("提标改造工程进度滞后于计划约两个月，配套管网尚未开工。", ["C-002"], []),
        ],
    )
    ops.file_inspection(yang, tour)
    ops.add_note(yang, tour, "补充：裂缝集中在 K1+200 至 K1+520 段，约 320 米。")

    unannounced = record(
        chair,
        InspectionMethod.unannounced,
        25,
        "沙坪村急弯路段、高桥村小学",
        [second, third],
        "主席团带领代表不打招呼、直奔现场，查看镇村道路安全隐患整改情况。",
        [
            ("沙坪村急弯路段未设置警示标志和防护栏。", ["C-005"], []),
            ("高桥村小学门前缺少减速带，上下学时段车速快。", [], []),
        ],
    )
    ops.file_inspection(chair, unannounced)

    questionnaire = record(
        yang,
        InspectionMethod.questionnaire,
        12,
        "高桥村三组、四组",
        [yang, third],
        "入户发放问卷，召开院坝座谈会一次。",
        [
            ("高桥村三组、四组枯水期仍有间歇性停水。", ["C-003"], []),
            # Not yet on a sheet: the chair can pick it when drafting the next one.
            ("新建蓄水池周边未设置防护栏，有儿童在附近玩耍。", ["C-003"], []),
        ],
        residents_visited=36,
        residents_summary="36 户中 29 户反映枯水期停水，希望尽快扩容水源；多数群众对新建蓄水池表示满意。",
    )
    ops.file_inspection(yang, questionnaire)

    # A deputy's unfinished draft: only its author sees it.
    record(
        yang,
        InspectionMethod.tour,
        1,
        "冷水沟村河堤",
        [yang],
        "（未写完）",
        [("河堤护栏有松动。", ["C-004"], [])],
    )
    return {
        "road": tour.findings[0],
        "sewage": tour.findings[1],
        "bend": unannounced.findings[0],
        "school": unannounced.findings[1],
        "water": questionnaire.findings[0],
    }
