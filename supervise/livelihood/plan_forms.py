"""Forms of the vote plan, its candidates and the deliberation remarks. They only parse and validate."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..core.fields import LocalDateField, LocalDecimalField, LocalIntegerField, record_choice, records_choice
from ..core.idempotency import SubmissionKeyField
from .plan_models import DEFAULT_SURPLUS_PERCENT
from .plan_operations import REMARK_MAX, TEXT_MAX, TITLE_MAX, CandidateText

TOO_LONG = _l("最多 %(max)d 字。")


def places_field():
    return LocalIntegerField(
        _l("应选项目数"),
        validators=[
            DataRequired(_l("请填写应选项目数（至少 1 个）。")),
            NumberRange(1, 999, message=_l("应选项目数应在 1 到 999 之间。")),
        ],
        description=_l("票决选出的民生实事项目个数（应选 N 个）。"),
    )


def percent_field():
    return LocalIntegerField(
        _l("差额比例（%）"),
        default=DEFAULT_SURPLUS_PERCENT,
        validators=[
            InputRequired(_l("请填写差额比例。")),
            NumberRange(0, 100, message=_l("差额比例应在 0 到 100 之间。")),
        ],
        description=_l("候选项目数应多于应选数的比例，通常不低于 20%，如应选 10 个须有 12 个候选项目。"),
    )


class PlanForm(FlaskForm):
    period_id = record_choice(_l("依据的项目征集"))
    year = LocalIntegerField(
        _l("项目实施年度"),
        validators=[
            DataRequired(_l("请填写项目实施年度。")),
            NumberRange(2000, 2100, message=_l("年度应在 2000 到 2100 之间。")),
        ],
        description=_l("票决选出的项目在哪一年实施。"),
    )
    places = places_field()
    surplus_percent = percent_field()
    submit = SubmitField(_l("新建票决方案"))


class PlacesForm(FlaskForm):
    places = places_field()
    surplus_percent = percent_field()
    submit = SubmitField(_l("保存"))


class CandidateForm(FlaskForm):
    submission_key = SubmissionKeyField()
    title = StringField(
        _l("项目名称"),
        validators=[DataRequired(_l("请填写项目名称。")), Length(max=TITLE_MAX, message=TOO_LONG)],
    )
    content = TextAreaField(_l("建设内容"), validators=[Optional(), Length(max=TEXT_MAX, message=TOO_LONG)])
    target = TextAreaField(_l("目标"), validators=[Optional(), Length(max=TEXT_MAX, message=TOO_LONG)])
    amount_wan = LocalDecimalField(
        _l("投资金额（万元）"),
        places=2,
        validators=[Optional(), NumberRange(min=0, message=_l("投资金额不能为负数。"))],
    )
    amount_approximate = BooleanField(_l("金额为约数"), description=_l("如“230余万元”。"))
    fund_source = StringField(_l("资金来源"), validators=[Optional(), Length(max=200, message=TOO_LONG)])
    lead_office_id = record_choice(_l("牵头单位"))
    joint_lead_office_ids = records_choice(_l("联合牵头单位"))
    deadline = LocalDateField(_l("完成时限"), validators=[Optional()])
    proposal_ids = records_choice(_l("来源建议"))
    submit = SubmitField(_l("保存"))

    def text(self) -> CandidateText:
        return CandidateText(
            title=self.title.data or "",
            content=self.content.data or "",
            target=self.target.data or "",
            amount_wan=self.amount_wan.data,
            amount_approximate=bool(self.amount_approximate.data),
            fund_source=self.fund_source.data or "",
            lead_office_id=self.lead_office_id.data,
            joint_lead_office_ids=list(self.joint_lead_office_ids.data or []),
            deadline=self.deadline.data,
            proposal_ids=list(self.proposal_ids.data or []),
        )


class RemarkForm(FlaskForm):
    candidate_id = record_choice(_l("针对的候选项目"))
    # Shown to the presidium only: the deputy who spoke in the group's deliberation.
    deputy_id = record_choice(_l("提出意见的代表"))
    text = TextAreaField(
        _l("审议意见"),
        validators=[DataRequired(_l("请填写审议意见。")), Length(max=REMARK_MAX, message=TOO_LONG)],
    )
    submit = SubmitField(_l("提交审议意见"))


class ButtonForm(FlaskForm):
    """A button with its CSRF token (fix, reopen, withdraw, move)."""

    submit = SubmitField(_l("确定"))
