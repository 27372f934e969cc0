"""The printed documents: blank assessment sheets (numbered, QR, no names) and the result summary."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from supervise.evaluation import documents
from supervise.evaluation import operations as ops
from supervise.evaluation.models import EvaluationDocument
from supervise.extensions import db
from supervise.org.models import Deputy
from tests.helpers import pdf_fonts, pdf_info, pdf_text, qr_codes

from .conftest import B, D, S


@pytest.mark.usefixtures("pdf_tools")
def test_blank_sheets_one_numbered_page_per_deputy_with_a_qr_code_and_no_names(app, hall, tmp_path):
    with app.test_request_context():
        data, fresh = documents.sheets_pdf(hall.meeting)
    assert data.startswith(b"%PDF") and fresh
    text = pdf_text(data, tmp_path)
    roster = len(hall.meeting.roster)
    assert text.count("\f") == roster  # one A4 page per sheet at this size
    joined = "".join(text.split())
    for expected in (
        "2026年度“三清单”民主评议测评表",
        "满意",
        "基本满意",
        "不满意",
        "填表说明",
        "本表不记名",
        "评议事项1",
    ):
        assert expected in joined, expected
    for serial in range(1, roster + 1):
        assert f"No.{serial:03d}" in joined
    names = db.session.execute(db.select(Deputy.name)).scalars().all()
    assert names and not any(name in joined for name in names)
    assert qr_codes(data, tmp_path, 1) == ["001"]
    assert qr_codes(data, tmp_path, roster) == [f"{roster:03d}"]
    for row in pdf_fonts(data, tmp_path):
        assert (row[-5], row[-4]) == ("yes", "yes") and row[0][6] == "+", row


@pytest.mark.usefixtures("pdf_tools")
def test_a_stored_pdf_is_served_again_until_what_it_prints_changes(app, hall):
    with app.test_request_context():
        first, fresh = documents.sheets_pdf(hall.meeting)
        again, fresh_again = documents.sheets_pdf(hall.meeting)
        assert fresh and not fresh_again and again == first
        ops.remove_lines(hall.chair, hall.meeting, [hall.lines[0].id])
        _changed, fresh_after = documents.sheets_pdf(hall.meeting)
    assert fresh_after
    assert db.session.get(EvaluationDocument, (hall.meeting.id, documents.SHEETS)) is not None


@pytest.mark.usefixtures("pdf_tools")
def test_the_summary_prints_facts_results_and_signature_boxes(app, hall, tmp_path):
    ids = hall.open()
    codes = hall.phone_codes(ids[:4])
    serials = hall.paper(ids[4:6])
    for code in codes[:3]:
        hall.vote(code, S, B, S, S)
    hall.vote(codes[3], D, S, B, D)
    hall.enter(serials[0], S, [S, B], S, S)  # a double mark: that line is invalid
    hall.enter(serials[1], S, None, S, B)
    hall.check()
    ops.close_voting(hall.chair, hall.meeting)
    db.session.commit()
    with app.test_request_context():
        data, _fresh = documents.summary_pdf(hall.meeting)
    assert data.startswith(b"%PDF")
    joined = "".join(pdf_text(data, tmp_path).split())
    for expected in (
        "测评结果汇总表",
        "江口镇人民代表大会主席团",
        "应到代表",
        "实到代表",
        "法定人数",
        "监票人",
        "计票人",
        "会议主持人",
        "评议事项1",
        "评议事项2",
    ):
        assert expected in joined, expected
    roster = len(hall.meeting.roster)
    assert f"应到代表{roster}人" in joined and f"实到代表{len(ids)}人" in joined
    # Line 1: 满意 5 (3 phone + 2 paper), 不满意 1 → 83.3%; line 2: 2 invalid (a double mark, a blank).
    assert "83.3%" in joined


def test_sheets_and_summary_pages_answer_with_pdfs(client, login_as, hall):
    login_as(hall.chair)
    for path in ("sheets.pdf", "summary.pdf"):
        response = client.get(f"/evaluation/{hall.meeting.id}/{path}?download=1")
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
        assert "attachment" in response.headers["Content-Disposition"]
    # A readable ASCII name beside the Chinese one (RFC 5987), not what is left once the Chinese is stripped.
    inline = client.get(f"/evaluation/{hall.meeting.id}/summary.pdf")
    day = hall.meeting.held_on.isoformat()
    chinese = quote(f"江口镇{hall.meeting.year}年度测评结果汇总表（{day}）.pdf")
    assert inline.headers["Content-Disposition"] == (
        f"inline; filename=evaluation-summary-{day}.pdf; filename*=UTF-8''{chinese}"
    )
    sheets = client.get(f"/evaluation/{hall.meeting.id}/sheets.pdf?download=1")
    assert sheets.headers["Content-Disposition"].startswith(
        f"attachment; filename=evaluation-sheets-{day}.pdf;"
    )
    xlsx = client.get("/evaluation/assessment.xlsx?year=2026")
    assert xlsx.headers["Content-Disposition"] == (
        "attachment; filename=assessment-2026.xlsx; filename*=UTF-8''" + quote("2026年度考核表.xlsx")
    )


@pytest.mark.usefixtures("pdf_tools")
def test_a_dozen_lines_with_their_details_still_print_one_page_per_sheet(app, factory, tmp_path):
    # Before: the foot of a 12-line sheet (items with their code and office) spilled onto a second
    # page, so 60 deputies' sheets took 120 pages, every other one nearly empty.
    chair = factory.user("presidium")
    items = [factory.item("verified", township=chair.township, title=f"评议事项{n:02d}") for n in range(8)]
    meeting = factory.evaluation_meeting(chair, deputies=0, items=items)
    ops.remove_lines(chair, meeting, [line.id for line in meeting.lines[12:]])
    db.session.commit()
    assert len(meeting.lines) == 12 and sum(line.office_id is None for line in meeting.lines) == 8
    with app.test_request_context():
        data, _fresh = documents.sheets_pdf(meeting)
    text = pdf_text(data, tmp_path)
    roster = len(meeting.roster)
    assert roster >= 2 and text.count("\f") == roster
    for page in text.split("\f")[:roster]:
        assert "仅用于计票核对" in "".join(page.split())  # each sheet's foot on its own page


def _stamped_and_full(app, meeting) -> tuple[bytes, bytes]:
    """The sheets as the worker makes them (one layout of the sheet, each serial stamped over a copy)
    and as a render of every sheet in full makes them."""
    from supervise.core.pdf import html_to_pdf

    with app.test_request_context():
        seen: list[int] = []
        stamped = documents.stamped_sheets(meeting, documents.sheet_serials(meeting), seen.append)
        full = html_to_pdf(documents.sheets_html(meeting))
    assert stamped is not None and seen == sorted(seen) and seen[-1] == 95
    return stamped, full


def _pixels(data: bytes, tmp_path, name: str) -> list[bytes]:
    import subprocess

    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "40", str(path), str(tmp_path / name)], check=True)
    return [page.read_bytes() for page in sorted(tmp_path.glob(f"{name}-*.ppm"))]


@pytest.mark.usefixtures("pdf_tools")
def test_stamped_sheets_are_one_page_each_with_their_own_serial_and_qr_code(app, factory, tmp_path):
    meeting = factory.evaluation_meeting(deputies=2)
    db.session.commit()
    stamped, full = _stamped_and_full(app, meeting)
    serials = [f"{n:03d}" for n in documents.sheet_serials(meeting)]
    assert len(serials) >= 3
    pages = pdf_text(stamped, tmp_path).split("\f")[: len(serials)]
    assert len(pages) == len(serials) == int(pdf_info(stamped, tmp_path)["Pages"])
    for number, (serial, page) in enumerate(zip(serials, pages, strict=True), start=1):
        joined = "".join(page.split())
        assert f"编号No.{serial}" in joined and f"测评表编号No.{serial}仅用于计票核对" in joined
        assert "评议事项1" in joined and "本表不记名" in joined
        assert [other for other in serials if f"No.{other}" in joined] == [serial]
        assert qr_codes(stamped, tmp_path, number) == [serial]
    # To the eye, the very PDF a render of every sheet makes (and its fonts embedded, subset).
    assert _pixels(stamped, tmp_path, "stamped") == _pixels(full, tmp_path, "full")
    for row in pdf_fonts(stamped, tmp_path):
        assert (row[-5], row[-4]) == ("yes", "yes") and row[0][6] == "+", row


@pytest.mark.usefixtures("pdf_tools")
def test_a_sheet_of_several_pages_has_its_serial_first_and_its_foot_last(app, factory, tmp_path):
    from supervise.evaluation.models import CommentsLayout

    chair = factory.user("presidium")
    items = [factory.item("verified", township=chair.township, title=f"长清单事项{n:02d}") for n in range(14)]
    meeting = factory.evaluation_meeting(chair, deputies=0, items=items, comments_layout=CommentsLayout.line)
    db.session.commit()
    stamped, full = _stamped_and_full(app, meeting)
    serials = [f"{n:03d}" for n in documents.sheet_serials(meeting)]
    total = int(pdf_info(stamped, tmp_path)["Pages"])
    per_sheet = total // len(serials)
    assert per_sheet >= 2 and total == per_sheet * len(serials)
    pages = ["".join(page.split()) for page in pdf_text(stamped, tmp_path).split("\f")]
    for index, serial in enumerate(serials):
        first, last = pages[index * per_sheet], pages[(index + 1) * per_sheet - 1]
        assert f"编号No.{serial}" in first and "仅用于计票核对" not in first
        assert f"测评表编号No.{serial}仅用于计票核对" in last
        assert all(f"No.{serial}" in page for page in pages[index * per_sheet : (index + 1) * per_sheet])
        assert qr_codes(stamped, tmp_path, index * per_sheet + 1) == [serial]
    assert _pixels(stamped, tmp_path, "stamped") == _pixels(full, tmp_path, "full")


@pytest.mark.usefixtures("pdf_tools")
def test_a_stamp_off_its_place_makes_the_sheets_rendered_in_full(app, factory, monkeypatch, tmp_path):
    meeting = factory.evaluation_meeting(deputies=0)
    db.session.commit()
    real = documents.render_pdf_html

    def foot_moved(template, **context):  # the foot's stamp 40 px lower than the sheet's room for it
        if template == documents.STAMPS_TEMPLATE:
            page, left, top = context["foot"]
            context["foot"] = (page, left, top + 40)
        return real(template, **context)

    monkeypatch.setattr(documents, "render_pdf_html", foot_moved)
    serials = documents.sheet_serials(meeting)
    with app.test_request_context():
        assert documents.stamped_sheets(meeting, serials, lambda _percent: None) is None
        data, fresh = documents.sheets_pdf(meeting)
    assert fresh
    pages = ["".join(page.split()) for page in pdf_text(data, tmp_path).split("\f")[: len(serials)]]
    for serial, page in zip(serials, pages, strict=True):
        assert f"测评表编号No.{serial:03d}仅用于计票核对" in page
