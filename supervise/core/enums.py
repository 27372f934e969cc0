"""A base for enums that carry their Chinese label (translated via Babel) and a badge colour."""

from __future__ import annotations

import enum
from typing import Self

from flask import g, has_app_context
from flask_babel import get_locale, lazy_gettext
from sqlalchemy import Enum as SAEnum
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3


def N_(text: str) -> str:
    """Marks an enum label for extraction into the catalogs; it is translated when shown."""
    return text


class LabeledEnum(str, enum.Enum):  # noqa: UP042 (StrEnum rejects the extra tuple members)
    """Members are declared as ``name = ("value", "中文标签", "badge colour")``."""

    _label: str
    badge: str

    def __new__(cls, value: str, label: str = "", badge: str = "secondary") -> Self:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj._label = label
        obj.badge = badge
        return obj

    @property
    def label(self) -> str:
        """The label in the reader's language: translated once per request and language (a page of
        600 status cells would otherwise look each one up). Keyed by the label itself: members are
        strings, so Role.county and ItemLevel.county are equal and must not share an entry."""
        if not has_app_context():
            return str(lazy_gettext(self._label))
        key = (self._label, get_locale())
        labels = g.setdefault("enum_labels", {})
        if key not in labels:
            labels[key] = str(lazy_gettext(self._label))
        return labels[key]

    @classmethod
    def choices(cls) -> list[SelectChoice]:
        """Select options, labels in the reader's language (pass the method itself, so it runs per form)."""
        return [SelectChoice(m.value, m.label) for m in cls]

    @classmethod
    def from_arg(cls, text: str | None) -> Self | None:
        """The member a query argument names (``?state=issued``), or None for anything else."""
        return cls.__members__.get(text or "")

    def __str__(self) -> str:
        return self.value


def enum_column_type(enum_cls: type[LabeledEnum], name: str) -> SAEnum:
    """A portable VARCHAR + CHECK column storing the enum's value."""
    return SAEnum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )
