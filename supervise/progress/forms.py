"""Forms for monthly reports and supervisors' feedback. They only parse and validate."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..core.fields import LocalDecimalField, LocalIntegerField
from ..core.idempotency import SubmissionKeyField
from .models import FeedbackVerdict

MAX_TEXT = 2000


class CleanTextArea(TextAreaField):
    """Text without surrounding spaces or NUL characters (PostgreSQL cannot store them)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = (self.data or "").replace("\x00", "").strip()


class ReportForm(FlaskForm):
    submission_key = SubmissionKeyField()
    percent = LocalIntegerField(
        _l("完成进度（%）"),
        validators=[
            InputRequired(_l("请填写完成进度。")),
            NumberRange(min=0, max=100, message=_l("完成进度须在 0 到 100 之间。")),
        ],
        description=_l("0 到 100 的整数。"),
    )
    done = CleanTextArea(
        _l("本月完成情况"),
        validators=[
            DataRequired(_l("请填写本月完成情况。")),
            Length(max=MAX_TEXT, message=_l("不能超过 %(max)d 字。")),
        ],
    )
    problems = CleanTextArea(
        _l("存在的问题"),
        validators=[Optional(), Length(max=MAX_TEXT, message=_l("不能超过 %(max)d 字。"))],
    )
    funds_spent = LocalDecimalField(
        _l("本月使用资金（万元）"),
        places=2,
        validators=[Optional(), NumberRange(min=0, message=_l("资金须为 0 或正数。"))],
    )
    # No Optional(): it would stop the chain before validate_correction_reason.
    correction_reason = CleanTextArea(
        _l("更正理由"),
        validators=[Length(max=MAX_TEXT, message=_l("不能超过 %(max)d 字。"))],
        description=_l("更正已报送的月报时必填；原版本仍保留在历史中。"),
    )
    # Ids of files already accepted when the form is shown again after an error.
    kept_files = HiddenField()
    submit = SubmitField(_l("报送月报"))

    def __init__(self, *args, is_correction: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_correction = is_correction

    def validate_correction_reason(self, field) -> None:
        if self.is_correction and not field.data:
            raise ValidationError(_l("本月已有月报：更正须说明更正理由。"))


class FeedbackForm(FlaskForm):
    verdict = RadioField(
        _l("反馈意见"),
        choices=FeedbackVerdict.choices,
        validators=[InputRequired(_l("请选择确认或有异议。"))],
    )
    comment = CleanTextArea(
        _l("意见"),
        validators=[Length(max=MAX_TEXT, message=_l("不能超过 %(max)d 字。"))],
        description=_l("有异议时必填：请写明与实际情况不符之处。"),
    )
    submit = SubmitField(_l("提交反馈"))

    def validate_comment(self, field) -> None:
        if self.verdict.data == FeedbackVerdict.dispute.value and not field.data:
            raise ValidationError(_l("提出异议须填写意见。"))


class MarkReadForm(FlaskForm):
    """CSRF only."""
