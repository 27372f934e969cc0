"""The helpers that replaced repeated code: link tables, choice fields, kept files, refusals."""

from __future__ import annotations

import pytest
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField

from supervise.core.errors import DomainError, flush_or_refuse, stale_refused
from supervise.core.fields import Chosen, keep_files, kept_file_ids, record_choice, records_choice
from supervise.extensions import db
from supervise.inspections.models import InspectionMethod, finding_item
from supervise.lists.models import item_proposer
from supervise.meetings.models import consultation_office


def test_link_tables_keep_their_columns_keys_and_indexes():
    owner, other = finding_item.c.finding_id, finding_item.c.item_id
    assert [c.name for c in finding_item.primary_key] == ["finding_id", "item_id"]
    assert next(iter(owner.foreign_keys)).ondelete == "CASCADE"
    assert next(iter(other.foreign_keys)).ondelete is None
    assert next(iter(other.foreign_keys)).target_fullname == "item.id"
    assert other.index and not owner.index
    assert not consultation_office.c.office_id.index
    assert [c.name for c in item_proposer.columns] == ["item_id", "deputy_id"]


class _Form(FlaskForm):
    class Meta:
        csrf = False

    office_id = record_choice("office", Chosen("choose an office"))
    item_ids = records_choice("items", Chosen("choose an item"))
    kept_files = HiddenField()


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"office_id": "3", "item_ids": ["4", "5"]}, {}),
        ({"office_id": "", "item_ids": ["4"]}, {"office_id": ["choose an office"]}),
        ({"office_id": "3"}, {"item_ids": ["choose an item"]}),
    ],
)
def test_a_choice_must_be_made_without_the_html_required_attribute(app, data, errors):
    with app.test_request_context(method="POST"):
        form = _Form(formdata=MultiDict(data))
        form.validate()
        assert form.errors == errors
        assert "required" not in form.office_id()
        assert "required" not in form.item_ids()


def test_kept_files_read_and_carry_ids(app):
    class _File:
        def __init__(self, id):
            self.id = id

    with app.test_request_context(method="POST"):
        form = _Form(formdata=MultiDict({"kept_files": "7,x,8,7"}))
        assert kept_file_ids(form.kept_files) == [7, 8]
        keep_files(form.kept_files, [_File(9), _File(2)])
        assert kept_file_ids(form.kept_files) == [9, 2]
        assert 'value="9,2"' in form.kept_files()
        assert kept_file_ids(_Form(formdata=MultiDict()).kept_files) == []


def test_an_enum_member_from_a_query_argument():
    assert InspectionMethod.from_arg("tour") is InspectionMethod.tour
    assert InspectionMethod.from_arg("nonsense") is None
    assert InspectionMethod.from_arg(None) is None
    assert InspectionMethod.from_arg("") is None


def test_a_lost_race_becomes_the_refusal_message():
    with pytest.raises(DomainError, match="someone else"), stale_refused("someone else"):
        raise StaleDataError("version changed")


def test_a_broken_unique_key_on_flush_becomes_the_refusal_message(app, factory):
    township = factory.default_township
    db.session.commit()
    db.session.add(type(township)(county_id=township.county_id, name=township.name, short_name="x", slug="x"))
    with pytest.raises(DomainError, match="taken") as refused:
        flush_or_refuse("taken")
    assert isinstance(refused.value.__cause__, IntegrityError)
    db.session.rollback()
