"""Phone-code slips carry a QR code that opens the phone ballot with the slip's code filled in; the
code rides in the URL's fragment, which no request sends (so no access log holds a code)."""

from __future__ import annotations

import re
from html import unescape

from supervise.ballots.slips import vote_url
from supervise.core.pdf import html_to_pdf
from supervise.evaluation import operations as ops
from supervise.evaluation.models import BallotKind
from supervise.extensions import db
from tests.helpers import qr_codes

from .conftest import Hall

SLIP = re.compile(
    r'<img class="eval-slip-qr" src="([^"]+)"[^>]*>\s*<div class="eval-code">([A-Z0-9-]+)</div>'
)


def test_each_slip_carries_a_qr_code_of_the_ballot_with_its_own_code(
    client, factory, login_as, pdf_tools, tmp_path
):
    hall = Hall(factory)
    login_as(hall.chair)
    ids = hall.open()
    for deputy_id in ids[:2]:
        ops.hand_out(hall.chair, hall.meeting, deputy_id, BallotKind.phone)
    db.session.commit()
    page = client.post(f"/evaluation/{hall.meeting.id}/codes", data={"count": "2"})
    assert page.status_code == 200
    slips = SLIP.findall(page.get_data(as_text=True))
    assert len(slips) == 2
    # Read the QR codes as a scanner would: printed, then decoded from the image.
    images = "".join(f'<img src="{unescape(src)}" style="width:40mm;margin:20mm">' for src, _code in slips)
    pdf = html_to_pdf(f"<html><body>{images}</body></html>")
    decoded = qr_codes(pdf, tmp_path)
    assert sorted(decoded) == sorted(f"http://localhost/vote#code={code}" for _src, code in slips)
    # The code page accepts the code as the QR code carries it.
    _src, code = slips[0]
    client.post("/logout")
    ballot = client.post("/vote", data={"code": code})
    assert ballot.status_code == 200 and "提交选票" in ballot.get_data(as_text=True)


def test_the_vote_page_fills_in_a_code_from_the_fragment_with_its_script(client):
    html = client.get("/vote").get_data(as_text=True)
    assert re.search(r'<script src="/vote/assets/vote\.js[^"]*" defer>', html)
    assert 'id="code"' in html


def test_the_slip_address_is_right_under_a_sub_path_and_on_the_public_base_url(app):
    with app.test_request_context("/", base_url="http://example.org/renda/"):
        assert vote_url("AB12") == "http://example.org/renda/vote#code=AB12"
    app.config["PUBLIC_BASE_URL"] = "https://renda.ningshan.gov.cn/kou/"
    with app.test_request_context("/", base_url="http://10.0.0.5:8000/renda/"):
        assert vote_url("AB12") == "https://renda.ningshan.gov.cn/kou/vote#code=AB12"
