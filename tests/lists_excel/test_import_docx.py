"""Importing a list published as a Word (.docx) table: the same preview, mapping and all-or-nothing
confirmation as an .xlsx; bad Word files say what is wrong."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn
from sqlalchemy import select

from supervise.core.word import table_document
from supervise.extensions import db
from supervise.lists.import_preview import choice_field
from supervise.lists.models import Item
from supervise.org.models import Office
from tests.helpers import count, html_of, zip_of

from .conftest import confirm_form, nothing_written, preview, reported, upload

HEADER = ["序号", "事项", "主要内容", "责任单位", "协办单位", "完成时限", "计划投资", "级别"]
ROWS: list[list[str] | str] = [
    "一、教育",
    [
        "1",
        "中心小学运动场改造",
        "塑胶跑道 300 米",
        "社会事务办/江口镇中心学校",
        "",
        "2026年8月",
        "约150万元",
        "镇级",
    ],
    ["2", "幼儿园扩建", "新增学位 90 个", "社会事务办", "财政所", "2027年上半年", "1100多万元", "县级"],
    "二、交通（2项）",
    ["3", "产业路硬化", "硬化 6 公里", "交通运输站和水利站", "", "年底", "335.1545", "镇级"],
    ["4", "村道安全护栏", "安装护栏 2 公里", "交通运输站", "水利站", "十月底前", "85", ""],
]


def word_list(rows=ROWS, header=HEADER) -> bytes:
    return table_document("江口镇2026年政府承诺事项清单", header, rows, note="江口镇人民政府 2026年1月")


def items_of(supervision_list) -> dict[str, Item]:
    query = select(Item).where(Item.list_id == supervision_list.id).order_by(Item.number)
    return {item.title: item for item in db.session.execute(query).scalars()}


def test_a_word_table_imports_after_its_preview(client, factory, login_as, jiangkou):
    factory.office(jiangkou.township, "社会事务办公室")
    login_as("presidium")

    shown = preview(client, jiangkou.commitments.id, word_list(), "清单.docx")

    html = html_of(shown)
    assert "将新建 4 个事项" in html and count(Item) == 0
    assert "江口镇中心学校" in html and "社会事务办" in html
    action, choices = confirm_form(shown)
    assert choices[choice_field("社会事务办")] == str(
        db.session.execute(select(Office.id).where(Office.name == "社会事务办公室")).scalar_one()
    )  # 办 for 办公室: suggested and chosen
    assert choices[choice_field("江口镇中心学校")] == "new"

    response = client.post(action, data=choices)

    assert response.status_code == 302
    items = items_of(jiangkou.commitments)
    field, kindergarten, road, rail = (
        items["中心小学运动场改造"],
        items["幼儿园扩建"],
        items["产业路硬化"],
        items["村道安全护栏"],
    )
    assert field.lead_office.name == "社会事务办公室"
    assert [o.name for o in field.joint_lead_offices] == ["江口镇中心学校"]
    assert (field.category, field.deadline, field.deadline_text) == ("教育", date(2026, 8, 31), "2026年8月")
    assert (field.planned_funds, field.planned_funds_approx) == (Decimal("150.00"), True)
    assert (kindergarten.end_year, kindergarten.deadline) == (2027, date(2027, 6, 30))
    assert kindergarten.planned_funds_approx and kindergarten.level.value == "county"
    assert [o.name for o in kindergarten.assisting_offices] == ["财政所"]
    assert road.lead_office == jiangkou.transport and road.joint_lead_offices == [jiangkou.water]
    assert (road.category, road.planned_funds, road.deadline) == (
        "交通",
        Decimal("335.15"),
        date(2026, 12, 31),
    )
    assert (rail.deadline, rail.category, rail.level) == (date(2026, 10, 31), "交通", None)
    assert jiangkou.commitments.categories == ["教育", "交通"]
    assert "江口镇中心学校" in {o.name for o in db.session.execute(select(Office)).scalars()}


def test_a_lead_cell_merged_down_leads_every_row_it_covers(client, login_as, jiangkou):
    document = Document()
    table = document.add_table(rows=3, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "工程名称", "主办单位"
    table.rows[1].cells[0].text, table.rows[2].cells[0].text = "一号工程", "二号工程"
    table.cell(1, 1).merge(table.cell(2, 1)).text = "水利站"
    buffer = io.BytesIO()
    document.save(buffer)
    login_as("presidium")

    assert upload(client, jiangkou.commitments.id, buffer.getvalue(), "清单.docx").status_code == 302

    assert {item.lead_office.name for item in items_of(jiangkou.commitments).values()} == {"水利站"}


def test_one_wrong_row_in_a_word_table_writes_nothing(client, login_as, jiangkou):
    login_as("presidium")
    wrong = ["5", "", "", "水利站", "", "下下个月", "", "省级"]

    response = upload(client, jiangkou.commitments.id, word_list([*ROWS, wrong]), "清单.docx")

    assert [(row, column) for row, column, _reason in reported(response)] == [
        ("8", "事项"),
        ("8", "完成时限"),
        ("8", "级别"),
    ]
    assert nothing_written()
    assert "江口镇中心学校" not in {o.name for o in db.session.execute(select(Office)).scalars()}


def test_a_word_table_of_2000_rows_previews_in_a_few_statements(client, login_as, jiangkou, count_queries):
    login_as("presidium")
    rows = [
        [str(n), f"事项{n:04d}", "", "交通运输站、新的站", "水利站", "6月底", "约12万元", ""]
        for n in range(2000)
    ]

    with count_queries() as counter:
        response = preview(client, jiangkou.commitments.id, word_list(rows), "清单.docx")

    assert "将新建 2000 个事项" in html_of(response) and "另有 1800 行未在此列出" in html_of(response)
    assert counter.count < 30


def _no_table() -> bytes:
    document = Document()
    document.add_paragraph("关于公布 2026 年民生实事项目的通知")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _bad_span(value: str) -> bytes:
    """A list whose first data cell claims to span ``value`` columns (a crafted or broken file)."""
    document = Document(io.BytesIO(table_document("清单", HEADER, [["1"] * len(HEADER)])))
    cell = document.tables[0].rows[1].cells[0]._tc
    span = cell.get_or_add_tcPr().makeelement(qn("w:gridSpan"), {qn("w:val"): value})
    cell.get_or_add_tcPr().append(span)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


BAD_WORD_FILES = {
    "a span that is no number": (lambda: _bad_span("abc"), "无法读取这个 .docx 文件"),
    "no table": (_no_table, "文件中没有表格"),
    "a table of something else": (
        lambda: table_document("名单", ["姓名", "电话"], [["张三", "1"]]),
        "缺少列：事项名称、主办单位。",
    ),
    "only its header": (lambda: table_document("清单", HEADER, []), "文件中没有事项数据。"),
    "old .doc": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "“另存为 .docx”"),
    "cut short": (lambda: word_list()[:3000], "文件已损坏"),
    "zip bomb": (
        lambda: zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (60 * 1024 * 1024)}),
        "文件解压后过大，疑似异常文件，已拒绝。",
    ),
}


@pytest.mark.parametrize("case", BAD_WORD_FILES)
def test_a_word_file_that_holds_no_list_says_why(client, login_as, jiangkou, case):
    make, reason = BAD_WORD_FILES[case]
    login_as("presidium")

    response = upload(client, jiangkou.commitments.id, make(), "清单.docx")

    [(_row, _column, message)] = reported(response)
    assert reason in message
    assert "文件“清单.docx”" in html_of(response)
    assert nothing_written()


def test_a_heading_over_two_columns_reads_its_second_header_row(client, login_as, jiangkou):
    """计划投资（万元） merged over 总投资 and 本年度; 序号, 项目名称 and 牵头单位 merged down two rows."""
    document = Document()
    table = document.add_table(rows=4, cols=5)
    for index, text in enumerate(["序号", "项目名称", "计划投资（万元）", "", "牵头单位"]):
        table.cell(0, index).text = text
    table.cell(0, 2).merge(table.cell(0, 3)).text = "计划投资（万元）"
    for index in (0, 1, 4):
        table.cell(0, index).merge(table.cell(1, index))
    table.cell(1, 2).text, table.cell(1, 3).text = "总投资", "其中：本年度"
    for row, cells in ((2, ["1", "道路", "300", "约120", "水利站"]), (3, ["2", "桥", "50", "", "水利站"])):
        for index, text in enumerate(cells):
            table.cell(row, index).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    login_as("presidium")

    response = upload(client, jiangkou.commitments.id, buffer.getvalue(), "清单.docx")

    assert response.status_code == 302, reported(response)
    items = items_of(jiangkou.commitments)
    road, bridge = items["道路"], items["桥"]
    assert (road.planned_funds, road.planned_funds_this_year) == (Decimal("300.00"), Decimal("120.00"))
    assert (bridge.planned_funds, bridge.planned_funds_this_year) == (Decimal("50.00"), None)
    assert road.planned_funds_approx is False  # the approximate flag is the total's


def test_the_header_repeated_inside_the_table_is_no_item(client, login_as, jiangkou):
    login_as("presidium")
    rows = [ROWS[2], HEADER, ROWS[4]]

    assert upload(client, jiangkou.commitments.id, word_list(rows), "清单.docx").status_code == 302

    assert list(items_of(jiangkou.commitments)) == ["幼儿园扩建", "产业路硬化"]
