"""Importing a list's items from .xlsx: every row is checked first; one bad row imports nothing."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from supervise.extensions import db
from supervise.lists import operations
from supervise.lists.importing import SUGGESTION_HEADERS, TEMPLATE_HEADERS
from supervise.lists.models import Item, ItemEvent, ItemState
from tests.helpers import count, html_of

from .conftest import good, nothing_written, reported, sheet, upload

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
                "协办单位": "交通运输站,交通运输站",
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
    assert [o.name for o in dyke.assisting_offices] == ["交通运输站"]
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
