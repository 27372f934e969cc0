"""The PDF engine and the follow-up sheet's PDF, checked with poppler's pdftotext and pdffonts."""

from __future__ import annotations

import gc
import os
import shutil
from urllib.parse import quote

import pytest

from supervise.core import pdf as engine
from supervise.extensions import db
from supervise.sheets.documents import sheet_pdf
from supervise.sheets.models import SheetDocument
from tests.helpers import counted_renders, pdf_fonts, pdf_info, pdf_text

from .conftest import Township

needs_poppler = pytest.mark.usefixtures("pdf_tools")


def assert_a4(data: bytes, tmp_path) -> None:
    """Every page 210 × 297 mm (595.3 × 841.9 pt), as pdfinfo reads it."""
    size = pdf_info(data, tmp_path)["Page size"]
    width, _x, height = size.split()[:3]
    assert abs(float(width) - 595.28) < 0.5 and abs(float(height) - 841.89) < 0.5, size


@pytest.fixture
def both_databases(backend):
    """Rendering does not depend on the database, but the stored copy does: run on both."""
    return backend


@needs_poppler
def test_the_sheet_pdf_shows_number_title_body_and_answer(both_databases, app, town, tmp_path):
    sheet = town.sheet("answered")
    with app.test_request_context():
        data, fresh = sheet_pdf(sheet)
    assert data.startswith(b"%PDF") and fresh
    # Table cells wrap lines: compare without any whitespace.
    text = "".join(pdf_text(data, tmp_path).split())
    for expected in (
        sheet.document_number,
        "督办单",
        "江口镇人民代表大会主席团",
        "关于加快集镇污水处理站建设的督办单",
        "集镇污水处理站提标改造",
        "进度滞后。",
        "请于办理时限内制定赶工计划并书面报告。",
        "规划建设环保办公室",
        "张建国",
        "2026年12月31日",
        "已增加作业班组，赶工完成。",
        "盖章",
        "第1页",
    ):
        assert expected in text, expected


@needs_poppler
def test_fonts_are_embedded_subsets_only(both_databases, app, town, tmp_path):
    with app.test_request_context():
        data, _fresh = sheet_pdf(town.sheet("issued"))
    fonts = pdf_fonts(data, tmp_path)
    # One CJK face for the whole sheet: every extra weight embedded costs ~110 KB and ~50 ms.
    assert len(fonts) == 1, fonts
    for row in fonts:
        name, emb, sub = row[0], row[-5], row[-4]
        assert (emb, sub) == ("yes", "yes"), row
        assert name[6] == "+", row  # ABCDEF+Font: a subset


@needs_poppler
def test_under_a_sub_path_the_pdf_keeps_its_stylesheet(both_databases, app, town, tmp_path):
    """Behind a proxy at /renda the sheet is printed with the app's own stylesheet all the same."""
    sheet = town.sheet("issued")
    with app.test_request_context(base_url="http://localhost/renda/"):
        data, _fresh = sheet_pdf(sheet)
    assert_a4(data, tmp_path)
    # The page footer exists only in the stylesheet's @page rules.
    assert "第1页共" in "".join(pdf_text(data, tmp_path).split())
    fonts = pdf_fonts(data, tmp_path)
    assert any("CJK" in row[0] for row in fonts), fonts
    for row in fonts:
        assert (row[-5], row[-4]) == ("yes", "yes"), row


def _context(sheet) -> dict:
    return {"sheet": sheet, "evidence_files": []}


def test_a_changed_stylesheet_makes_a_new_pdf(both_databases, app, town, monkeypatch, tmp_path):
    sheet = town.sheet("issued")
    with app.test_request_context():
        first, fresh = sheet_pdf(sheet)
        assert fresh
        assert sheet_pdf(sheet) == (first, False)
        # The same HTML, another stylesheet (a copy of the static folder with pdf.css changed).
        static = tmp_path / "static"
        shutil.copytree(app.static_folder, static)
        (static / "pdf.css").write_text((static / "pdf.css").read_text() + "\nh2 { color: #333; }\n")
        monkeypatch.setattr(app, "static_folder", str(static))
        _again, fresh = sheet_pdf(sheet)
        assert fresh


@needs_poppler
@pytest.mark.parametrize("state", ["draft", "issued", "answered", "returned", "verified"])
def test_a_one_line_sheet_fits_on_one_a4_page(both_databases, app, town, tmp_path, state):
    one_line = Township(town.factory, town.chair, town.clerk, town.office, town.items[:1])
    sheet = one_line.sheet(state)
    with app.test_request_context():
        data, _fresh = sheet_pdf(sheet)
    assert pdf_info(data, tmp_path)["Pages"] == "1"
    assert_a4(data, tmp_path)
    text = "".join(pdf_text(data, tmp_path).split())
    assert "第1页共1页" in text and "负责人签字" in text  # the signature boxes made it onto the page


@needs_poppler
def test_a_returned_sheet_prints_its_state_and_the_reason(both_databases, app, town, tmp_path):
    returned, answered = town.sheet("returned"), town.sheet("answered")
    with app.test_request_context():
        returned_pdf, _fresh = sheet_pdf(returned)
        answered_pdf, _fresh = sheet_pdf(answered)
    text = "".join(pdf_text(returned_pdf, tmp_path).split())
    assert "办理状态已退回重办" in text
    assert "已退回重办：答复没有说明资金来源。" in text
    assert "以下为被退回的答复" in text and "已增加作业班组，赶工完成。" in text
    other = "".join(pdf_text(answered_pdf, tmp_path).split())
    assert "办理状态已答复" in other and "退回" not in other


@needs_poppler
def test_a_sheet_with_thirty_findings_paginates(both_databases, app, town, tmp_path):
    findings = [
        f"第{n}项问题：村道护栏缺失，雨季存在安全隐患，需尽快整改到位并报告结果。" for n in range(1, 31)
    ]
    sheet = town.sheet("issued", findings=findings)
    with app.test_request_context():
        data, _fresh = sheet_pdf(sheet)
    text = pdf_text(data, tmp_path)
    assert int(pdf_info(data, tmp_path)["Pages"]) >= 2
    assert_a4(data, tmp_path)
    joined = "".join(text.split())
    assert "第1项问题" in joined and "第30项问题" in joined
    assert joined.count("问题和建议") >= 2  # the table header repeats on the next page


def test_a_stored_pdf_is_served_again_until_the_sheet_changes(both_databases, app, town, client, monkeypatch):
    from supervise.sheets import operations as ops

    sheet = town.sheet("issued")
    renders = counted_renders(monkeypatch)
    client.post("/login", data={"username": town.clerk.username, "password": "correct-horse-battery"})
    first = client.get(f"/sheets/{sheet.id}/pdf")
    again = client.get(f"/sheets/{sheet.id}/pdf")
    assert first.status_code == again.status_code == 200
    assert first.data == again.data and len(renders) == 1
    assert db.session.get(SheetDocument, sheet.id) is not None

    ops.acknowledge_sheet(town.clerk, sheet)
    db.session.commit()
    changed = client.get(f"/sheets/{sheet.id}/pdf")
    assert len(renders) == 2 and changed.data != first.data
    assert changed.mimetype == "application/pdf"


def test_the_download_has_a_chinese_file_name(both_databases, app, town, client):
    sheet = town.sheet("issued")
    client.post("/login", data={"username": town.chair.username, "password": "correct-horse-battery"})
    response = client.get(f"/sheets/{sheet.id}/pdf?download=1")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert quote(f"{sheet.document_number} 督办单.pdf") in disposition


def test_the_url_fetcher_serves_static_files_and_refuses_the_rest(both_databases, app):
    with app.test_request_context():
        fetcher = engine.url_fetcher()
        css = fetcher.fetch(engine.BASE_URL + "static/pdf.css")
        assert b"font-family" in css.read()
        for url in (
            "https://example.com/style.css",
            "http://127.0.0.1:5000/static/pdf.css",
            "file:///etc/passwd",
            engine.BASE_URL + "static/../../config.py",
            engine.BASE_URL + "items/1",
        ):
            with pytest.raises(ValueError):
                fetcher.fetch(url)


def test_the_stylesheet_is_parsed_once_and_again_when_it_changes(both_databases, app, tmp_path, monkeypatch):
    with app.test_request_context():
        parsed = engine.stylesheet()
        assert engine.stylesheet() is parsed
        static = tmp_path / "static"
        shutil.copytree(app.static_folder, static)
        monkeypatch.setattr(app, "static_folder", str(static))
        copied = engine.stylesheet()
        assert copied is not parsed and engine.stylesheet() is copied
        css = static / "pdf.css"
        css.write_text(css.read_text() + "\nh2 { color: #333; }\n")
        os.utime(css, ns=(css.stat().st_atime_ns, css.stat().st_mtime_ns + 1_000_000))
        assert engine.stylesheet() is not copied


def test_the_collector_is_paused_only_while_documents_render(both_databases, app):
    assert gc.isenabled()
    with engine.collector_paused():
        with engine.collector_paused():  # nested, as html_to_pdf around render_document
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), engine.collector_paused():
        raise RuntimeError("a render failed")
    assert gc.isenabled()


def test_a_collector_turned_off_elsewhere_stays_off_after_a_render(both_databases, app):
    gc.disable()
    try:
        with engine.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_render_pdf_never_fetches_external_or_file_urls(both_databases, app, monkeypatch):
    """A document naming outside resources still prints, without them."""
    served, refused = [], []
    original = engine.static_file_for
    with app.test_request_context():
        engine.stylesheet()  # parsed once per process: only the document's own link is fetched below

    def spy(url):
        try:
            path = original(url)
        except engine.RefusedURL:
            refused.append(url)
            raise
        served.append(url)
        return path

    monkeypatch.setattr(engine, "static_file_for", spy)
    html = (
        '<html><head><link rel="stylesheet" href="/static/pdf.css">'
        '<link rel="stylesheet" href="https://example.com/x.css"></head>'
        '<body><img src="file:///etc/hostname"><img src="http://127.0.0.1:5000/static/x.png">'
        "<p>督办</p></body></html>"
    )
    with app.test_request_context():
        data = engine.html_to_pdf(html)
    assert data.startswith(b"%PDF")
    assert served == [engine.BASE_URL + "static/pdf.css"]
    assert sorted(refused) == [
        "file:///etc/hostname",
        "http://127.0.0.1:5000/static/x.png",
        "https://example.com/x.css",
    ]


def test_the_font_stack_names_the_official_fonts_first_on_html():
    css = (engine.Path(__file__).resolve().parents[2] / "supervise/static/pdf.css").read_text()
    html_rule = css[css.index("\nhtml {") : css.index("}", css.index("\nhtml {"))]
    stack = html_rule[html_rule.index("font-family:") :]
    assert stack.index("仿宋_GB2312") < stack.index("Noto Serif CJK SC") < stack.index("Noto Sans CJK SC")
    assert "方正小标宋" in css


def test_healthz_reports_font_subsetting(client, monkeypatch):
    assert client.get("/healthz").get_json()["pdf_font_subsetting"] == "ok"
    monkeypatch.setattr("supervise.home.views.harfbuzz_subset_available", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["pdf_font_subsetting"] == "missing libharfbuzz-subset0"


def test_a_missing_harfbuzz_subset_is_logged_once(monkeypatch, caplog):
    import ctypes

    def missing(name):
        raise OSError(name)

    monkeypatch.setattr(engine, "_subset_checked", None)
    monkeypatch.setattr(ctypes, "CDLL", missing)
    with caplog.at_level("WARNING", logger="supervise.core.pdf"):
        assert engine.harfbuzz_subset_available() is False
        assert engine.harfbuzz_subset_available() is False
    assert sum("libharfbuzz-subset0" in r.message for r in caplog.records) == 1


def test_documents_share_one_font_configuration_per_thread(both_databases, app):
    """Fonts are loaded once per thread, not per document; so no stylesheet may add @font-face faces."""
    import threading

    with app.test_request_context():
        mine = engine.font_config()
        assert engine.font_config() is mine
        other = []
        thread = threading.Thread(target=lambda: other.append(engine.font_config()))
        thread.start()
        thread.join()
        assert other[0] is not mine
    css = (engine.Path(app.static_folder) / engine.STYLESHEET).read_text()
    assert "@font-face" not in css


@needs_poppler
@pytest.mark.parametrize("state", ["issued", "answered", "verified"])
def test_a_sheet_of_a_few_findings_keeps_its_signatures_on_the_one_page(
    both_databases, app, town, tmp_path, state
):
    """Like demo sheet 5: two items and a finding about no item still fit one page, seal boxes too."""
    sheet = town.sheet(state, findings=["高桥村小学门前缺少减速带，学生上下学存在安全隐患。"])
    with app.test_request_context():
        data, _fresh = sheet_pdf(sheet)
    assert pdf_info(data, tmp_path)["Pages"] == "1"
    text = "".join(pdf_text(data, tmp_path).split())
    assert "负责人签字" in text and "未关联事项" in text
