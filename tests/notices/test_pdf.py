"""The notice's A4 PDF: its content, the QR code that decodes to the notice's web address, stored once."""

from __future__ import annotations

import pytest

from supervise.extensions import db
from supervise.notices.documents import notice_pdf
from supervise.notices.models import NoticeDocument
from tests.helpers import pdf_info, pdf_text, qr_codes

from .conftest import make_town


@pytest.mark.usefixtures("pdf_tools", "render_on_change")
def test_the_qr_code_decodes_to_the_notice_url(app, town, client, tmp_path):
    # Published from a request on the public address: the worker makes the QR code on it.
    with app.test_request_context(base_url="https://renda.example.cn"):
        notice = town.publish()
        db.session.commit()
    response = client.get(town.notice_url(notice, "/pdf"), base_url="https://renda.example.cn")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert qr_codes(response.get_data(), tmp_path) == [
        f"https://renda.example.cn/public/{town.township.slug}/notices/{notice.id}"
    ]


@pytest.mark.usefixtures("pdf_tools")
def test_the_configured_public_base_url_wins_over_the_request(app, town, tmp_path):
    notice = town.publish()
    app.config["PUBLIC_BASE_URL"] = "https://gongshi.ningshan.gov.cn/"
    with app.test_request_context(base_url="http://10.0.0.5:8000"):
        data, fresh = notice_pdf(notice)
    assert fresh
    assert qr_codes(data, tmp_path) == [
        f"https://gongshi.ningshan.gov.cn/public/{town.township.slug}/notices/{notice.id}"
    ]


@pytest.mark.usefixtures("pdf_tools")
def test_the_pdf_prints_the_snapshot_and_is_stored_once(app, town, tmp_path):
    notice = town.publish()
    with app.test_request_context():
        data, fresh = notice_pdf(notice)
        again, fresh_again = notice_pdf(notice)
    assert fresh and not fresh_again and again == data
    assert db.session.get(NoticeDocument, notice.id) is not None
    text = "".join(pdf_text(data, tmp_path).split())
    for expected in (
        "江口镇人民代表大会主席团",
        notice.title,
        "集镇道路",
        "规划建设环保",  # table cells wrap and interleave: check the start of longer texts
        "杨春花",
        "路基完成，正在",
        "雨季影响工期。",
        "60%",
        "盖章",
    ):
        assert expected in text, expected
    assert "1389150" not in text and "内部备注" not in text


@pytest.mark.usefixtures("pdf_tools")
def test_a_long_notice_runs_over_pages_with_the_qr_code_on_the_first(app, factory, tmp_path):
    town = make_town(factory, items=30)
    notice = town.publish()
    with app.test_request_context(base_url="http://localhost"):
        data, _fresh = notice_pdf(notice)
    assert int(pdf_info(data, tmp_path)["Pages"]) >= 2
    assert qr_codes(data, tmp_path) == [f"http://localhost/public/{town.township.slug}/notices/{notice.id}"]


def test_the_printed_notice_is_chinese_for_an_english_reader(app, town):
    from flask_babel import force_locale

    from supervise.notices.documents import notice_html

    from .conftest import MONTH

    notice = town.publish()
    with app.test_request_context(), force_locale("en"):
        assert notice.month_label == MONTH.strftime("%B %Y")  # the page around it is English
        html = notice_html(notice)
    assert f"{MONTH.year}年{MONTH.month}月" in html and MONTH.strftime("%B") not in html


@pytest.mark.usefixtures("pdf_tools")
def test_long_rows_flow_onto_the_first_page_instead_of_leaving_it_empty(app, factory, tmp_path):
    """A month's report can run to half a page: a row that does not fit at the bottom of a page is
    split there (a few lines kept together), not moved whole to the next page."""
    town = make_town(factory, items=4)
    for n, item in enumerate(town.items, start=1):
        factory.report_row(item, version=2, percent=50, done=f"第{n}项起" + "施工进展顺利，路基已完成。" * 40)
    db.session.commit()
    notice = town.publish()
    with app.test_request_context():
        pages = pdf_text(notice_pdf(notice)[0], tmp_path).split("\f")
    first = pages[0].replace("\n", "").replace(" ", "")
    assert "第1项起" in first
    # Page 1 is filled down to its foot: far more of the reports than one short row's worth.
    assert first.count("路基已完成") > 20
