"""Forms of the evaluation meeting. They only parse and validate."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import TextArea

from ..ballots.hall_forms import ActionForm  # noqa: F401  (the meeting's buttons are the hall's)
from ..core.fields import LocalDateField, LocalIntegerField, TextField
from .models import CommentsLayout
from .rules import Denominator


def _percent_field(label) -> LocalIntegerField:
    return LocalIntegerField(
        label,
        default=50,
        validators=[
            InputRequired(_l("请填写百分比。")),
            NumberRange(1, 100, _l("请填写 1 到 100 之间的数。")),
        ],
    )


def _strictness(value) -> bool | None:
    """A threshold's choice as posted ("at_least" / "more_than") or as stored (False / True)."""
    if isinstance(value, bool):
        return value
    return {"at_least": False, "more_than": True}.get(value)


def _threshold_field(label) -> SelectField:
    return SelectField(
        label,
        choices=[
            SelectChoice("at_least", _l("达到（≥，恰好等于也算）")),
            SelectChoice("more_than", _l("超过（>，恰好等于不够）")),
        ],
        coerce=_strictness,
        default=False,
        # Checked by validate_*_strict: an unknown value is refused in the user's language.
        validate_choice=False,
    )


class RulesForm(FlaskForm):
    """The grade rule, the quorum and when results show: set at creation, editable while preparing."""

    denominator = SelectField(
        _l("评定基数"),
        choices=Denominator.choices,
        default=Denominator.present.value,
        description=_l("“满意”须达到基数的一定比例，基数可以是应到代表数、实到代表数或该项的有效票数。"),
    )
    satisfied_percent = _percent_field(_l("满意票须达到基数的（%）"))
    satisfied_strict = _threshold_field(_l("满意票与这一比例相比须"))
    basic_percent = _percent_field(_l("满意与基本满意票合计须达到基数的（%）"))
    basic_strict = _threshold_field(_l("满意与基本满意票合计与这一比例相比须"))
    quorum_numerator = LocalIntegerField(
        _l("法定人数（分子）"), default=2, validators=[InputRequired(), NumberRange(0, 100)]
    )
    quorum_denominator = LocalIntegerField(
        _l("法定人数（分母）"), default=3, validators=[InputRequired(), NumberRange(1, 100)]
    )
    quorum_strict = BooleanField(_l("须“超过”这一比例（不含恰好等于）"), default=True)
    results_hidden_until_closed = BooleanField(_l("结束投票前不显示测评结果"), default=True)
    comments_layout = SelectField(
        _l("意见建议栏"),
        choices=CommentsLayout.choices,
        default=CommentsLayout.sheet.value,
        description=_l("测评表上留给代表填写意见建议的位置；事项多时选“表末”，一页仍能印下。"),
    )
    submit = SubmitField(_l("保存评定规则"))

    def validate_satisfied_strict(self, field) -> None:
        if field.data is None:
            raise ValidationError(_l("请选择“达到”或“超过”。"))

    validate_basic_strict = validate_satisfied_strict

    def validate_quorum_numerator(self, field) -> None:
        if (
            field.data is not None
            and self.quorum_denominator.data
            and field.data > self.quorum_denominator.data
        ):
            raise ValidationError(_l("分子不能大于分母。"))


class MeetingForm(RulesForm):
    year = LocalIntegerField(
        _l("评议年度"),
        validators=[InputRequired(_l("请填写年度。")), NumberRange(2000, 2100, _l("年度不正确。"))],
    )
    held_on = LocalDateField(_l("会议日期"), validators=[InputRequired(_l("请填写会议日期。"))])
    place = TextField(_l("会议地点"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("创建评议会"))

    def validate_held_on(self, field) -> None:
        # A year's lists are rated in that year, at the latest early in the next one.
        year = self.year.data
        if field.data and isinstance(year, int) and not year <= field.data.year <= year + 1:
            raise ValidationError(_l("会议日期应在评议年度或次年之内。"))


class OpenVotingForm(FlaskForm):
    """Opening the vote; before the meeting's date only as an explicit early start with a reason."""

    start_early = BooleanField(_l("提前开始（会议日期之前开始投票）"))
    early_reason = TextField(
        _l("提前开始的理由"),
        widget=TextArea(),
        validators=[Optional(), Length(max=500, message=_l("理由不能超过 500 字。"))],
    )


class PublishForm(FlaskForm):
    """Publishing the results to the public board, under a title no other result of the township has."""

    title = TextField(
        _l("公示标题"),
        # Left empty: the year's title (with the meeting's date when the year's is taken).
        validators=[Optional(), Length(max=200, message=_l("标题不能超过 200 字。"))],
    )
