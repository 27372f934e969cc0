"""Drafting a sheet from a finding (or from an item's page) addresses it to the item's lead office and
fills the responsible leader from the item, unless the chair has chosen already."""

from __future__ import annotations

import re

from supervise.extensions import db
from tests.helpers import html_of


def chosen_office(page: str) -> str | None:
    select = page[
        page.index('id="lead_office_id"') : page.index("</select>", page.index('id="lead_office_id"'))
    ]
    found = re.search(r'<option value="(\d+)" selected', select)
    return found.group(1) if found else None


def leader(page: str) -> str:
    found = re.search(r'<input[^>]*name="leader_name"[^>]*>', page)
    assert found
    value = re.search(r'value="([^"]*)"', found.group(0))
    return value.group(1) if value else ""


def test_a_sheet_drafted_from_a_finding_is_addressed_to_its_items_office(client, login_as, factory):
    office = factory.office(name="规划建设环保办公室")
    item = factory.item("supervising", lead_office_id=office.id, leader_name="李副镇长")
    chair = login_as("presidium")
    finding = factory.filed_finding(chair, [item])
    db.session.commit()
    page = html_of(client.get(f"/sheets/new?finding={finding.id}"))
    assert chosen_office(page) == str(office.id)
    assert leader(page) == "李副镇长"


def test_without_a_leader_on_the_item_the_offices_leader_is_taken(client, login_as, factory):
    office = factory.office(name="财政所")  # its leader: 张建国
    item = factory.item("supervising", lead_office_id=office.id, leader_name="")
    login_as("presidium")
    db.session.commit()
    page = html_of(client.get(f"/sheets/new?item={item.id}"))
    assert chosen_office(page) == str(office.id) and leader(page) == "张建国"


def test_adding_findings_keeps_the_office_the_chair_chose(client, login_as, factory):
    chosen = factory.office(name="财政所")
    item = factory.item("supervising", lead_office_id=factory.office(name="农业服务中心").id)
    chair = login_as("presidium")
    finding = factory.filed_finding(chair, [item])
    db.session.commit()
    page = html_of(
        client.post(
            "/sheets/new",
            data={"action": "add_findings", "lead_office_id": chosen.id, "pick_findings": finding.id},
        )
    )
    assert chosen_office(page) == str(chosen.id)
    empty = html_of(client.post("/sheets/new", data={"action": "add_findings", "pick_findings": finding.id}))
    assert chosen_office(empty) == str(item.lead_office_id)


def test_a_blank_draft_names_no_office(client, login_as):
    login_as("presidium")
    page = html_of(client.get("/sheets/new"))
    assert chosen_office(page) is None and leader(page) == ""
