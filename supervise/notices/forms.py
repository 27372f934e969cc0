"""Forms for publishing notices and for residents' opinions. They only parse and validate."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..core.dates import parse_month
from ..core.fields import Chosen, as_id
from .operations import ANSWER_MAX_LENGTH, AUTHOR_MAX_LENGTH, OPINION_MAX_LENGTH


class PublishForm(FlaskForm):
    month = HiddenField()
    # The items shown as still missing their report, which the presidium confirmed (ids, comma-separated).
    missing_confirmed = HiddenField()
    title = StringField(
        _l("公示标题"),
        validators=[Optional(), Length(max=200)],
        description=_l("不填则为“某镇某年某月‘三清单’落实情况公示”。"),
    )
    submit = SubmitField(_l("发布公示"))

    def validate_month(self, field) -> None:
        if parse_month(field.data) is None:
            raise ValidationError(_l("月份不正确，请重新选择。"))


class CorrectionForm(FlaskForm):
    title = StringField(_l("公示标题"), validators=[Optional(), Length(max=200)])
    reason = TextAreaField(
        _l("更正原因"),
        validators=[DataRequired(_l("请说明更正的原因。")), Length(max=2000)],
        description=_l("公开显示在更正公示上，如：原公示中某事项的完成进度有误。"),
    )
    submit = SubmitField(_l("发布更正公示"))


class OpinionForm(FlaskForm):
    # Anything that is not an id is simply no choice: residents see "choose an item", never a
    # conversion error.
    line_id = SelectField(
        _l("针对的事项"),
        coerce=as_id,
        validate_choice=False,
        validators=[Chosen(_l("请选择意见针对的事项。"))],
    )
    body = TextAreaField(
        _l("您的意见"),
        validators=[
            DataRequired(_l("请填写意见内容。")),
            Length(max=OPINION_MAX_LENGTH, message=_l("意见最多 %(max)d 字。")),
        ],
        description=_l("最多 500 字。意见经镇人大主席团审核后公开显示；请勿填写电话、身份证号等个人信息。"),
    )
    author_name = StringField(
        _l("称呼（可不填）"),
        validators=[Optional(), Length(max=AUTHOR_MAX_LENGTH, message=_l("称呼最多 %(max)d 字。"))],
        description=_l("如：沙坪村村民"),
    )
    submit = SubmitField(_l("提交意见"))


class ModerationForm(FlaskForm):
    """Approve (optionally with an answer), reject, or answer an approved opinion."""

    answer = TextAreaField(
        _l("答复（公开显示在意见下方，可不填）"),
        validators=[Optional(), Length(max=ANSWER_MAX_LENGTH, message=_l("答复最多 %(max)d 字。"))],
    )
    submit = SubmitField(_l("提交"))
