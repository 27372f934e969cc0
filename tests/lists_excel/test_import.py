"""Importing a list's items from .xlsx: every row is checked first; one bad row imports nothing."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from supervise.extensions import db
from supervise.lists import operations
from supervise.lists.importing import REQUIRED_HEADERS, SUGGESTION_HEADERS, TEMPLATE_HEADERS
from supervise.lists.models import Item, ItemEvent, ItemState
from tests.helpers import count, cut_short, damaged_zip, html_of, lying_zip, zip_bomb, zip_of

from .conftest import good, hand_made_xlsx, nothing_written, reported, sheet, upload

SUGGESTION = TEMPLATE_HEADERS + SUGGESTION_HEADERS


def items_of(supervision_list) -> dict[str, Item]:
    query = select(Item).where(Item.list_id == supervision_list.id).order_by(Item.number)
    return {item.title: item for item in db.session.execute(query).scalars()}


# ---- the template ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind, headers", [("commitments", TEMPLATE_HEADERS), ("suggestions", SUGGESTION)])
def test_the_template_has_the_lists_chinese_headers(client, login_as, jiangkou, kind, headers):
    login_as("presidium")

    response = client.get(f"/lists/{getattr(jiangkou, kind).id}/import/template.xlsx")

    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    assert [cell.value for cell in workbook.worksheets[0][1]] == headers
    notes = [row[0] for row in workbook["填写说明"].iter_rows(values_only=True)]
    assert {"交通运输站", "水利站"} <= set(notes)
    assert "旧农机站" not in notes and "城关水务站" not in notes


def test_the_filled_in_template_imports(client, login_as, jiangkou):
    login_as("presidium")
    workbook = load_workbook(
        io.BytesIO(client.get(f"/lists/{jiangkou.commitments.id}/import/template.xlsx").data)
    )
    workbook.worksheets[0].append([good().get(header) for header in TEMPLATE_HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = upload(client, jiangkou.commitments.id, buffer.getvalue())

    assert response.status_code == 302
    assert list(items_of(jiangkou.commitments)) == ["集镇道路改造提升项目"]


def test_the_import_page_offers_the_template(client, login_as, jiangkou):
    login_as("presidium")

    html = html_of(client.get(f"/lists/{jiangkou.commitments.id}/import"))

    assert f"/lists/{jiangkou.commitments.id}/import/template.xlsx" in html
    assert 'enctype="multipart/form-data"' in html


def test_the_list_page_links_to_the_import_for_the_presidium(client, login_as, jiangkou):
    login_as("presidium")

    html = html_of(client.get(f"/lists/{jiangkou.commitments.id}"))

    assert f"/lists/{jiangkou.commitments.id}/import" in html


# ---- good files ------------------------------------------------------------------------------


def test_every_row_becomes_a_numbered_draft_item_with_its_create_event(client, factory, login_as, jiangkou):
    chair = login_as("presidium")
    operations.create_item(chair, jiangkou.commitments, {"title": "已有事项"})
    data = sheet(
        good(),
        {"事项名称": "村级卫生室建设"},  # only the title: everything else may be filled in later
        {},  # a blank line in the middle is skipped
        good(
            "河堤加固工程",
            **{
                "主办单位": "水利站",
                "协办单位": "交通运输站、水利站,交通运输站",
                "完成时限": datetime(2026, 6, 30),
                "计划资金（万元）": "85.5",
                "影响面广": None,
                "群众关注度高": "否",
                "推进难度大": "是",
            },
        ),
    )

    response = upload(client, jiangkou.commitments.id, data)

    assert response.status_code == 302
    assert response.location.endswith(f"/lists/{jiangkou.commitments.id}")
    items = items_of(jiangkou.commitments)
    assert list(items) == ["已有事项", "集镇道路改造提升项目", "村级卫生室建设", "河堤加固工程"]
    road, clinic, dyke = items["集镇道路改造提升项目"], items["村级卫生室建设"], items["河堤加固工程"]
    slug = jiangkou.township.slug
    assert [road.code, clinic.code, dyke.code] == [
        f"{slug}-2026-C-002",
        f"{slug}-2026-C-003",
        f"{slug}-2026-C-004",
    ]
    assert {road.state, clinic.state, dyke.state} == {ItemState.draft}
    assert road.description == "改造集镇主干道 1.2 公里" and road.area == "江口村"
    assert road.lead_office_id == jiangkou.transport.id
    assert [o.name for o in road.assisting_offices] == ["水利站"]
    assert road.leader_name == "张建国" and road.target == "两个月内完工并通过验收"
    assert road.deadline == date(2026, 10, 31) and road.planned_funds == Decimal("1200.00")
    assert (road.wide_impact, road.public_attention, road.high_difficulty) == (True, True, False)
    assert road.source == "政府工作报告"
    assert clinic.lead_office_id is None and clinic.deadline is None and clinic.planned_funds is None
    assert clinic.description == "" and clinic.target == ""
    assert sorted(o.name for o in dyke.assisting_offices) == ["交通运输站", "水利站"]
    assert dyke.deadline == date(2026, 6, 30) and dyke.planned_funds == Decimal("85.50")
    assert (dyke.wide_impact, dyke.public_attention, dyke.high_difficulty) == (False, False, True)
    assert f"已导入 3 个事项（{slug}-2026-C-002 至 {slug}-2026-C-004）。" in html_of(
        client.get(response.location)
    )


def test_an_imported_item_is_made_as_create_item_makes_one(client, login_as, jiangkou):
    """Same state, version and "create" event as an item added on the form."""
    chair = login_as("presidium")
    by_hand = operations.create_item(chair, jiangkou.commitments, {"title": "手工添加"})

    assert upload(client, jiangkou.commitments.id, sheet(good("导入添加"))).status_code == 302

    imported = items_of(jiangkou.commitments)["导入添加"]
    [hand_event], [import_event] = by_hand.events, imported.events

    def shape(item, event):
        return (
            item.state,
            item.version,
            event.actor_id,
            event.action,
            event.from_state,
            event.to_state,
            event.reason,
            event.item_version,
            event.details,
        )

    assert shape(imported, import_event) == shape(by_hand, hand_event)
    assert imported.created_at is not None and import_event.at is not None


def test_items_imported_into_a_confirmed_list_wait_as_drafts(client, login_as, jiangkou):
    login_as("presidium")

    response = upload(
        client,
        jiangkou.suggestions.id,
        sheet(
            good("修建便民桥", **{"提出建议的代表": "陈光明、李秀英", "交办日期": "2026-03-15"}),
            headers=SUGGESTION,
        ),
    )

    assert response.status_code == 302
    bridge = items_of(jiangkou.suggestions)["修建便民桥"]
    assert bridge.state is ItemState.draft  # listed when the list page confirms it
    assert bridge.code.endswith("-2026-S-001")
    assert sorted(d.name for d in bridge.proposers) == ["李秀英", "陈光明"]
    assert bridge.handed_over_on == date(2026, 3, 15)
    assert bridge.answer_due == date(2026, 6, 15)


def test_columns_may_come_in_any_order_and_extra_columns_are_ignored(client, login_as, jiangkou):
    login_as("presidium")
    headers = ["备注", *reversed(TEMPLATE_HEADERS)]

    response = upload(client, jiangkou.commitments.id, sheet(good(备注="不导入"), headers=headers))

    assert response.status_code == 302
    assert items_of(jiangkou.commitments)["集镇道路改造提升项目"].lead_office_id == jiangkou.transport.id


def test_an_apostrophe_put_before_a_formula_by_the_export_is_taken_off(client, login_as, jiangkou):
    login_as("presidium")

    response = upload(client, jiangkou.commitments.id, sheet(good("'=1+1 号工程", 来源="'@镇人大")))

    assert response.status_code == 302
    item = items_of(jiangkou.commitments)["=1+1 号工程"]
    assert item.source == "@镇人大"


def test_blank_formatted_rows_are_neither_data_nor_errors(app, client, login_as, jiangkou):
    app.config["IMPORT_MAX_ROWS"] = 2
    login_as("presidium")
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.append(TEMPLATE_HEADERS)
    worksheet.append([good("一").get(h) for h in TEMPLATE_HEADERS])
    worksheet.append([good("二").get(h) for h in TEMPLATE_HEADERS])
    for row in range(4, 200):
        worksheet.cell(row=row, column=1).number_format = "@"  # styled, but empty
        worksheet.cell(row=row, column=2).value = "  "
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = upload(client, jiangkou.commitments.id, buffer.getvalue())

    assert response.status_code == 302
    assert count(Item) == 2


def test_ten_thousand_rows_import_in_a_few_statements(client, login_as, jiangkou, count_queries):
    """The limit's worth of rows: no statement per row (offices are looked up once, rows inserted
    in batches), so the file goes in within a request's time. Timings live in bench/import_items.py."""
    login_as("presidium")
    data = sheet(*(good(f"事项{n:05d}", 协办单位="水利站") for n in range(10_000)))

    with count_queries() as counter:
        response = upload(client, jiangkou.commitments.id, data)

    assert response.status_code == 302, reported(response)[:5]
    assert count(Item) == 10_000 and count(ItemEvent) == 10_000
    assert counter.count < 100  # 3 INSERTs per 500 rows, a few lookups: not one per row
    last = db.session.execute(select(Item).where(Item.number == 10_000)).scalar_one()
    assert last.title == "事项09999" and [o.name for o in last.assisting_offices] == ["水利站"]


# ---- bad rows: all reported, nothing written ----------------------------------------------------


def test_every_bad_row_is_reported_and_nothing_is_imported(client, factory, login_as, jiangkou):
    factory.item("listed", title="已在清单中的事项", township=jiangkou.township)
    login_as("presidium")
    before = count(Item)
    data = sheet(
        good("良好的一行"),  # 2: good, but not imported either
        good(""),  # 3
        good("不存在的站所", 主办单位="农业综合服务站"),  # 4
        good("已停用的站所", 主办单位="旧农机站"),  # 5
        good("邻镇的站所", 主办单位="城关水务站", 协办单位="水利站、城关水务站"),  # 6
        good("日期写错", 完成时限="2026-13-01"),  # 7
        good("日期写成了话", 完成时限="明年年底"),  # 8
        good("日期是普通数字", 完成时限=46000),  # 9
        good("资金为负", **{"计划资金（万元）": -5}),  # 10
        good("资金不是数字", **{"计划资金（万元）": "一千万"}),  # 11
        good("标记写错", 影响面广="有"),  # 12
        good("良好的一行"),  # 13
        good("已在清单中的事项"),  # 14
        good("长" * 201),  # 15
        good("建议专用列", 提出建议的代表="陈光明"),  # 16
        good("日期在 1900 年", 完成时限=datetime(1900, 1, 5)),  # 17
        headers=[*TEMPLATE_HEADERS, "提出建议的代表"],
    )

    response = upload(client, jiangkou.commitments.id, data)

    assert reported(response) == [
        ("3", "事项名称", "事项名称不能为空。"),
        ("4", "主办单位", "本镇没有站所“农业综合服务站”。"),
        ("5", "主办单位", "站所“旧农机站”已停用。"),
        ("6", "主办单位", "本镇没有站所“城关水务站”。"),
        ("6", "协办单位", "本镇没有站所“城关水务站”。"),
        ("7", "完成时限", "“2026-13-01”不是有效日期，请填 Excel 日期或 2026-12-31 这样的文字。"),
        ("8", "完成时限", "“明年年底”不是有效日期，请填 Excel 日期或 2026-12-31 这样的文字。"),
        ("9", "完成时限", "“46000”不是有效日期，请填 Excel 日期或 2026-12-31 这样的文字。"),
        ("10", "计划资金（万元）", "资金不能为负数。"),
        ("11", "计划资金（万元）", "“一千万”不是数字。"),
        ("12", "影响面广", "请填“是”或“否”，不填视为“否”。"),
        ("13", "事项名称", "与第 2 行的事项名称重复。"),
        ("14", "事项名称", "清单中已有同名事项“已在清单中的事项”。"),
        ("15", "事项名称", "不能超过 200 个字。"),
        ("16", "提出建议的代表", "只有“代表建议”清单可以填写这一列。"),
        ("17", "完成时限", "日期 1900-01-05 的年份应在 2000 到 2100 之间。"),
    ]
    assert count(Item) == before
    assert count(ItemEvent) == 0


def test_unknown_or_ambiguous_proposers_are_reported(client, factory, login_as, jiangkou):
    factory.deputy(jiangkou.township, "王伟")
    factory.deputy(jiangkou.township, "王伟")
    login_as("presidium")
    data = sheet(
        good("一", 提出建议的代表="陈光明、张无名"),
        good("二", 提出建议的代表="王伟", 交办日期="3月15日"),
        headers=SUGGESTION,
    )

    response = upload(client, jiangkou.suggestions.id, data)

    assert reported(response) == [
        ("2", "提出建议的代表", "本镇没有代表“张无名”。"),
        ("3", "提出建议的代表", "本镇有多名代表叫“王伟”，请导入后在事项中选择。"),
        ("3", "交办日期", "“3月15日”不是有效日期，请填 Excel 日期或 2026-12-31 这样的文字。"),
    ]
    assert nothing_written()


def test_codes_already_in_the_system_or_repeated_in_the_file_are_reported(
    client, factory, login_as, jiangkou
):
    existing = factory.item("listed", township=jiangkou.township)
    login_as("presidium")
    data = sheet(
        good("一", 编号=existing.code),
        good("二", 编号="jiangkou-2026-C-900"),
        good("三", 编号="jiangkou-2026-C-900"),
        good("四", 编号=""),
        headers=["编号", *TEMPLATE_HEADERS],
    )

    response = upload(client, jiangkou.commitments.id, data)

    assert reported(response) == [
        ("2", "编号", f"编号“{existing.code}”已存在。"),
        ("4", "编号", "与第 3 行的编号重复。"),
    ]
    assert count(Item) == 1


def test_re_importing_an_export_reports_every_code(client, factory, login_as, jiangkou):
    """The export carries the template's columns and the codes: importing it twice is caught."""
    login_as("presidium")
    assert upload(client, jiangkou.commitments.id, sheet(good("一"), good("二"))).status_code == 302
    exported = client.get(f"/items/export.xlsx?list={jiangkou.commitments.id}").data
    other = factory.supervision_list("commitment", 2027, jiangkou.township, confirmed=False)

    response = upload(client, other.id, exported)

    slug = jiangkou.township.slug
    assert reported(response) == [
        ("2", "编号", f"编号“{slug}-2026-C-001”已存在。"),
        ("3", "编号", f"编号“{slug}-2026-C-002”已存在。"),
    ]


def test_hundreds_of_problems_show_the_first_two_hundred_and_count_the_rest(client, login_as, jiangkou):
    login_as("presidium")
    data = sheet(*(good(f"事项{n}", 主办单位="不存在的站所", 完成时限="不详") for n in range(150)))

    response = upload(client, jiangkou.commitments.id, data)

    problems = reported(response)
    assert len(problems) == 200
    assert problems[0] == ("2", "主办单位", "本镇没有站所“不存在的站所”。")
    html = html_of(response)
    assert "请改正以下 300 处问题" in html
    assert "另有 100 处问题未列出" in html
    assert nothing_written()


# ---- bad files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers, missing",
    [
        ([h for h in TEMPLATE_HEADERS if h != "主办单位"], "主办单位"),
        (["名称", "内容"], "、".join(REQUIRED_HEADERS)),
        ([], "、".join(REQUIRED_HEADERS)),
    ],
)
def test_a_sheet_without_the_templates_columns_is_refused(client, login_as, jiangkou, headers, missing):
    login_as("presidium")

    response = upload(client, jiangkou.commitments.id, sheet(good(), headers=headers))

    assert reported(response) == [("1", "—", f"缺少列：{missing}。请使用页面提供的模板。")]
    assert nothing_written()


@pytest.fixture
def rows_read(monkeypatch):
    """How many rows of the sheet and strings of the shared-string table the request read: every
    ``<row`` and ``<si>`` in what was read of those two parts of the .xlsx."""
    read: dict[str, bytes] = {}
    original = zipfile.ZipExtFile.read

    def counting(self, n=-1):
        chunk = original(self, n)
        read[self.name] = read.get(self.name, b"") + chunk
        return chunk

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting)
    return lambda: (
        read.get("xl/worksheets/sheet1.xml", b"").count(b"<row "),
        read.get("xl/sharedStrings.xml", b"").count(b"<si>"),
    )


@pytest.mark.parametrize("dimension", [True, False], ids=["as Excel writes it", "without <dimension>"])
def test_a_big_sheet_with_the_wrong_headers_is_refused_after_its_header_row(
    client, login_as, jiangkou, rows_read, dimension
):
    data = hand_made_xlsx(["名称", "内容"], rows=200_000, dimension=dimension)
    login_as("presidium")

    response = upload(client, jiangkou.commitments.id, data)

    missing = "、".join(REQUIRED_HEADERS)
    assert reported(response) == [("1", "—", f"缺少列：{missing}。请使用页面提供的模板。")]
    sheet_rows, strings = rows_read()
    assert 1 <= sheet_rows < 1_000 and 2 <= strings < 1_000, (sheet_rows, strings)  # of 200,001 each


def test_a_big_sheet_is_read_no_further_than_the_row_limit(app, client, login_as, jiangkou, rows_read):
    app.config["IMPORT_MAX_ROWS"] = 1_000
    data = hand_made_xlsx(TEMPLATE_HEADERS, rows=200_000, dimension=False)
    login_as("presidium")

    response = upload(client, jiangkou.commitments.id, data)

    assert ("1002", "—", "行数超过上限 1000 行，请分批导入。") in reported(response)
    sheet_rows, strings = rows_read()
    assert sheet_rows < 2_000 and strings < 2_000, (sheet_rows, strings)  # of 200,001 each


def test_a_sheet_with_a_column_twice_is_refused(client, login_as, jiangkou):
    login_as("presidium")

    response = upload(client, jiangkou.commitments.id, sheet(good(), headers=[*TEMPLATE_HEADERS, "主办单位"]))

    assert reported(response) == [("1", "—", "表头中有重复的列：主办单位。")]
    assert nothing_written()


def test_a_sheet_with_only_headers_is_refused(client, login_as, jiangkou):
    login_as("presidium")

    assert reported(upload(client, jiangkou.commitments.id, sheet())) == [("—", "—", "文件中没有事项数据。")]


NOT_XLSX = {
    "csv text": ("事项名称,主办单位\n道路,交通运输站\n".encode(), "清单.csv", "文件不是 .xlsx 格式"),
    "PNG renamed": (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "清单.xlsx", "文件不是 .xlsx 格式"),
    "empty file": (b"", "清单.xlsx", "文件不是 .xlsx 格式"),
    "old .xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "清单.xls", "另存为 .xlsx"),
    "truncated zip": (sheet(good())[:300], "清单.xlsx", "文件已损坏或不是 .xlsx 格式。"),
    "word document": (zip_of({"word/document.xml": b"<w/>"}), "清单.docx", "文件不是 .xlsx 格式"),
    "xlsx shell without a workbook": (
        zip_of({"[Content_Types].xml": b"<Types/>", "xl/styles.xml": b"<x/>"}),
        "清单.xlsx",
        "无法读取这个 .xlsx 文件",
    ),
    "sheet cut short": (
        cut_short(sheet(good("一"), good("二"), good("三"))),
        "清单.xlsx",
        "无法读取这个 .xlsx 文件",
    ),
}


@pytest.mark.parametrize("case", NOT_XLSX)
def test_a_file_that_is_not_an_xlsx_is_refused(client, login_as, jiangkou, case):
    data, filename, reason = NOT_XLSX[case]
    login_as("presidium")

    response = upload(client, jiangkou.commitments.id, data, filename)

    [(row, column, message)] = reported(response)
    assert (row, column) == ("—", "—") and reason in message
    assert f"文件“{filename}”" in html_of(response)  # the page says which file it checked
    assert nothing_written()


def test_a_zip_bomb_disguised_as_xlsx_is_refused_before_unpacking(client, login_as, jiangkou, monkeypatch):
    bomb = zip_bomb()
    login_as("presidium")

    def never(*args, **kwargs):
        raise AssertionError("the bomb reached openpyxl")

    monkeypatch.setattr("supervise.core.xlsx.ExcelReader", never)
    response = upload(client, jiangkou.commitments.id, bomb)

    assert reported(response) == [("—", "—", "文件解压后过大，疑似异常文件，已拒绝。")]
    assert nothing_written()


def test_a_zip_bomb_whose_headers_lie_about_its_sizes_is_refused(client, login_as, jiangkou, monkeypatch):
    bomb = lying_zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"\0" * (60 * 1024 * 1024),
        }
    )
    login_as("presidium")

    def never(*args, **kwargs):
        raise AssertionError("the bomb reached openpyxl")

    monkeypatch.setattr("supervise.core.xlsx.ExcelReader", never)
    response = upload(client, jiangkou.commitments.id, bomb)

    assert reported(response) == [("—", "—", "文件解压后过大，疑似异常文件，已拒绝。")]
    assert nothing_written()


def test_a_workbook_whose_packed_data_is_damaged_is_reported_not_a_500(client, login_as, jiangkou):
    login_as("presidium")
    damaged = damaged_zip(_members(sheet(good("事项"))))

    response = upload(client, jiangkou.commitments.id, damaged)

    assert response.status_code == 200
    assert len(reported(response)) == 1
    assert nothing_written()


def _members(xlsx: bytes) -> dict[str, bytes]:
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    return {name: source.read(name) for name in source.namelist()}


def test_more_rows_than_the_limit_are_refused(app, client, login_as, jiangkou):
    app.config["IMPORT_MAX_ROWS"] = 3
    login_as("presidium")

    response = upload(client, jiangkou.commitments.id, sheet(*(good(f"事项{n}") for n in range(5))))

    assert reported(response) == [("5", "—", "行数超过上限 3 行，请分批导入。")]
    assert nothing_written()


def test_over_the_limit_the_rows_read_have_their_codes_checked_too(app, client, factory, login_as, jiangkou):
    """The rows before the limit are reported in full, an existing code as much as an unknown office.

    Codes are looked up in batches of 500; the refusal at the limit used to skip the last batch, so
    whether a code was reported depended on where the batch ended (resolved in issue 10).
    """
    app.config["IMPORT_MAX_ROWS"] = 3
    existing = factory.item("listed", township=jiangkou.township)
    login_as("presidium")
    rows = [
        good("一", 编号=existing.code),
        good("二", 主办单位="不存在的站所"),
        *(good(f"事项{n}") for n in range(3)),
    ]

    response = upload(client, jiangkou.commitments.id, sheet(*rows, headers=["编号", *TEMPLATE_HEADERS]))

    assert reported(response) == [
        ("2", "编号", f"编号“{existing.code}”已存在。"),
        ("3", "主办单位", "本镇没有站所“不存在的站所”。"),
        ("5", "—", "行数超过上限 3 行，请分批导入。"),
    ]
    assert count(Item) == 1


def test_an_upload_over_the_size_limit_gets_the_413_page(app, client, login_as, jiangkou):
    login_as("presidium")
    huge = b"PK" + b"\0" * app.config["MAX_CONTENT_LENGTH"]

    response = upload(client, jiangkou.commitments.id, huge)

    assert response.status_code == 413
    html = html_of(response)
    assert "上传的文件太大" in html and "上传的文件超过了大小限制。" in html
    assert nothing_written()


def test_without_a_file_the_form_says_so(client, login_as, jiangkou):
    login_as("presidium")

    response = client.post(f"/lists/{jiangkou.commitments.id}/import", data={})

    assert response.status_code == 200
    assert "请选择要导入的 .xlsx 文件。" in html_of(response)


# ---- who may import --------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/lists/{id}/import", "/lists/{id}/import/template.xlsx"])
def test_another_townships_list_is_404(client, factory, login_as, jiangkou, path):
    theirs = factory.supervision_list("commitment", 2026, jiangkou.neighbour, confirmed=False)
    login_as("presidium")

    assert client.get(path.format(id=theirs.id)).status_code == 404


def test_another_townships_presidium_cannot_import_into_this_list(client, factory, login_as, jiangkou):
    login_as("presidium", township=jiangkou.neighbour)

    response = upload(client, jiangkou.commitments.id, sheet(good()))

    assert response.status_code == 404
    assert nothing_written()


@pytest.mark.parametrize("role", ["deputy", "government", "county", "admin"])
def test_only_the_presidium_imports(client, login_as, jiangkou, role):
    login_as(role)

    response = upload(client, jiangkou.commitments.id, sheet(good()))

    assert response.status_code == 403
    assert nothing_written()
