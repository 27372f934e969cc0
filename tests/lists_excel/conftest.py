"""江口镇 with its offices and deputies, a draft commitment list to import into, and sheet helpers."""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

import pytest
from openpyxl import Workbook

from supervise.extensions import db
from supervise.lists.importing import TEMPLATE_HEADERS
from supervise.lists.models import Item, ItemEvent
from tests.helpers import count, html_of, import_problems, zip_of


@pytest.fixture
def jiangkou(factory):
    """江口镇: three offices (one closed), two deputies, two lists; 城关镇 next door with its own office."""
    township = factory.default_township
    neighbour = factory.township("城关镇")
    return SimpleNamespace(
        township=township,
        transport=factory.office(township, "交通运输站"),
        water=factory.office(township, "水利站"),
        closed=_closed(factory, township),
        chen=factory.deputy(township, "陈光明"),
        li=factory.deputy(township, "李秀英"),
        neighbour=neighbour,
        neighbour_office=factory.office(neighbour, "城关水务站"),
        commitments=factory.supervision_list("commitment", 2026, township, confirmed=False),
        suggestions=factory.supervision_list("suggestion", 2026, township, confirmed=True),
    )


def _closed(factory, township):
    """An office that has been closed (deactivated): its name is known but may not be used."""
    office = factory.office(township, "旧农机站")
    office.is_active = False
    db.session.flush()
    return office


def sheet(*rows: dict, headers: list[str] = TEMPLATE_HEADERS) -> bytes:
    """An .xlsx with these headers and one line per dict (header → value; missing cells are blank)."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.append(headers)
    for row in rows:
        worksheet.append([row.get(header) for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def good(title: str = "集镇道路改造提升项目", **cells) -> dict:
    """A complete row as a clerk fills it in."""
    return {
        "事项名称": title,
        "事项内容": "改造集镇主干道 1.2 公里",
        "实施区域": "江口村",
        "主办单位": "交通运输站",
        "协办单位": "水利站",
        "分管领导": "张建国",
        "目标/标准": "两个月内完工并通过验收",
        "完成时限": "2026-10-31",
        "计划资金（万元）": 1200,
        "影响面广": "是",
        "群众关注度高": "是",
        "推进难度大": "否",
        "来源": "政府工作报告",
        **cells,
    }


def preview(client, list_id: int, data: bytes, filename: str = "清单事项.xlsx"):
    """Upload the file: the preview page (nothing written), or the page listing its problems."""
    return client.post(
        f"/lists/{list_id}/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def confirm_form(response) -> tuple[str, dict[str, str]]:
    """The preview's confirmation: where it posts, and each new unit's choice as the page selected it."""
    html = html_of(response)
    action = re.search(r'<form method="post" action="([^"]*/import/[0-9a-f]{32})"', html)
    assert action, "no confirmation form on the page"
    choices = {}
    for name, options in re.findall(r'<select[^>]* name="(unit-[0-9a-f]+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option value="([^"]+)" selected', options)
        choices[name] = selected.group(1) if selected else "new"
    return action.group(1), choices


def upload(client, list_id: int, data: bytes, filename: str = "清单事项.xlsx", **choices: str):
    """Upload and, when the preview shows no problem, confirm it as shown (``choices`` change a new
    unit's choice, by its form field): the response of the last step."""
    response = preview(client, list_id, data, filename)
    if response.status_code != 200 or "import-errors" in html_of(response):
        return response
    action, shown = confirm_form(response)
    return client.post(action, data={**shown, **choices})


def reported(response) -> list[tuple[str, str, str]]:
    """The items import refused whole: its problems as (row, column, reason)."""
    return import_problems(response, "没有导入任何事项。")


def nothing_written() -> bool:
    return count(Item) == 0 and count(ItemEvent) == 0


def hand_made_xlsx(headers: list[str], rows: int, dimension: bool = True) -> bytes:
    """A large .xlsx written directly as XML (openpyxl takes minutes for this): the headers, then
    ``rows`` rows of a shared string and a number each. Excel writes a <dimension>; many other
    programs do not."""
    namespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    content = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    strings = [*headers, *(f"事项{n}" for n in range(rows))]
    header = "".join(f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>' for i in range(len(headers)))
    first = len(headers)
    body = "".join(
        f'<row r="{n + 2}"><c r="A{n + 2}" t="s"><v>{first + n}</v></c><c r="B{n + 2}"><v>{n}</v></c></row>'
        for n in range(rows)
    )
    size = f'<dimension ref="A1:{chr(64 + max(len(headers), 2))}{rows + 1}"/>' if dimension else ""
    return zip_of(
        {
            "[Content_Types].xml": (
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels"'
                ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{content}.sheet.main+xml"/>'
                f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{content}.worksheet+xml"/>'
                f'<Override PartName="/xl/sharedStrings.xml" ContentType="{content}.sharedStrings+xml"/>'
                "</Types>"
            ).encode(),
            "xl/workbook.xml": (
                f'<workbook xmlns="{namespace}" xmlns:r="{relations}">'
                '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
            ).encode(),
            "xl/_rels/workbook.xml.rels": (
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                f'<Relationship Id="rId1" Type="{relations}/worksheet" Target="worksheets/sheet1.xml"/>'
                f'<Relationship Id="rId2" Type="{relations}/sharedStrings" Target="sharedStrings.xml"/>'
                "</Relationships>"
            ).encode(),
            "xl/sharedStrings.xml": (
                f'<sst xmlns="{namespace}" count="{len(strings)}" uniqueCount="{len(strings)}">'
                + "".join(f"<si><t>{text}</t></si>" for text in strings)
                + "</sst>"
            ).encode(),
            "xl/worksheets/sheet1.xml": (
                f'<worksheet xmlns="{namespace}">{size}<sheetData><row r="1">{header}</row>{body}'
                "</sheetData></worksheet>"
            ).encode(),
        }
    )
