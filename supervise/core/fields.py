"""Form fields whose parse errors speak the user's language (WTForms' own messages are English)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter
from wtforms import DateField, DecimalField, Field, HiddenField, IntegerField, StringField
from wtforms.fields.choices import SelectField, SelectMultipleField
from wtforms.validators import NumberRange, StopValidation, ValidationError
from wtforms.widgets import TextInput


class LocalDateField(DateField):
    def __init__(self, label: str | None = None, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, format="%Y-%m-%d", **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_l("日期格式不正确，请按 年-月-日 填写，如 2026-06-30。"))) from error


# The mixin below is always combined with a wtforms number field; the type checker sees it as one.
if TYPE_CHECKING:
    _NumberFieldBase = Field
else:
    _NumberFieldBase = object


class _TypedNumber(_NumberFieldBase):
    """A number typed as text: what was typed comes back after an error, and a value that does not
    parse shows only that error (the range and required checks would only repeat it about None).

    The input is type="text" with a numeric keyboard: a type="number" input drops text it cannot
    parse, so the user would find the field empty instead of their typing with the error under it.
    """

    widget: Any = TextInput()
    input_mode = "numeric"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["render_kw"] = {"inputmode": self.input_mode, **(kwargs.get("render_kw") or {})}
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        # Nothing typed is no number, not a bad one: the required/optional validators judge it.
        if valuelist and not str(valuelist[0]).strip():
            self.data = None
            return
        super().process_formdata(valuelist)

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:
            raise StopValidation()
        super().pre_validate(form)


# The range of PostgreSQL's INTEGER, which every integer column is: a larger id cannot exist, and
# storing a larger number is a database error. Numbers typed into forms are checked against it here.
MIN_INT = -(2**31)
MAX_ID = 2**31 - 1


def _out_of_range(field: Field, largest: Decimal | None = None) -> ValueError:
    """The error for a number no column can hold: the message of the field's range on the side it
    breaks (a year of 400 digits is "not between 2000 and 2100"), else "too large", with the
    ``largest`` number the column holds when it is known and the number is above it."""
    value, field.data = field.data, None
    for validator in field.validators:
        if not isinstance(validator, NumberRange) or not validator.message:
            continue
        low, high = validator.min, validator.max
        if (low is not None and value < low) or (high is not None and value > high):
            return ValueError(str(validator.message) % {"min": low, "max": high})
    if largest is not None and value > largest:
        return ValueError(str(_l("数字太大：最大为 %(max)s。", max=largest)))
    return ValueError(str(_l("数字太大，请检查后重新填写。")))


class LocalDecimalField(_TypedNumber, DecimalField):
    """An amount of a NUMERIC(``max_digits``, ``places``) column (万元: NUMERIC(12, 2))."""

    input_mode = "decimal"

    def __init__(self, *args: Any, max_digits: int = 12, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit = Decimal(10) ** (max_digits - (self.places or 0))
        self.largest = self.limit - Decimal(10) ** -(self.places or 0)  # 9999999999.99

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except (ValueError, ArithmeticError) as error:
            raise ValueError(str(_l("请填写数字，如 1200 或 35.5。"))) from error
        # Decimal takes "NaN", "sNaN" and "Infinity"; none of them is an amount.
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(str(_l("请填写数字，如 1200 或 35.5。")))
        if self.data is not None and abs(self.data) >= self.limit:
            raise _out_of_range(self, self.largest)
        # The column keeps ``places`` decimals: more would be rounded away unseen (0.0000001 → 0).
        places = self.places or 0
        if self.data is not None and self.data != self.data.quantize(Decimal(10) ** -places):
            self.data = None
            raise ValueError(str(_l("小数点后最多 %(places)d 位，请检查后重新填写。", places=places)))


class LocalIntegerField(_TypedNumber, IntegerField):
    """A whole number that an INTEGER column holds; beyond it, the field's error, never a database error."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:  # also a number of more digits than Python parses
            raise ValueError(str(_l("请填写整数。"))) from error
        if self.data is not None and not MIN_INT <= self.data <= MAX_ID:
            raise _out_of_range(self)


def optional_int(value: str | int | None) -> int | None:
    """A chosen record's id, or None; an id that cannot exist raises ValueError (an invalid choice)."""
    if value in (None, "", "None"):
        return None
    number = int(value)
    if not 0 < number <= MAX_ID:
        raise ValueError(value)
    return number


_DIGITS = re.compile(r"[0-9]{1,10}")


def as_id(value: object) -> int | None:
    """An id from untrusted text ("12"), or None for anything else: "²", "-1", "1e9", 10**20."""
    text = str(value).strip() if value is not None else ""
    if not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


# The years the pages and filters accept (?year=): a year chooser's range.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def as_year(value: object) -> int | None:
    """A year from untrusted text ("2026"), or None for anything else ("abc", "99999", "-1")."""
    number = as_id(value)
    return number if number is not None and FIRST_YEAR <= number <= LAST_YEAR else None


def chosen_year(value: str | None, default: int) -> tuple[int, str]:
    """A page's ?year=: the year asked for, or ``default`` with a message saying so when the text is
    not a year of the chooser's range (a page never fails on it)."""
    year = as_year(value)
    if year is not None or value is None or not value.strip():
        return year or default, ""
    return default, str(
        _l(
            "“%(text)s”不是有效的年度（应为 %(first)d–%(last)d 年），已显示 %(year)d 年的数据。",
            text=value.strip()[:20],
            first=FIRST_YEAR,
            last=LAST_YEAR,
            year=default,
        )
    )


def as_ids(values: Iterable) -> list[int]:
    """The ids among untrusted values (form lists, comma-separated hidden fields), in order, once each."""
    found = (as_id(part) for value in values for part in str(value).split(","))
    return list(dict.fromkeys(number for number in found if number is not None))


def record_choice(label: Any, *validators: Any) -> SelectField:
    """One record chosen from choices the view fills per request: its id, or None (the view checks it)."""
    return SelectField(label, coerce=optional_int, validate_choice=False, validators=list(validators))


class _OptionalChoice(SelectField):
    def pre_validate(self, form: Any) -> None:
        if self.data not in (None, ""):  # not chosen (or not sent): fine; anything else is checked
            super().pre_validate(form)


def optional_choice(label: Any, choices: Any) -> SelectField:
    """A choice that may be left at "—". Anything not offered, a blank included, is an invalid
    choice: wtforms' Optional() would let a blank through unchecked to the view."""
    # A callable: the labels are made per form, in the reader's language (not once at import).
    return _OptionalChoice(label, choices=lambda: [("", "—"), *choices()])


def records_choice(label: Any, *validators: Any) -> SelectMultipleField:
    """Records chosen from choices the view fills per request: their ids (the view checks them)."""
    return SelectMultipleField(label, coerce=record_id, validate_choice=False, validators=list(validators))


class IdHiddenField(HiddenField):
    """A hidden field carrying a record id; anything that is not one becomes None (it was never ours)."""

    data: int | None  # type: ignore[assignment]  # an id, where HiddenField keeps text

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = as_id(valuelist[0]) if valuelist else None

    def _value(self) -> str:
        return str(self.data) if self.data else ""


# A form's hidden field of files already accepted (pending or saved), so that a form shown again keeps them.
def kept_file_ids(field: HiddenField) -> list[int]:
    """The ids a kept-files field carries."""
    return as_ids([field.data or ""])


def keep_files(field: HiddenField, files: Iterable[Any]) -> None:
    """Carry these files in the kept-files field of a form shown again."""
    field.data = ",".join(str(f.id) for f in files)


def record_id(value: str | int | None) -> int:
    """A chosen record's id in a multiple choice; anything else is an invalid choice."""
    number = optional_int(value)
    if number is None:
        raise ValueError(value)
    return number


class Chosen:
    """Validator: something is chosen (a record, or at least one). Unlike DataRequired it adds no
    HTML ``required`` attribute, so an empty choice reaches the server and gets this message."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: Any, field: Field) -> None:
        if not field.data:
            raise ValidationError(self.message)


class TextField(StringField):
    """One line of text, without surrounding spaces or NUL characters (PostgreSQL cannot store them)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        # A field missing from the request is empty text, never None (the columns are NOT NULL).
        self.data = (self.data or "").replace("\x00", "").strip()


class BoundedIntConverter(IntegerConverter):
    """URL ids beyond PostgreSQL's INTEGER cannot exist: such URLs are a 404, not a database error."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
