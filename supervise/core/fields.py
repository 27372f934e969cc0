"""Form fields whose parse errors speak the user's language (WTForms' own messages are English)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter
from wtforms import DateField, DecimalField, IntegerField, StringField


class LocalDateField(DateField):
    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format="%Y-%m-%d", **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_l("日期格式不正确，请按 年-月-日 填写，如 2026-06-30。"))) from error


class LocalDecimalField(DecimalField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_l("请填写数字，如 1200 或 35.5。"))) from error


class LocalIntegerField(IntegerField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_l("请填写整数。"))) from error


# The largest id PostgreSQL's INTEGER holds: a larger one cannot exist, and asking for it is an error.
MAX_ID = 2**31 - 1


def optional_int(value) -> int | None:
    """A chosen record's id, or None; an id that cannot exist raises ValueError (an invalid choice)."""
    if value in (None, "", "None"):
        return None
    number = int(value)
    if not 0 < number <= MAX_ID:
        raise ValueError(value)
    return number


def record_id(value) -> int:
    """A chosen record's id in a multiple choice; anything else is an invalid choice."""
    number = optional_int(value)
    if number is None:
        raise ValueError(value)
    return number


class TextField(StringField):
    """One line of text, without surrounding spaces or NUL characters (PostgreSQL cannot store them)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        # A field missing from the request is empty text, never None (the columns are NOT NULL).
        self.data = (self.data or "").replace("\x00", "").strip()


class BoundedIntConverter(IntegerConverter):
    """URL ids beyond PostgreSQL's INTEGER cannot exist: such URLs are a 404, not a database error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
