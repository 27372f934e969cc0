"""Forms for the collection of proposals. They only parse and validate."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..core.fields import Chosen, LocalDateField, LocalDecimalField, LocalIntegerField, as_id
from ..core.idempotency import SubmissionKeyField
from .operations import CONTACT_MAX, NAME_MAX, PLACE_MAX, PROBLEM_MAX, TITLE_MAX, ProposalText


class PeriodForm(FlaskForm):
    year = LocalIntegerField(
        _l("项目年度"),
        validators=[
            DataRequired(_l("请填写项目年度。")),
            NumberRange(2000, 2100, message=_l("年度应在 2000 到 2100 之间。")),
        ],
        description=_l("征集的是哪一年的民生实事项目，如在 2026 年征集 2027 年的项目，填 2027。"),
    )
    starts_on = LocalDateField(_l("开始日期"), validators=[DataRequired(_l("请填写开始日期。"))])
    ends_on = LocalDateField(
        _l("截止日期（可不填）"),
        validators=[Optional()],
        description=_l("截止日期之后，公开表单不再接受建议；不填则到主席团结束征集为止。"),
    )
    submit = SubmitField(_l("保存"))


class ProposalForm(FlaskForm):
    """What every proposer fills in: the project."""

    # A signed-in proposer's double click submits once (core/idempotency); the public form ignores it.
    submission_key = SubmissionKeyField()

    title = StringField(
        _l("项目名称"),
        validators=[
            DataRequired(_l("请填写项目名称。")),
            Length(max=TITLE_MAX, message=_l("最多 %(max)d 字。")),
        ],
        description=_l("如：沙坪村通组道路硬化"),
    )
    problem = TextAreaField(
        _l("要解决的问题"),
        validators=[
            DataRequired(_l("请写明这个项目要解决什么问题。")),
            Length(max=PROBLEM_MAX, message=_l("最多 %(max)d 字。")),
        ],
        description=_l("为什么需要、惠及哪些群众。"),
    )
    place = StringField(
        _l("地点"), validators=[Optional(), Length(max=PLACE_MAX, message=_l("最多 %(max)d 字。"))]
    )
    cost_wan = LocalDecimalField(
        _l("大致费用（万元，可不填）"),
        places=2,
        validators=[Optional(), NumberRange(min=0, message=_l("估算费用不能为负数。"))],
    )
    cost_approximate = BooleanField(_l("费用是估计数"))
    submit = SubmitField(_l("提交建议"))

    def text(self) -> ProposalText:
        return ProposalText(
            title=self.title.data or "",
            problem=self.problem.data or "",
            place=self.place.data or "",
            cost_wan=self.cost_wan.data,
            cost_approximate=bool(self.cost_approximate.data),
            proposer_name=getattr(self, "proposer_name", None) and self.proposer_name.data or "",
            proposer_contact=getattr(self, "proposer_contact", None) and self.proposer_contact.data or "",
            anonymous=bool(getattr(self, "anonymous", None) and self.anonymous.data),
        )


class ResidentProposalForm(ProposalForm):
    """The public form: a resident also says who they are (to the presidium) and how to reach them."""

    proposer_name = StringField(
        # No Optional(): it would stop the chain before validate_proposer_name says the name is missing.
        _l("您的姓名"),
        validators=[Length(max=NAME_MAX, message=_l("最多 %(max)d 字。"))],
    )
    proposer_contact = StringField(
        _l("联系方式（电话等，仅主席团可见）"),
        validators=[Optional(), Length(max=CONTACT_MAX, message=_l("最多 %(max)d 字。"))],
    )
    anonymous = BooleanField(_l("不公开我的姓名（主席团仍可看到）"))

    def validate_proposer_name(self, field) -> None:
        """Said with the other fields' errors, not only once they are filled (the operation checks too)."""
        if not (field.data or "").strip() and not self.anonymous.data:
            raise ValidationError(_l("请填写您的姓名，或选择不公开姓名。"))


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("不予采纳的理由"),
        validators=[DataRequired(_l("请填写不予采纳的理由，提出人会看到这个理由。")), Length(max=2000)],
    )
    submit = SubmitField(_l("不予采纳"))


class MergeForm(FlaskForm):
    kept = SelectField(
        _l("并入（保留的建议）"),
        coerce=as_id,
        validate_choice=False,
        validators=[Chosen(_l("请选择保留的建议。"))],
    )
    submit = SubmitField(_l("合并"))


class ActionForm(FlaskForm):
    """A button with its CSRF token (accept, forward, open, close)."""

    submit = SubmitField(_l("确定"))
