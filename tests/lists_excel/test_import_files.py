"""Importing a list's items: files that are not a usable .xlsx, or too big, are refused whole."""

from __future__ import annotations

import io
import zipfile

import pytest

from supervise.lists.importing import REQUIRED_HEADERS, TEMPLATE_HEADERS
from supervise.lists.models import Item
from tests.helpers import count, cut_short, damaged_zip, html_of, lying_zip, zip_bomb, zip_of

from .conftest import good, hand_made_xlsx, nothing_written, reported, sheet, upload

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

    [(row, column, reason)] = reported(response)
    assert (row, column) == ("1", "—")
    assert reason.startswith(f"缺少列：{missing}。请使用页面提供的模板，或改正表头（“")
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
    [(row, column, reason)] = reported(response)
    assert (row, column) == ("1", "—") and reason.startswith(f"缺少列：{missing}。")
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
    "csv text": ("事项名称,主办单位\n道路,交通运输站\n".encode(), "清单.csv", "文件不是 .xlsx 或 .docx 格式"),
    "PNG renamed": (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "清单.xlsx", "文件不是 .xlsx 或 .docx 格式"),
    "empty file": (b"", "清单.xlsx", "文件不是 .xlsx 或 .docx 格式"),
    "old .xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "清单.xls", "另存为 .xlsx"),
    "truncated zip": (sheet(good())[:300], "清单.xlsx", "文件已损坏或不是 .xlsx 格式。"),
    "word document without its parts": (
        zip_of({"word/document.xml": b"<w/>"}),
        "清单.docx",
        "无法读取这个 .docx 文件",
    ),
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
    assert "请选择要导入的 .xlsx 或 .docx 文件。" in html_of(response)
