"""An office's contact person and phone (联系人、联系电话), managed with the office and shown on the
pages of the items it leads."""

from __future__ import annotations

from supervise.extensions import db
from supervise.org.models import Office
from tests.helpers import html_of, text_of


def test_the_presidium_records_an_offices_contact_and_the_list_shows_it(client, login_as, factory):
    office = factory.office(name="经济发展办公室")
    db.session.commit()
    login_as("presidium")
    response = client.post(
        f"/manage/offices/{office.id}/edit",
        data={"name": "经济发展办公室", "contact_person": " 孙晓梅 ", "contact_phone": "0571-6512 3302"},
    )
    assert response.status_code == 302
    db.session.refresh(office)
    assert (office.contact_person, office.contact_phone) == ("孙晓梅", "0571-6512 3302")
    listed = text_of(client.get("/manage/offices/"))
    assert "联系人" in listed and "孙晓梅" in listed and "0571-6512 3302" in listed


def test_a_bad_phone_is_refused_with_the_typing_kept(client, login_as, factory):
    office = factory.office(name="财政所")
    db.session.commit()
    login_as("presidium")
    response = client.post(
        f"/manage/offices/{office.id}/edit",
        data={"name": "财政所", "contact_person": "周明", "contact_phone": "打电话找周明"},
    )
    assert response.status_code == 200
    html = html_of(response)
    assert "电话号码只能包含数字" in html and 'value="周明"' in html and 'value="打电话找周明"' in html
    db.session.refresh(office)
    assert (office.contact_person, office.contact_phone) == ("", "")
    assert db.session.get(Office, office.id).name == "财政所"
