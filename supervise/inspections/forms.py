"""Forms for inspections. They only parse and validate; files are read by the view."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, HiddenField, RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..core.fields import LocalDateField, LocalIntegerField, TextField, optional_int, record_choice
from ..core.idempotency import SubmissionKeyField
from .models import InspectionMethod
from .operations import held_on_refusal


def _ids(value) -> int:
    number = optional_int(value)
    if number is None:
        raise ValueError(value)
    return number


class FindingForm(Form):
    text = TextAreaField(_l("发现的问题或建议"), validators=[Optional(), Length(max=3000)])
    item_ids = SelectMultipleField(_l("涉及的事项"), coerce=_ids, validate_choice=False)
    # Ids of photos already accepted for this finding (pending or saved), so a re-shown form keeps them.
    kept_files = HiddenField()


class InspectionForm(FlaskForm):
    submission_key = SubmissionKeyField()
    method = RadioField(
        _l("活动方式"),
        # The method itself: the form class is built once, the labels are in the request's language.
        choices=InspectionMethod.choices,
        validators=[DataRequired(_l("请选择活动方式。"))],
        default=InspectionMethod.tour.value,
    )
    held_on = LocalDateField(_l("活动日期"), validators=[Optional()])
    place = TextField(
        _l("地点"), validators=[Optional(), Length(max=200)], description=_l("如：东河村三组、集镇街道")
    )
    station_id = record_choice(_l("联络站"))
    group_id = record_choice(_l("代表小组"))
    participant_ids = SelectMultipleField(_l("参加的代表"), coerce=_ids, validate_choice=False)
    notes = TextAreaField(_l("活动情况"), validators=[Optional(), Length(max=5000)])
    residents_visited = LocalIntegerField(
        _l("走访群众人数"),
        validators=[Optional(), NumberRange(min=0, max=100000, message=_l("人数应在 0 到 100000 之间。"))],
    )
    residents_summary = TextAreaField(
        _l("群众意见摘要"),
        validators=[Optional(), Length(max=5000)],
        description=_l("群众反映的主要意见和建议。"),
    )
    findings = FieldList(FormField(FindingForm), min_entries=1, max_entries=40)

    def validate_held_on(self, field: LocalDateField) -> None:
        # The operations' rule, said by the field (they refuse the date too: the API, the demo).
        refusal = held_on_refusal(field.data)
        if refusal:
            raise ValidationError(refusal)

    def fields_dict(self) -> dict:
        return {
            "method": InspectionMethod(self.method.data),
            "held_on": self.held_on.data,
            "place": self.place.data,
            "station_id": self.station_id.data,
            "group_id": self.group_id.data,
            "notes": self.notes.data,
            "residents_visited": self.residents_visited.data,
            "residents_summary": self.residents_summary.data,
        }


class NoteForm(FlaskForm):
    text = TextAreaField(
        _l("追加说明"),
        validators=[DataRequired(_l("请填写说明的内容。")), Length(max=3000)],
        description=_l("已提交的活动记录不能修改；更正或补充写在这里，原记录保持不变。"),
    )


class ActionForm(FlaskForm):
    """Buttons without input (file, delete): CSRF only."""
