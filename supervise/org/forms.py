"""Forms for the organisation's records. They only parse and validate."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, SubmitField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from ..core.fields import MAX_ID, LocalIntegerField, TextField, optional_int, record_choice  # noqa: F401  (re-exported for org views)
from .models import DeputyLevel, StationLevel

PHONE_RULE = Regexp(r"^[0-9+\- ]{5,20}$", message=_l("电话号码只能包含数字、空格、+ 和 -，5 到 20 位。"))


class _ScopedForm(FlaskForm):
    # Shown only to users who see several townships; presidium records always go to their own.
    township_id = record_choice(_l("所属镇"))


class OfficeForm(_ScopedForm):
    name = TextField(_l("站所名称"), validators=[DataRequired(_l("请输入站所名称。")), Length(max=80)])
    leader_name = TextField(_l("分管领导"), validators=[Optional(), Length(max=40)])
    leader_title = TextField(_l("领导职务"), validators=[Optional(), Length(max=60)])
    # Shown beside the office on item pages and follow-up sheets (联系人、联系电话).
    contact_person = TextField(_l("联系人"), validators=[Optional(), Length(max=40)])
    contact_phone = TextField(_l("联系电话"), validators=[Optional(), PHONE_RULE])
    submit = SubmitField(_l("保存"))


class StationForm(_ScopedForm):
    name = TextField(_l("联络站名称"), validators=[DataRequired(_l("请输入联络站名称。")), Length(max=80)])
    level = SelectField(_l("级别"), choices=StationLevel.choices)
    submit = SubmitField(_l("保存"))


class GroupForm(_ScopedForm):
    name = TextField(
        _l("代表小组名称"), validators=[DataRequired(_l("请输入代表小组名称。")), Length(max=80)]
    )
    submit = SubmitField(_l("保存"))


class DeputyForm(_ScopedForm):
    name = TextField(_l("姓名"), validators=[DataRequired(_l("请输入代表姓名。")), Length(max=40)])
    level = SelectField(_l("代表级别"), choices=DeputyLevel.choices)
    station_id = record_choice(_l("联络站"))
    group_id = record_choice(_l("代表小组"))
    phone = TextField(_l("电话（不公开）"), validators=[Optional(), PHONE_RULE])
    submit = SubmitField(_l("保存"))


# A contact telephone as people write one: 0915-6821234, 13891501234, (0915)6821234 转 8001, two numbers
# joined by 、 or /. Lenient on the form, but digits it must have: "无" or "-----" is not a number.
CONTACT_PHONE = re.compile(r"^[0-9+\-－ ()（）转,，、/]{5,40}$")
OBJECTION_DAYS_MAX = 30
OBJECTION_DAYS_DEFAULT = 7


def _contact_phone_rule(form, field) -> None:
    value = field.data or ""
    if value and (not CONTACT_PHONE.match(value) or sum(c.isdigit() for c in value) < 5):
        raise ValidationError(
            _l("请填写电话号码，可含区号、分机号（如 0915-6821234 转 8001），多个号码用“、”分开。")
        )


def objection_days_field(required: bool = True) -> LocalIntegerField:
    """The objection period printed on notices (公示期, days); with the contact fields below, defined
    once for the presidium's settings page and the township's form, so both validate alike. Not
    ``required``: left empty, it is the usual 7 days (the township's form, where it is one of many)."""
    return LocalIntegerField(
        _l("公示期（天）"),
        default=OBJECTION_DAYS_DEFAULT,
        validators=[
            InputRequired(_l("请填写公示期天数。")) if required else Optional(),
            NumberRange(min=1, max=OBJECTION_DAYS_MAX, message=_l("公示期请填写 1 到 30 之间的天数。")),
        ],
        filters=[] if required else [lambda value: OBJECTION_DAYS_DEFAULT if value is None else value],
        description=_l("印在公示上：“公示期 N 天（自发布之日起）”，群众在此期间反映意见。"),
    )


def contact_person_field() -> TextField:
    return TextField(
        _l("公示联系人"), validators=[Optional(), Length(max=40)], description=_l("如：镇人大办 李明")
    )


def contact_phone_field() -> TextField:
    return TextField(
        _l("联系电话"),
        validators=[Optional(), Length(max=40), _contact_phone_rule],
        description=_l("公开印在公示上，请填写办公电话。"),
    )


def contact_address_field() -> TextField:
    return TextField(
        _l("联系地址"), validators=[Optional(), Length(max=200)], description=_l("如：镇政府二楼人大办公室")
    )


NOTICE_SETTINGS = ("notice_objection_days", "contact_person", "contact_phone", "contact_address")


class NoticeSettingsForm(FlaskForm):
    """The presidium's own notice settings (the township's form has the same fields)."""

    notice_objection_days = objection_days_field()
    contact_person = contact_person_field()
    contact_phone = contact_phone_field()
    contact_address = contact_address_field()
    submit = SubmitField(_l("保存"))


class TownshipForm(FlaskForm):
    county_id = record_choice(_l("所属县"))
    name = TextField(_l("镇名称"), validators=[DataRequired(_l("请输入镇名称。")), Length(max=60)])
    short_name = TextField(
        _l("简称（用于文号）"), validators=[DataRequired(_l("请输入简称。")), Length(max=20)]
    )
    slug = TextField(
        _l("拼音代码（用于事项编号）"),
        validators=[
            DataRequired(_l("请输入拼音代码。")),
            Length(max=40),
            Regexp(r"^[a-z][a-z0-9]*$", message=_l("只能用小写字母和数字，以字母开头。")),
        ],
    )
    report_due_day = LocalIntegerField(
        _l("月报报送日"),
        default=25,
        validators=[
            DataRequired(_l("请填写每月报送月报的日期。")),
            NumberRange(min=1, max=31, message=_l("请填写 1 到 31 之间的日期。")),
        ],
        description=_l("每月几号前报送当月月报；小月没有这一天时取月末。"),
    )
    notice_prefix = TextField(
        _l("公示文号前缀"),
        validators=[Optional(), Length(max=30)],
        description=_l("不填则用“简称 + 人大公”，如“江口人大公〔2026〕3号”。"),
    )
    notice_objection_days = objection_days_field(required=False)
    contact_person = contact_person_field()
    contact_phone = contact_phone_field()
    contact_address = contact_address_field()
    submit = SubmitField(_l("保存"))


class CountyForm(FlaskForm):
    name = TextField(_l("县名称"), validators=[DataRequired(_l("请输入县名称。")), Length(max=60)])
    submit = SubmitField(_l("保存"))


class ImportForm(FlaskForm):
    township_id = record_choice(_l("导入到哪个镇"))
    file = FileField(_l("代表名单（.xlsx）"), validators=[FileRequired(_l("请选择要导入的 .xlsx 文件。"))])
    submit = SubmitField(_l("检查并导入"))
