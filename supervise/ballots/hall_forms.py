"""The hall's forms (serials, codes, corrections of a hand-out, paper entry, the phone's code and
ballot). They only parse and validate.

Their texts name the meeting's paper sheet (测评表, 表决票): a label or a message with %(sheet)s is
filled with the meeting's nouns (``kinds.words(meeting)``) when the form is made.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..core.fields import IdHiddenField, LocalIntegerField, TextField
from .forms import parse_serial


class ActionForm(FlaskForm):
    """Buttons that need no input: CSRF only."""


class WordedForm(FlaskForm):
    """A form whose labels and messages say the meeting's nouns: ``Form(words=words(meeting))``."""

    def __init__(self, *args: Any, words: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.words = dict(words or {"sheet": _("纸质票")})
        for field in self:
            if field.label and "%(" in str(field.label.text):
                field.label.text = str(field.label.text) % self.words
            if field.description and "%(" in str(field.description):
                field.description = str(field.description) % self.words

    def worded(self, text: object) -> str:
        return str(text) % self.words if "%(" in str(text) else str(text)

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            field.errors = [self.worded(message) for message in field.errors]
        return valid


SERIALS_REQUIRED = _l("请填写%(sheet)s编号，如 1-20, 25。")
SERIAL_REQUIRED = _l("请填写%(sheet)s编号。")
SERIAL_IS_NUMBER = _l("%(sheet)s编号是数字，如 007。")
REASON = _l("请写明原因。")


class SerialsForm(WordedForm):
    serials = TextField(
        _l("%(sheet)s编号"),
        validators=[DataRequired(SERIALS_REQUIRED), Length(max=2000)],
        description=_l("可填写范围和单个编号，如 1-20, 25。"),
    )


class UnissueForm(WordedForm):
    """Serials registered as issued by mistake (prefix ``unissue``)."""

    serials = TextField(_l("误登记发出的编号"), validators=[DataRequired(SERIALS_REQUIRED), Length(max=2000)])
    reason = TextField(_l("原因"), validators=[DataRequired(REASON), Length(max=1000)])


class ExchangeForm(WordedForm):
    """A spoiled sheet exchanged for a fresh one (prefix ``exchange``)."""

    spoiled = TextField(_l("作废的%(sheet)s编号"), validators=[DataRequired(SERIAL_REQUIRED)])
    replacement = TextField(_l("换发的%(sheet)s编号"), validators=[DataRequired(SERIAL_REQUIRED)])
    reason = TextField(_l("原因"), validators=[DataRequired(REASON), Length(max=1000)])

    def validate_spoiled(self, field: Field) -> None:
        if parse_serial(field.data) is None:
            raise ValidationError(self.worded(SERIAL_IS_NUMBER))

    validate_replacement = validate_spoiled


class UndoHandOutForm(WordedForm):
    """Undo a deputy's hand-out (prefix ``undo``; the deputy travels as ``deputy_id``)."""

    returned = TextField(_l("收回的%(sheet)s编号或投票码"), validators=[Optional(), Length(max=40)])
    reason = TextField(_l("原因"), validators=[DataRequired(REASON), Length(max=1000)])


class VoidCodeForm(WordedForm):
    """An unused code handed back and voided (prefix ``void``)."""

    code = TextField(_l("交回的投票码"), validators=[DataRequired(_l("请输入投票码。")), Length(max=40)])
    reason = TextField(_l("原因"), validators=[DataRequired(REASON), Length(max=1000)])


class VoidUnusedCodesForm(WordedForm):
    """Every unused code of the meeting voided at once (prefix ``void_unused``)."""

    reason = TextField(_l("原因"), validators=[DataRequired(REASON), Length(max=1000)])


class CodesForm(WordedForm):
    count = LocalIntegerField(
        _l("生成数量"),
        validators=[InputRequired(_l("请填写数量。")), NumberRange(1, 300, _l("每次可生成 1 到 300 个。"))],
    )


class EntryForm(WordedForm):
    serial = TextField(_l("%(sheet)s编号"), validators=[DataRequired(SERIAL_REQUIRED), Length(max=20)])
    void = BooleanField(_l("整张作废（非正式%(sheet)s、无法辨认等）"))
    submit = SubmitField(_l("录入"))

    def validate_serial(self, field: Field) -> None:
        if parse_serial(field.data) is None:
            raise ValidationError(self.worded(SERIAL_IS_NUMBER))

    @property
    def serial_number(self) -> int | None:
        return parse_serial(self.serial.data)


class CorrectionForm(WordedForm):
    void = BooleanField(_l("整张作废"))
    reason = TextAreaField(
        _l("更正理由"), validators=[DataRequired(_l("更正须写明理由。")), Length(max=1000)]
    )
    submit = SubmitField(_l("保存更正"))


class CodeForm(FlaskForm):
    code = TextField(_l("投票码"), validators=[DataRequired(_l("请输入投票码。")), Length(max=40)])
    submit = SubmitField(_l("打开选票"))


class BallotForm(FlaskForm):
    code = HiddenField()
    meeting_id = IdHiddenField()
    submit = SubmitField(_l("提交选票"))

    @property
    def meeting_number(self) -> int | None:
        return self.meeting_id.data
