"""The office's answer to a sheet carries evidence files: stored with the answer, shown on the sheet,
named in the PDF, served to those who see the sheet, refused with a reason when not acceptable."""

from __future__ import annotations

import io

from supervise.extensions import db
from supervise.sheets.models import SheetState
from supervise.uploads.models import Attachment

from ..uploads.samples import pdf_bytes, png_bytes
from .conftest import text_of
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


def test_a_refused_evidence_file_keeps_the_typed_answer(client, town):
    sheet = town.sheet("acknowledged")
    sign_in(client, town.clerk)
    response = answer(client, sheet, [(io.BytesIO(b"<html>x</html>"), "报告.pdf")])
    assert response.status_code == 409
    page = text_of(response)
    assert "报告.pdf" in page and "未能上传" in page and "已返工整改 320 米。" in page
    db.session.refresh(sheet)
    assert sheet.state is SheetState.acknowledged
    assert db.session.execute(db.select(Attachment)).first() is None
