"""Forms for drafting and handling follow-up sheets. They only parse and validate."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..core.fields import IdHiddenField, LocalDateField, optional_int, record_choice
from ..core.idempotency import SubmissionKeyField

# Empty line rows a draft form offers beyond the lines it already has.
SPARE_LINES = 3


class SheetLineForm(Form):
    """One line: an item and/or the findings about it (either may be empty, not both)."""

    item_id = record_choice(_l("事项"))
    findings = TextAreaField(_l("发现的问题和建议"), validators=[Optional(), Length(max=2000)])
    # The inspection finding the line cites (set when it was picked from an inspection).
    finding_id = IdHiddenField()


class SheetForm(FlaskForm):
    submission_key = SubmissionKeyField()
    title = StringField(
        _l("标题"),
        validators=[DataRequired(_l("请填写督办单的标题。")), Length(max=200)],
        description=_l("如：关于加快集镇污水处理站提标改造的督办单"),
    )
    lead_office_id = record_choice(_l("承办单位"))
    leader_name = StringField(
        _l("责任领导"),
        validators=[Optional(), Length(max=40)],
        description=_l("不填则取承办单位的分管领导。"),
    )
    deadline = LocalDateField(_l("办理时限"), validators=[Optional()])
    requirements = TextAreaField(_l("督办要求"), validators=[Optional(), Length(max=5000)])
    lines = FieldList(FormField(SheetLineForm), min_entries=1, max_entries=200)
    # Findings of filed inspections to add as lines ("加入所选发现" re-shows the form with them).
    pick_findings = SelectMultipleField(coerce=optional_int, validate_choice=False)
    submit = SubmitField(_l("保存草稿"))

    def validate_deadline(self, field: LocalDateField) -> None:
        """Said under the field, as the operation would refuse it (sheets/workflow.past_day_problem)."""
        from .workflow import past_day_problem

        if problem := past_day_problem(field.data, str(field.label.text)):
            raise ValidationError(problem)

    def chosen_lines(self) -> list[tuple[int | None, str, int | None]]:
        """(item id, findings, finding id) of every line that names an item or has findings."""
        rows = [
            (entry.item_id.data, (entry.findings.data or "").strip(), entry.finding_id.data)
            for entry in self.lines
        ]
        return [row for row in rows if row[0] or row[1]]


class AnswerForm(FlaskForm):
    measures = TextAreaField(
        _l("采取的措施"), validators=[DataRequired(_l("请填写采取的措施。")), Length(max=5000)]
    )
    # Required unless evidence files are attached: the operation's guard judges both together.
    evidence = TextAreaField(
        _l("佐证材料"),
        validators=[Optional(), Length(max=5000)],
        description=_l("如：验收报告、现场照片、会议纪要的名称和存放位置；也可以只在下面附上文件。"),
    )
    # Ids of evidence files already accepted (pending uploads), so a re-shown form keeps them.
    kept_files = HiddenField()
    # Printed on the sheet as the answering side's contact: asked only while the office has none.
    contact_person = StringField(
        _l("本单位联系人"),
        validators=[Optional(), Length(max=40)],
        description=_l("本单位尚未填写联系人和电话：填写后印在督办单上，也存入本单位信息。"),
    )
    contact_phone = StringField(_l("联系电话"), validators=[Optional(), Length(max=40)])
    submit = SubmitField(_l("提交答复"))


class ReturnForm(FlaskForm):
    reason = TextAreaField(
        _l("退回理由"), validators=[DataRequired(_l("请填写退回的理由。")), Length(max=2000)]
    )
    submit = SubmitField(_l("退回重办"))


class VerifyForm(FlaskForm):
    opinion = TextAreaField(
        _l("核实意见"),
        validators=[DataRequired(_l("请填写核实意见。")), Length(max=2000)],
        description=_l("如：经现场核实，已按要求整改到位，同意办结。核实意见印在督办单上。"),
    )
    submit = SubmitField(_l("核实办结"))


class ExtensionRequestForm(FlaskForm):
    new_deadline = LocalDateField(_l("申请延期至"), validators=[DataRequired(_l("请填写申请延期至哪一天。"))])
    reason = TextAreaField(
        _l("申请延期的理由"),
        validators=[DataRequired(_l("请填写申请延期的理由。")), Length(max=2000)],
        description=_l("如：设备需厂家定制，到货周期约一个月。"),
    )
    submit = SubmitField(_l("申请延期"))


class ExtensionGrantForm(FlaskForm):
    new_deadline = LocalDateField(
        _l("同意延期至"),
        validators=[DataRequired(_l("请填写同意延期至哪一天。"))],
        description=_l("默认为承办单位申请的日期，可以改为其他日期。"),
    )
    reason = TextAreaField(_l("说明"), default="", validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("同意延期"))


class ExtensionRefuseForm(FlaskForm):
    reason = TextAreaField(
        _l("不同意延期的理由"),
        validators=[DataRequired(_l("请填写不同意延期的理由。")), Length(max=2000)],
    )
    submit = SubmitField(_l("不同意延期"))


class ActionForm(FlaskForm):
    """The buttons that need no input (issue, acknowledge): CSRF only."""


def without_known_contact(form: FlaskForm, office) -> FlaskForm:
    """The answer form asks for the office's contact only while the office has not given it."""
    if isinstance(form, AnswerForm) and office is not None and office.contact_person and office.contact_phone:
        del form.contact_person
        del form.contact_phone
    return form


def given_contact(form: FlaskForm) -> dict[str, str]:
    """The contact typed in the answer form, when it asked for one."""
    return {name: form[name].data or "" for name in ("contact_person", "contact_phone") if name in form}


# The form of each action that takes input on the sheet's page.
ACTION_FORMS: dict[str, type[FlaskForm]] = {
    "answer": AnswerForm,
    "return": ReturnForm,
    "verify": VerifyForm,
    "request_extension": ExtensionRequestForm,
    "grant_extension": ExtensionGrantForm,
    "refuse_extension": ExtensionRefuseForm,
}
