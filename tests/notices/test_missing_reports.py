"""Publishing a month's notice while items still owe that month's report asks first: how many and
which (office and item), on a page of its own; publishing then needs those very items confirmed."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from supervise.core.dates import shift_month
from supervise.extensions import db
from supervise.notices import operations as ops
from supervise.notices.models import PublicNotice
from tests.helpers import html_of, text_of

from .conftest import MONTH


@pytest.fixture
def unreported(factory, town):
    """An item of the town's office under supervision since last month, with no report this month."""
    item = factory.supervised_item(
        shift_month(MONTH, -1), lead_office_id=town.office.id, title="冷水沟村饮水工程"
    )
    db.session.commit()
    return item


def test_the_operation_refuses_until_the_missing_items_are_confirmed(town, unreported):
    with pytest.raises(ops.ReportsMissing, match="还有 1 个事项未报送月报") as refused:
        ops.publish_notice(town.chair, town.township.id, MONTH)
    assert [item.id for item in refused.value.missing] == [unreported.id]
    notice = ops.publish_notice(town.chair, town.township.id, MONTH, missing_confirmed=[unreported.id])
    line = next(line for line in notice.lines if line.item_id == unreported.id)
    assert not line.reported


def test_an_item_missing_since_the_confirmation_asks_again(town, unreported, factory):
    later = factory.supervised_item(shift_month(MONTH, -1), lead_office_id=town.office.id, title="后来的事项")
    with pytest.raises(ops.ReportsMissing) as refused:
        ops.publish_notice(town.chair, town.township.id, MONTH, missing_confirmed=[unreported.id])
    assert {item.id for item in refused.value.missing} == {unreported.id, later.id}


def test_reported_items_ask_nothing(town, client, login_as):
    assert ops.missing_reports(town.township.id, MONTH) == []
    login_as(town.chair)
    preview = html_of(client.get(f"/notices/preview?month={MONTH.year}-{MONTH.month:02d}"))
    publish_form = re.search(r'<form[^>]*action="/notices/publish"[^>]*>', preview).group(0)
    assert 'data-confirm="发布后公示即编号并固定' in publish_form  # the one question asked
    assert town.publish(missing_confirmed=()).number == 1


def test_the_publish_button_shows_what_is_missing_and_asks_to_confirm(town, unreported, client, login_as):
    login_as(town.chair)
    month = f"{MONTH.year}-{MONTH.month:02d}"
    preview = html_of(client.get(f"/notices/preview?month={month}"))
    # The next page names the missing reports and asks: the preview's button asks nothing first.
    publish_form = re.search(r'<form[^>]*action="/notices/publish"[^>]*>', preview).group(0)
    assert "data-confirm" not in publish_form

    asked = client.post("/notices/publish", data={"month": month, "title": "我的标题"})

    assert asked.status_code == 200
    assert db.session.execute(select(PublicNotice)).first() is None
    text = text_of(asked)
    assert "还有 1 个事项未报送月报" in text
    assert "规划建设环保办公室" in text and unreported.code in text and "冷水沟村饮水工程" in text
    assert "集镇道路改造提升项目" not in text  # reported: not listed
    html = unescape(html_of(asked))
    form = re.search(r'<form[^>]*action="/notices/publish"[^>]*>.*?</form>', html, re.S).group(0)
    assert "data-confirm=" in form and "未报送月报的 1 个事项" in form
    fields = dict(re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', form))
    assert fields["missing_confirmed"] == str(unreported.id) and fields["title"] == "我的标题"

    published = client.post("/notices/publish", data=fields)

    assert published.status_code == 302
    notice = db.session.execute(select(PublicNotice)).scalar_one()
    assert notice.title == "我的标题" and notice.number == 1


def test_an_item_that_owes_no_report_is_not_called_missing_on_the_notice(town, unreported, factory, client):
    """An item reported completed last month shows on this month's notice by its state, not as a
    report missing: the notice says exactly what the confirmation step counted."""
    done = factory.supervised_item(
        shift_month(MONTH, -3),
        left=shift_month(MONTH, -1),
        lead_office_id=town.office.id,
        title="集镇路灯改造",
    )
    db.session.commit()
    notice = ops.publish_notice(town.chair, town.township.id, MONTH, missing_confirmed=[unreported.id])
    lines = {line.item_id: line for line in notice.lines}
    assert (lines[done.id].reported, lines[done.id].owed_report) == (False, False)
    assert (lines[unreported.id].reported, lines[unreported.id].owed_report) == (False, True)
    db.session.commit()
    page = text_of(client.get(town.notice_url(notice)))
    assert page.count("本月未报送进展") == 1
