"""Forms for consultations, activity days and escalation flags. They only parse and validate."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..core.fields import Chosen, LocalDateField, record_choice, records_choice


class ConsultationForm(FlaskForm):
    held_on = LocalDateField(_l("会商日期"), validators=[InputRequired(_l("请填写会商日期。"))])
    place = StringField(_l("地点"), validators=[Optional(), Length(max=200)])
    item_ids = records_choice(_l("会商事项（须为“监督中”）"), Chosen(_l("请至少选择一个事项。")))
    office_ids = records_choice(_l("参加站所"))
    attendees = TextAreaField(
        _l("参加人员"),
        validators=[DataRequired(_l("请填写参加会商的人员。")), Length(max=2000)],
        description=_l("政府领导、站所负责人等，如：张建国（副镇长）、李明（交通站站长）。"),
    )
    submit = SubmitField(_l("提请会商"))


class ConcludeForm(FlaskForm):
    measures = TextAreaField(
        _l("商定措施"), validators=[DataRequired(_l("请填写商定的措施。")), Length(max=5000)]
    )
    new_deadline = LocalDateField(
        _l("新的完成时限"),
        validators=[Optional()],
        description=_l("如会商商定了新的完成时限，填写后将修改每个事项的完成时限，并记入事项履历。"),
    )
    # A livelihood project the deputies chose by vote changes only by a congress decision.
    decision = StringField(
        _l("人大决定（文号或会议）"),
        validators=[Optional(), Length(max=200)],
        description=_l("会商事项中有代表票决产生的民生实事项目，调整其完成时限须依据人大的决定。"),
    )
    conclusion = TextAreaField(_l("会商结论（可选）"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("结束会商"))


class ActivityDayForm(FlaskForm):
    station_id = record_choice(
        _l("联络站"), InputRequired(_l("请选择联络站。")), Chosen(_l("请选择联络站。"))
    )
    held_on = LocalDateField(_l("活动日期"), validators=[InputRequired(_l("请填写活动日期。"))])
    office_ids = records_choice(_l("汇报站所"))
    item_ids = records_choice(_l("座谈事项"), Chosen(_l("请至少选择一个座谈的事项。")))
    minutes = TextAreaField(
        _l("座谈会纪要"), validators=[DataRequired(_l("请填写座谈会纪要。")), Length(max=10000)]
    )
    submit = SubmitField(_l("保存"))


class EscalationFlagForm(FlaskForm):
    item_id = record_choice(_l("事项"), Chosen(_l("请选择事项。")))
    note = StringField(
        _l("理由"), validators=[DataRequired(_l("请说明列为督办预警的理由。")), Length(max=200)]
    )
    submit = SubmitField(_l("列为督办预警"))
