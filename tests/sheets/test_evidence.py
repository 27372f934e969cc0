"""The office's answer to a sheet carries evidence files: stored with the answer, shown on the sheet,
named in the PDF, served to those who see the sheet, refused with a reason when not acceptable."""

from __future__ import annotations

import io

from supervise.extensions import db
from supervise.sheets.models import SheetState
from supervise.uploads.models import Attachment
from tests.helpers import hidden_value, text_of

from ..uploads.samples import pdf_bytes, png_bytes
from .test_pages import sign_in


def answer(client, sheet, files):
    return client.post(
        f"/sheets/{sheet.id}/actions/answer",
        data={"measures": "已返工整改 320 米。", "evidence": "验收报告", "evidence_files": files},
        content_type="multipart/form-data",
    )


def test_evidence_files_hang_on_the_answer(app, client, town, factory):
    sheet = town.sheet("acknowledged")
    sign_in(client, town.clerk)
    response = answer(
        client, sheet, [(io.BytesIO(pdf_bytes()), "验收报告.pdf"), (io.BytesIO(png_bytes()), "现场.png")]
    )
    assert response.status_code == 302, text_of(response)[:300]
    db.session.refresh(sheet)
    assert sheet.state is SheetState.answered
    files = db.session.execute(db.select(Attachment).order_by(Attachment.id)).scalars().all()
    assert [(a.original_name, a.owner_kind, a.owner_id) for a in files] == [
        ("验收报告.pdf", "sheet_answer", sheet.latest_answer.id),
        ("现场.png", "sheet_answer", sheet.latest_answer.id),
    ]
    page = client.get(f"/sheets/{sheet.id}").get_data(as_text=True)
    assert f"/files/{files[0].id}" in page and f"/files/{files[1].id}/preview" in page
    # The presidium sees them; another office, which does not see the sheet, does not.
    chair = app.test_client()
    sign_in(chair, town.chair)
    assert chair.get(f"/files/{files[0].id}").status_code == 200
    other = app.test_client()
    sign_in(other, factory.user("government"))
    db.session.commit()
    assert other.get(f"/files/{files[0].id}").status_code == 404
    # The PDF names them in the answer box.
    import subprocess

    pdf = chair.get(f"/sheets/{sheet.id}/pdf").data
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "验收报告.pdf" in text


def test_a_refused_evidence_file_keeps_the_typed_answer_and_the_accepted_files(client, town):
    sheet = town.sheet("acknowledged")
    sign_in(client, town.clerk)
    response = answer(
        client, sheet, [(io.BytesIO(png_bytes()), "现场.png"), (io.BytesIO(b"<html>x</html>"), "报告.pdf")]
    )
    assert response.status_code == 200  # re-shown, and the accepted photo is committed as pending
    page = text_of(response)
    assert "报告.pdf" in page and "未能上传" in page and "已返工整改 320 米。" in page
    db.session.refresh(sheet)
    assert sheet.state is SheetState.acknowledged
    kept = db.session.execute(db.select(Attachment)).scalar_one()
    assert (kept.original_name, kept.owner_kind) == ("现场.png", None)
    assert hidden_value(response.get_data(as_text=True), "kept_files") == str(kept.id)
    assert "现场.png" in page

    # Sent again with the kept file and a fresh one: both hang on the answer.
    again = client.post(
        f"/sheets/{sheet.id}/actions/answer",
        data={
            "measures": "已返工整改 320 米。",
            "evidence": "",
            "kept_files": str(kept.id),
            "evidence_files": [(io.BytesIO(pdf_bytes()), "验收报告.pdf")],
        },
        content_type="multipart/form-data",
    )
    assert again.status_code == 302, text_of(again)[:300]
    db.session.refresh(sheet)
    assert sheet.state is SheetState.answered and sheet.evidence == ""
    files = db.session.execute(db.select(Attachment).order_by(Attachment.id)).scalars().all()
    assert [(a.original_name, a.owner_kind, a.owner_id) for a in files] == [
        ("现场.png", "sheet_answer", sheet.latest_answer.id),
        ("验收报告.pdf", "sheet_answer", sheet.latest_answer.id),
    ]


def test_a_file_alone_is_evidence_text_alone_too_but_not_neither(app, client, town):
    with_file, with_text, with_neither = (town.sheet("acknowledged") for _ in range(3))
    sign_in(client, town.clerk)

    def send(sheet, evidence, files):
        return client.post(
            f"/sheets/{sheet.id}/actions/answer",
            data={"measures": "已整改。", "evidence": evidence, "evidence_files": files},
            content_type="multipart/form-data",
        )

    assert send(with_file, "", [(io.BytesIO(png_bytes()), "现场.png")]).status_code == 302
    assert send(with_text, "验收报告存档于建设办。", []).status_code == 302
    refused = send(with_neither, "  ", [])
    assert refused.status_code == 200 and "至少一个佐证文件" in text_of(refused)
    for sheet, state in ((with_file, "answered"), (with_text, "answered"), (with_neither, "acknowledged")):
        db.session.refresh(sheet)
        assert sheet.state.value == state


def test_a_dropped_kept_file_is_not_attached(client, town):
    sheet = town.sheet("acknowledged")
    sign_in(client, town.clerk)
    first = answer(client, sheet, [(io.BytesIO(png_bytes()), "错拍.png"), (io.BytesIO(b""), "空.pdf")])
    assert first.status_code == 200
    kept = db.session.execute(db.select(Attachment)).scalar_one()
    again = client.post(
        f"/sheets/{sheet.id}/actions/answer",
        data={
            "measures": "已整改。",
            "evidence": "验收报告。",
            "kept_files": str(kept.id),
            "evidence_drop": str(kept.id),
        },
    )
    assert again.status_code == 302
    db.session.refresh(kept)
    assert kept.owner_kind is None


def answer_with_a_photo(client, sheet, name: str) -> None:
    photo = [(io.BytesIO(png_bytes()), name)]
    sent = client.post(
        f"/sheets/{sheet.id}/actions/answer",
        data={"measures": "已返工。", "evidence": "", "evidence_files": photo},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302, text_of(sent)[:300]


def evidence_and_page(client, sheet) -> tuple[str, str]:
    """The answer's 佐证材料 (its <dd>) and the whole page."""
    page = client.get(f"/sheets/{sheet.id}").get_data(as_text=True)
    start = page.index('id="answer-evidence"')
    return page[start : page.index("</dd>", start)], page


def test_the_evidence_files_show_with_the_answer_once(app, client, town):
    """The answer reads "佐证材料 见附件": the files are there, not only in the history, and once."""
    sheet = town.sheet("acknowledged")
    sign_in(client, town.clerk)
    answer_with_a_photo(client, sheet, "返工前.png")
    first = db.session.execute(db.select(Attachment)).scalar_one()
    evidence, page = evidence_and_page(client, sheet)
    assert "见附件" in evidence and f"/files/{first.id}" in evidence and "返工前.png" in evidence
    assert page.count(f'href="/files/{first.id}"') == 1  # not again under 办理经过

    # Returned and answered afresh: the new answer's files are with it, the first one's in the history.
    chair = app.test_client()
    sign_in(chair, town.chair)
    returned = chair.post(f"/sheets/{sheet.id}/actions/return", data={"reason": "照片不清楚。"})
    assert returned.status_code == 302
    answer_with_a_photo(client, sheet, "返工后.png")
    second = db.session.execute(db.select(Attachment).where(Attachment.id != first.id)).scalar_one()
    evidence, page = evidence_and_page(client, sheet)
    assert f"/files/{second.id}" in evidence and f"/files/{first.id}" not in evidence
    assert page.count(f'href="/files/{second.id}"') == 1 and page.count(f'href="/files/{first.id}"') == 1
