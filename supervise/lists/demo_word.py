"""The demo's livelihood list of the year as the township published it: a table in a Word document,
generated here and run through the import (preview, unit names mapped, confirmation), so that the
demo proves the import of a real list: sections as categories, a joint lead, approximate amounts,
a project into next year, and unit names the township did not have."""

from __future__ import annotations

from sqlalchemy import select

from ..core.word import table_document
from ..extensions import db
from ..org.models import Office
from . import importing
from . import operations as ops
from .models import ListKind, SupervisionList

HEADER = [
    "序号",
    "项目名称",
    "建设内容",
    "实施地点",
    "牵头单位",
    "配合单位",
    "分管领导",
    "完成时限",
    "计划投资（万元）",
    "资金来源",
    "级别",
    "项目来源",
]


def word_list(year: int) -> bytes:
    """江口镇's livelihood projects of ``year``, as the government office types them into Word."""
    voted = f"{year} 年镇人代会票决"
    rows: list[list[str] | str] = [
        "一、医疗卫生（1项）",
        [
            "1",
            "村卫生室标准化建设",
            "新建、改造村卫生室 4 个",
            "各村",
            "镇社会保障服务站",
            "江口镇中心卫生院",
            "赵丽",
            "年底",
            "180",
            "县卫健局补助、镇级配套",
            "镇级",
            f"{voted}（赞成 18 票）",
        ],
        "二、教育（1项）",
        [
            "2",
            "江口中心幼儿园扩建",
            "新增学位 90 个，改造户外活动场地",
            "江口社区",
            "社会事务办公室、规划建设环保办公室",
            "财政所",
            "李秀英",
            f"{year + 1}年8月底",
            "约650万元",
            "县教育局专项、镇级配套",
            "县级",
            f"{voted}（赞成 17 票）",
        ],
        "三、交通出行（2项）",
        [
            "3",
            "高桥至沙坪村道安全防护",
            "安装波形护栏 3.5 公里",
            "高桥村、沙坪村",
            "规划建设环保办公室",
            "镇交通运输站",
            "张建国",
            "下半年",
            "120余万元",
            "县交通运输局补助",
            "镇级",
            f"{voted}（赞成 19 票）",
        ],
        [
            "4",
            "集镇公交候车亭建设",
            "新建港湾式候车亭 6 座",
            "江口集镇",
            "经济发展办公室",
            "规划建设环保办公室",
            "刘海波",
            "第四季度",
            "35.6",
            "镇级财政",
            "镇级",
            f"{voted}（赞成 16 票）",
        ],
    ]
    return table_document(f"江口镇{year}年民生实事项目清单", HEADER, rows, note="江口镇人民政府")


def seed_word_livelihood_list(chair, township, year: int) -> SupervisionList:
    """Import the Word list into the year's livelihood list as the chair would: the preview's
    suggestion taken for 镇社会保障服务站, the school and the transport station created, then confirm."""
    livelihood = ops.create_list(chair, township.id, year, ListKind.livelihood)
    data = word_list(year)
    preview = importing.parse_items(data, livelihood, max_rows=1000)
    if not preview.ok:
        raise RuntimeError(f"the demo's Word list has problems: {preview.problems}")
    suggestions = importing.unit_suggestions(livelihood, preview.new_names)
    offices = {
        o.name: o.id
        for o in db.session.execute(select(Office).where(Office.township_id == township.id)).scalars()
    }
    choices: dict[str, int | None] = {}
    for name, suggestion in suggestions.items():
        choices[name] = offices[suggestion.name] if suggestion and suggestion.close else None
    result = importing.import_items(chair, data, livelihood, 1000, choices)
    if not result.ok:
        raise RuntimeError(f"the demo's Word list did not import: {result.problems}")
    ops.confirm_list(chair, livelihood)
    return livelihood
