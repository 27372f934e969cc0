"""Forms for signing in, changing passwords and managing accounts. They only parse and validate."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from ..core.fields import record_choice
from .passwords import password_problem

USERNAME_RULE = Regexp(r"^[A-Za-z0-9_.-]+$", message=_l("用户名只能包含字母、数字、下划线、点和连字符。"))


class LoginForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(_l("请输入用户名。")), Length(max=40)])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请输入密码。")), Length(max=200)])
    submit = SubmitField(_l("登录"))


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("当前密码"), validators=[DataRequired(_l("请输入当前密码。"))])
    new = PasswordField(_l("新密码"), validators=[DataRequired(_l("请输入新密码。")), Length(max=200)])
    confirm = PasswordField(
        _l("再次输入新密码"), validators=[EqualTo("new", message=_l("两次输入的新密码不一致。"))]
    )
    submit = SubmitField(_l("修改密码"))

    def validate_new(self, field):
        problem = password_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


# Enough to catch typing slips; whether mail arrives is for the mail server to say.
EMAIL_RULE = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("电子邮箱的格式不对。"))


# The fields both account forms have (factories: each form keeps its own fields, in its own order).
def _display_name_field() -> StringField:
    return StringField(_l("姓名"), validators=[DataRequired(_l("请输入姓名。")), Length(max=60)])


def _email_field() -> StringField:
    return StringField(
        _l("电子邮箱"),
        validators=[Optional(), Length(max=120), EMAIL_RULE],
        filters=[lambda v: (v or "").strip()],
        description=_l("可不填；填写后，月报等到期提醒也会发到这个邮箱。"),
    )


def _office_field() -> SelectField:
    return record_choice(_l("所属站所（镇政府账号）"))


def _deputy_field() -> SelectField:
    return record_choice(_l("对应代表（代表账号）"))


class AccountForm(FlaskForm):
    username = StringField(
        _l("用户名"), validators=[DataRequired(_l("请输入用户名。")), Length(min=2, max=40), USERNAME_RULE]
    )
    display_name = _display_name_field()
    email = _email_field()
    role = SelectField(_l("角色"), validators=[DataRequired()])
    township_id = record_choice(_l("所属镇"))
    county_id = record_choice(_l("所属县"))
    office_id = _office_field()
    deputy_id = _deputy_field()
    password = PasswordField(
        _l("初始密码"),
        validators=[DataRequired(_l("请输入初始密码。")), Length(max=200)],
        description=_l("至少 10 个字符，不能是常见密码。"),
    )
    submit = SubmitField(_l("保存"))

    def validate_password(self, field):
        problem = password_problem(field.data or "", self.username.data or "")
        if problem:
            raise ValidationError(problem)


class AccountEditForm(FlaskForm):
    display_name = _display_name_field()
    email = _email_field()
    office_id = _office_field()
    deputy_id = _deputy_field()
    new_password = PasswordField(
        _l("重设密码"), validators=[Optional(), Length(max=200)], description=_l("留空则不修改。")
    )
    submit = SubmitField(_l("保存"))

    def validate_new_password(self, field):
        if field.data:
            problem = password_problem(field.data)
            if problem:
                raise ValidationError(problem)


class ApiTokenForm(FlaskForm):
    name = StringField(
        _l("令牌名称"),
        validators=[DataRequired(_l("请为令牌起一个名称。")), Length(max=60)],
        description=_l("写明用在哪里，例如“县人大智慧人大门户”或“我的手机”（最多 60 个字）。"),
    )
    scope = SelectField(
        _l("权限"),
        choices=[
            SelectChoice("read", _l("只读：查看事项、月报和督办单")),
            SelectChoice("write", _l("读写：还可以记录活动、反馈和答复")),
        ],
        default="read",
    )
    submit = SubmitField(_l("创建令牌"))
