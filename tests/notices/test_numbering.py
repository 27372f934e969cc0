"""Notice numbers: `<short name>人大公〔<year>〕<n>号`, or the township's configured prefix; counted from
1 per township and year of publication like follow-up sheets, corrections included, no gaps and no
duplicates; printed on the notice's pages and its PDF, and frozen with it."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from supervise.accounts.models import User
from supervise.core.dates import shift_month
from supervise.extensions import db
from supervise.notices import operations as ops
from supervise.notices.documents import notice_pdf
from supervise.notices.models import PublicNotice
from tests.factories import Factory
from tests.helpers import at_the_same_moment, pdf_text, text_of

from .conftest import MONTH, make_town


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 2)  # 10:00 in China


def test_numbers_count_per_township_and_year_of_publication_corrections_included(factory):
    town = make_town(factory)
    other = make_town(factory, factory.township("城关镇"), name="黄文斌")
    year = MONTH.year
    first = town.publish(at=_at(year, 1, 5))
    correction = ops.publish_correction(town.chair, first, "进度有误", at=_at(year, 1, 6))
    elsewhere = other.publish(at=_at(year, 1, 7))
    again = ops.publish_correction(town.chair, correction, "再次更正", at=_at(year + 1, 1, 3))
    db.session.commit()
    short = town.township.short_name
    assert [n.document_number for n in (first, correction, again)] == [
        f"{short}人大公〔{year}〕1号",
        f"{short}人大公〔{year}〕2号",
        f"{short}人大公〔{year + 1}〕1号",
    ]
    assert (elsewhere.year, elsewhere.number) == (year, 1)
    assert elsewhere.document_number == f"{other.township.short_name}人大公〔{year}〕1号"


def test_the_townships_configured_prefix_and_a_later_change_does_not_renumber(factory):
    town = make_town(factory)
    town.township.notice_prefix = "江口镇人大公示"
    notice = town.publish()
    town.township.notice_prefix = "改了的前缀"
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(PublicNotice, notice.id).document_number == f"江口镇人大公示〔{notice.year}〕1号"


def test_an_abandoned_publication_leaves_no_gap(town):
    ops.publish_notice(town.chair, town.township.id, MONTH)
    db.session.rollback()  # the request failed after taking a number
    notice = town.publish()
    assert notice.number == 1


def test_the_number_is_on_the_public_page_the_board_and_the_presidiums_list(town, client, login_as):
    notice = town.publish()
    assert notice.document_number in text_of(client.get(town.notice_url(notice)))
    assert notice.document_number in text_of(client.get(f"/public/{town.township.slug}/"))
    login_as(town.chair)
    assert notice.document_number in text_of(client.get("/notices/"))


def test_the_prefix_is_a_township_setting(client, login_as, factory):
    township = factory.default_township
    login_as("admin")
    form = client.get(f"/manage/townships/{township.id}/edit")
    assert form.status_code == 200 and "公示文号前缀" in text_of(form)
    response = client.post(
        f"/manage/townships/{township.id}/edit",
        data={
            "county_id": township.county_id,
            "name": township.name,
            "short_name": township.short_name,
            "slug": township.slug,
            "report_due_day": "25",
            "notice_prefix": " 江口镇人大公示 ",
        },
    )
    assert response.status_code == 302
    db.session.refresh(township)
    assert township.notice_prefix == "江口镇人大公示"


@pytest.mark.usefixtures("pdf_tools")
def test_the_pdf_prints_the_number(app, town, tmp_path):
    notice = town.publish()
    with app.test_request_context():
        data, _fresh = notice_pdf(notice)
    assert notice.document_number in "".join(pdf_text(data, tmp_path).split())


def test_notices_published_at_the_same_moment_get_distinct_numbers_without_gaps(postgres_app):
    """Six presidium members publish six months at once (PostgreSQL)."""
    factory = Factory()
    office = factory.office()
    factory.supervised_item(shift_month(MONTH, -7), lead_office_id=office.id)
    chairs = [factory.user("presidium") for _ in range(6)]
    db.session.commit()
    jobs = [(chair.id, shift_month(MONTH, -n)) for n, chair in enumerate(chairs)]

    def publish(index: int) -> None:
        chair_id, month = jobs[index]
        chair = db.session.get(User, chair_id)
        missing = [item.id for item in ops.missing_reports(chair.township_id, month)]
        ops.publish_notice(chair, chair.township_id, month, missing_confirmed=missing)

    assert at_the_same_moment(postgres_app, publish, len(jobs)) == ["done"] * len(jobs)
    db.session.expire_all()
    numbers = sorted(db.session.execute(select(PublicNotice.number)).scalars())
    assert numbers == list(range(1, len(jobs) + 1))
