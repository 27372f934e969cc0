"""What follows a meeting: the government's report, the year's assessment table (.xlsx), publishing."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from supervise.evaluation import publishing
from supervise.evaluation.models import PublishedResult, PublishedResultIsFrozen, PublishedResultLine
from supervise.extensions import db
from supervise.lists.models import Rating
from supervise.org.models import Office
from tests.helpers import text_of

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_chair_attaches_the_governments_report(client, login_as, factory):
    chair = login_as("presidium")
    meeting = factory.evaluation_meeting(chair)
    db.session.commit()
    url = f"/evaluation/{meeting.id}/report"
    empty = client.post(url, data={}, content_type="multipart/form-data")
    assert empty.status_code == 400 and "请选择政府工作报告的文件" in text_of(empty)
    bad = client.post(
        url, data={"report_files": (io.BytesIO(b"<html>"), "报告.pdf")}, content_type="multipart/form-data"
    )
    assert bad.status_code == 400
    good = client.post(
        url, data={"report_files": (io.BytesIO(PDF), "政府工作报告.pdf")}, content_type="multipart/form-data"
    )
    assert good.status_code == 302
    page = client.get(f"/evaluation/{meeting.id}")
    assert "政府工作报告.pdf" in text_of(page)
    link = next(a for a in page.get_data(as_text=True).split('"') if a.startswith("/files/"))
    assert client.get(link).status_code == 200
    # A deputy of the township may read it (deputies deliberate on it); another township's chair may not.
    client.post("/logout")
    login_as("deputy")
    assert client.get(link).status_code == 200
    client.post("/logout")
    login_as(factory.user("presidium", township=factory.township("外镇")))
    assert client.get(link).status_code == 404


def test_the_assessment_table_lists_offices_with_their_leaders_and_exports(client, login_as, factory):
    chair = login_as("presidium")
    office = factory.office(chair.township, name="农业综合服务中心")
    office.leader_name, office.leader_title = '=HYPERLINK("x")', "副镇长"
    meeting = factory.closed_evaluation(chair, voters=3)
    assert office.id in {line.office_id for line in meeting.lines}
    # The leader rated is the one at the meeting: a later change of leader does not rewrite the table.
    office.leader_name, office.leader_title = "新任者", "镇长"
    db.session.commit()
    page = client.get("/evaluation/assessment?year=2026")
    assert page.status_code == 200
    text = text_of(page)
    assert office.name in text and "副镇长" in text and "100%" in text and "满意" in text
    assert "新任者" not in text
    assert "还没有结束投票" in text_of(client.get("/evaluation/assessment?year=2020"))
    assert client.get("/evaluation/assessment?year=abc").status_code == 200  # falls back to this year
    export = client.get("/evaluation/assessment.xlsx?year=2026")
    assert export.status_code == 200 and export.data.startswith(b"PK")
    sheet = load_workbook(io.BytesIO(export.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[1][:4] == ["乡镇", "站所（部门）", "负责人职务", "负责人"]
    mine = next(r for r in rows[2:] if r[1] == office.name)
    assert mine[3] == '\'=HYPERLINK("x")'  # neutralised: never run as a formula
    assert mine[5] == 3 and mine[10] == "满意"
    # The satisfaction rate is a number shown as a percentage, not the text "100%".
    rate = sheet.cell(row=rows.index(mine) + 1, column=10)
    assert (rate.value, rate.data_type, rate.number_format) == (1, "n", "0.0%")


def test_the_assessment_counts_a_joint_led_item_for_each_of_its_lead_offices(login_as, factory):
    from supervise.evaluation.assessment import assessment_rows
    from supervise.evaluation.models import Mark

    chair = login_as("presidium")
    township = chair.township
    lead = factory.office(township, name="镇农业农村办")
    joint = factory.office(township, name="镇财政所")
    other = factory.office(township, name="镇司法所")
    items = [
        factory.item(
            "verified",
            township=township,
            title="沙坪村产业路硬化",
            lead_office_id=lead.id,
            joint_lead_offices=[joint],
        ),
        factory.item("verified", township=township, title="中心小学运动场改造", lead_office_id=other.id),
    ]
    factory.closed_evaluation(chair, voters=3, items=items, marks={"沙坪村产业路硬化": Mark.dissatisfied})
    db.session.commit()
    rows = {row.office: row for row in assessment_rows(chair, 2026)}
    # The joint lead answers for the item as much as the lead office: both count its grade.
    assert rows[lead.name].items == {Rating.dissatisfied: 1}
    assert rows[joint.name].items == {Rating.dissatisfied: 1}
    assert rows[other.name].items == {Rating.satisfied: 1}
    assert "不满意 1" in rows[joint.name].items_text


def test_the_assessment_table_costs_the_same_queries_for_more_offices(
    client, login_as, factory, count_queries
):
    chair = login_as("presidium")
    factory.closed_evaluation(chair, voters=2)
    db.session.commit()
    with count_queries() as few:
        assert client.get("/evaluation/assessment?year=2026").status_code == 200
    for n in range(6):
        db.session.add(Office(township_id=chair.township_id, name=f"新站所{n}"))
    factory.closed_evaluation(chair, voters=2)
    db.session.commit()
    with count_queries() as many:
        client.get("/evaluation/assessment?year=2026")
    # One more meeting costs its own few queries; more offices cost nothing.
    assert many.count <= 2 * few.count


def test_publishing_makes_a_frozen_public_snapshot(client, login_as, factory):
    chair = login_as("presidium")
    meeting = factory.closed_evaluation(chair, voters=3)
    db.session.commit()
    response = client.post(f"/evaluation/{meeting.id}/publish")
    assert response.status_code == 302
    published = db.session.execute(db.select(PublishedResult)).scalar_one()
    assert response.location.endswith(f"/public/{meeting.township.slug}/evaluations/{published.id}")
    again = client.post(f"/evaluation/{meeting.id}/publish")
    assert again.status_code == 409 and "已经公示过了" in text_of(again)
    client.post("/logout")
    page = client.get(response.location)
    assert page.status_code == 200
    text = text_of(page)
    assert "评议事项1" in text and "100%" in text and "应到代表" in text
    assert meeting.township.name in text_of(client.get(f"/public/{meeting.township.slug}/evaluations/"))
    # No notice published yet: the public entry still leads to the results.
    index = client.get("/public/").get_data(as_text=True)
    assert f"/public/{meeting.township.slug}/evaluations/" in index
    # The snapshot does not follow the live data, and cannot be changed or deleted.
    meeting.lines[0].title = "改过的标题"
    db.session.commit()
    assert "改过的标题" not in text_of(client.get(response.location))
    line = db.session.execute(db.select(PublishedResultLine)).scalars().first()
    line.satisfied = 0
    with pytest.raises(PublishedResultIsFrozen):
        db.session.flush()
    db.session.rollback()


def test_an_open_meeting_cannot_be_published(factory):
    from supervise.core.errors import DomainError

    chair = factory.user("presidium")
    meeting = factory.evaluation_meeting(chair)
    with pytest.raises(DomainError):
        publishing.publish_results(chair, meeting)


def test_unpublished_foreign_and_made_up_result_addresses_are_404(client, factory):
    town = factory.closed_evaluation(publish=True)
    other_chair = factory.user("presidium", township=factory.township("外镇"))
    unpublished = factory.closed_evaluation(other_chair)
    db.session.commit()
    published = db.session.execute(db.select(PublishedResult)).scalar_one()
    slug, other = town.township.slug, other_chair.township.slug
    assert client.get(f"/public/{slug}/evaluations/{published.id}").status_code == 200
    for url in (
        f"/public/{other}/evaluations/{published.id}",  # under another township's address
        f"/public/no-such-town/evaluations/{published.id}",
        f"/public/{slug}/evaluations/{published.id + 1}",
        f"/public/{other}/evaluations/{unpublished.id}",
        "/public/no-such-town/evaluations/",
    ):
        assert client.get(url).status_code == 404, url


def test_an_item_finished_last_year_can_be_added_before_the_offices(factory):
    from supervise.core.errors import DomainError
    from supervise.evaluation import operations

    chair = factory.user("presidium")
    meeting = factory.evaluation_meeting(chair)
    road = factory.item("verified", township=chair.township, title="集镇道路改造提升项目")
    road.supervision_list.year = 2025
    assert operations.add_item_lines(chair, meeting, [road]) == 1
    assert operations.add_item_lines(chair, meeting, [road]) == 0  # already rated
    titles = [line.title for line in meeting.lines]
    assert titles.index("集镇道路改造提升项目") == 2 and [line.position for line in meeting.lines] == list(
        range(1, len(titles) + 1)
    )
    foreign = factory.item("verified", township=factory.township("外镇"))
    with pytest.raises(DomainError):
        operations.add_item_lines(chair, meeting, [foreign])
    # An ended item (closed, withdrawn, carried over) can take no result: it is not rated.
    closed = factory.item("closed", township=chair.township, title="已销号", result=Rating.satisfied)
    with pytest.raises(DomainError, match="已销号"):
        operations.add_item_lines(chair, meeting, [closed])
