"""Items spanning years (跨年度) in Excel: the optional 结束年度 column is in the template, imported
(an out-of-range or too early year is the row's problem) and exported, so an export imports again."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from supervise.extensions import db
from supervise.lists.importing import REQUIRED_HEADERS
from supervise.lists.models import Item

from .conftest import good, nothing_written, reported, sheet, upload


def imported(supervision_list) -> dict[str, Item]:
    query = select(Item).where(Item.list_id == supervision_list.id)
    return {item.title: item for item in db.session.execute(query).scalars()}


def test_the_template_asks_for_the_end_year_after_the_deadline(client, login_as, jiangkou):
    login_as("presidium")

    response = client.get(f"/lists/{jiangkou.commitments.id}/import/template.xlsx")

    workbook = load_workbook(io.BytesIO(response.data))
    headers = [cell.value for cell in workbook.worksheets[0][1]]
    assert headers[headers.index("完成时限") + 1] == "结束年度"
    notes = " ".join(str(row[0]) for row in workbook["填写说明"].iter_rows(values_only=True) if row[0])
    assert "结束年度" in notes and "2026" in notes


def test_the_templates_date_example_falls_in_the_lists_year(client, factory, login_as, jiangkou):
    next_years = factory.supervision_list("commitment", 2027, jiangkou.township, confirmed=False)
    db.session.commit()
    login_as("presidium")

    response = client.get(f"/lists/{next_years.id}/import/template.xlsx")

    workbook = load_workbook(io.BytesIO(response.data))
    notes = " ".join(str(row[0]) for row in workbook["填写说明"].iter_rows(values_only=True) if row[0])
    assert "或 2027-12-31、6月底、年底" in notes and "2026-12-31" not in notes


def test_an_item_spanning_years_imports_with_its_end_year(client, login_as, jiangkou):
    login_as("presidium")
    data = sheet(
        good("跨年工程", 完成时限="2027-06-30", 结束年度=2027),
        good("文字年度", 结束年度="2028 年"),
        good("当年工程"),
    )

    response = upload(client, jiangkou.commitments.id, data)

    assert response.status_code == 302
    items = imported(jiangkou.commitments)
    assert items["跨年工程"].end_year == 2027 and items["跨年工程"].deadline == date(2027, 6, 30)
    assert items["跨年工程"].spans_years and items["跨年工程"].years_label == "2026–2027"
    assert items["文字年度"].end_year == 2028
    assert items["当年工程"].end_year is None


def test_a_file_without_the_end_year_column_still_imports(client, login_as, jiangkou):
    login_as("presidium")

    response = upload(client, jiangkou.commitments.id, sheet(good(), headers=REQUIRED_HEADERS))

    assert response.status_code == 302
    assert imported(jiangkou.commitments)["集镇道路改造提升项目"].end_year is None


@pytest.mark.parametrize(
    "value, reason",
    [
        (2026, "结束年度须晚于清单年度（2026 年）。"),
        (2025, "结束年度须晚于清单年度（2026 年）。"),
        (1999, "年度应在 2000 到 2100 之间。"),
        (21000, "年度应在 2000 到 2100 之间。"),
        ("9" * 400, f"“{'9' * 400}”不是年度，请填 2027 这样的年份。"),
        ("明年", "“明年”不是年度，请填 2027 这样的年份。"),
        (2027.5, "“2027.5”不是年度，请填 2027 这样的年份。"),
        ("1e309", "“1e309”不是年度，请填 2027 这样的年份。"),
    ],
)
def test_a_bad_end_year_is_the_rows_problem(client, login_as, jiangkou, value, reason):
    login_as("presidium")

    response = upload(client, jiangkou.commitments.id, sheet(good("一"), good("二", 结束年度=value)))

    assert reported(response) == [("3", "结束年度", reason)]
    assert nothing_written()


def test_the_export_carries_the_end_year_and_imports_again(client, factory, login_as, jiangkou):
    login_as("presidium")
    factory.item(
        "supervising",
        title="跨年工程",
        township=jiangkou.township,
        deadline=date(2027, 6, 30),
        end_year=2027,
    )
    factory.item("supervising", title="当年工程", township=jiangkou.township)

    exported = client.get("/items/export.xlsx").data
    worksheet = load_workbook(io.BytesIO(exported)).worksheets[0]
    header = [cell.value for cell in worksheet[1]]
    assert header[header.index("完成时限") + 1] == "结束年度"
    rows = [dict(zip(header, values)) for values in worksheet.iter_rows(min_row=2, values_only=True)]
    assert {row["事项名称"]: row["结束年度"] for row in rows} == {"跨年工程": 2027, "当年工程": None}

    workbook = load_workbook(io.BytesIO(exported))
    workbook.worksheets[0].delete_cols(header.index("编号") + 1)  # the codes exist: import as new items
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert upload(client, jiangkou.suggestions.id, buffer.getvalue()).status_code == 302
    items = imported(jiangkou.suggestions)
    assert items["跨年工程"].end_year == 2027 and items["当年工程"].end_year is None


@pytest.mark.parametrize(("about", "cell"), [(False, "230余"), (True, "约230")])
def test_joint_leads_and_an_approximate_amount_survive_export_and_import(
    client, factory, login_as, jiangkou, about, cell
):
    """The export writes joint leads in their own column and 230余 (or 约230, as the item has it) in
    the amount column; the import reads both back (a duplicate-meaning column would make the whole
    file fail)."""
    login_as("presidium")
    factory.item(
        "supervising",
        title="联合工程",
        township=jiangkou.township,
        lead_office_id=jiangkou.transport.id,
        joint_lead_offices=[jiangkou.water],
        planned_funds=Decimal("230"),
        planned_funds_approx=True,
        planned_funds_about=about,
        deadline_text="年底",
    )
    exported = client.get("/items/export.xlsx").data
    workbook = load_workbook(io.BytesIO(exported))
    header = [cell.value for cell in workbook.worksheets[0][1]]
    assert workbook.worksheets[0].cell(2, header.index("计划资金（万元）") + 1).value == cell
    workbook.worksheets[0].delete_cols(header.index("编号") + 1)
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert upload(client, jiangkou.suggestions.id, buffer.getvalue()).status_code == 302
    item = imported(jiangkou.suggestions)["联合工程"]
    assert item.lead_office == jiangkou.transport and item.joint_lead_offices == [jiangkou.water]
    assert item.planned_funds == Decimal("230") and item.planned_funds_approx is True
    assert item.planned_funds_about is about
