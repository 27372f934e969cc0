"""Forms for lists, items and item actions. They only parse and validate."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..core.fields import (
    IdHiddenField,
    LocalDateField,
    LocalDecimalField,
    LocalIntegerField,
    optional_choice,
    record_choice,
    records_choice,
)
from ..core.idempotency import SubmissionKeyField
from .item_rules import funds_problem
from .models import AnswerClass, ItemLevel, ListKind, Rating


class ListForm(FlaskForm):
    township_id = record_choice(_l("所属镇"))
    year = LocalIntegerField(
        _l("年度"),
        validators=[
            DataRequired(_l("请输入年度。")),
            NumberRange(2000, 2100, message=_l("年度应在 2000 到 2100 之间。")),
        ],
    )
    kind = SelectField(_l("清单类别"), choices=ListKind.choices)
    submit = SubmitField(_l("创建清单"))


class ItemForm(FlaskForm):
    version = IdHiddenField()  # the version the form was loaded with; not one: a 400
    submission_key = SubmissionKeyField()  # a new item is created once per form
    title = StringField(_l("事项名称"), validators=[DataRequired(_l("请输入事项名称。")), Length(max=200)])
    description = TextAreaField(_l("事项内容"), validators=[Optional(), Length(max=5000)])
    area = StringField(_l("实施区域"), validators=[Optional(), Length(max=200)])
    # 分类: the choices are the list's categories (blueprint.item_form_choices), "" for 未分类.
    category = SelectField(_l("分类"), choices=[], default="")
    level = optional_choice(_l("实事级别"), ItemLevel.choices)
    lead_office_id = record_choice(_l("主办单位"))
    joint_lead_office_ids = records_choice(_l("联合牵头单位"))
    assisting_office_ids = records_choice(_l("协办单位"))
    leader_name = StringField(_l("分管领导"), validators=[Optional(), Length(max=40)])
    target = TextAreaField(_l("目标/标准"), validators=[Optional(), Length(max=2000)])
    deadline = LocalDateField(_l("完成时限"), validators=[Optional()])
    spans_years = BooleanField(
        _l("跨年度事项"), description=_l("完成时限可以在清单年度之后，至结束年度年底为止。")
    )
    end_year = LocalIntegerField(
        _l("结束年度"),
        validators=[Optional(), NumberRange(2000, 2100, message=_l("年度应在 2000 到 2100 之间。"))],
    )
    planned_funds = LocalDecimalField(
        _l("计划资金（万元）"),
        places=2,
        validators=[Optional(), NumberRange(min=0, message=_l("资金不能为负数。"))],
    )
    planned_funds_this_year = LocalDecimalField(
        _l("本年度计划投资（万元）"),
        places=2,
        validators=[Optional(), NumberRange(min=0, message=_l("资金不能为负数。"))],
    )
    planned_funds_approx = BooleanField(
        _l("计划资金为约数"), description=_l("页面、公示和导出中按下面所选的写法显示。")
    )
    # How the approximate amount is written: 余 ("more than", as amounts were shown before the
    # wording was kept) or 约 ("about"). Stored as Item.planned_funds_about.
    planned_funds_about = RadioField(
        _l("约数的写法"),
        choices=[
            SelectChoice("more", _l("“230余万元”（多于此数）")),
            SelectChoice("about", _l("“约230万元”（大约此数）")),
        ],
        coerce=lambda value: value in (True, "about"),
        default=False,
    )
    funds_source = StringField(_l("资金来源"), validators=[Optional(), Length(max=200)])
    wide_impact = BooleanField(_l("影响面广"))
    public_attention = BooleanField(_l("群众关注度高"))
    high_difficulty = BooleanField(_l("推进难度大"))
    source = TextAreaField(_l("来源（提出代表、票决结果等）"), validators=[Optional(), Length(max=2000)])
    proposer_ids = records_choice(_l("提出建议的代表"))
    handed_over_on = LocalDateField(_l("交办日期（代表建议）"), validators=[Optional()])
    extension_approved = BooleanField(_l("经批准延长至 6 个月答复"))
    extension_note = StringField(_l("延期批准说明"), validators=[Optional(), Length(max=200)])
    reason = TextAreaField(
        _l("修改理由"),
        validators=[Optional(), Length(max=1000)],
        description=_l("事项列入清单后，每次修改都须填写理由，并记入事项的履历。"),
    )
    decision = StringField(
        _l("人大决定（文号或会议）"),
        validators=[Optional(), Length(max=200)],
        description=_l("这个项目由代表票决产生：列入清单后的修改须依据人大的决定。"),
    )
    submit = SubmitField(_l("保存"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.spans_years.data:
            self.end_year.data = None  # not marked as spanning years: a year left in the box is ignored
        elif self.end_year.data is None and not self.end_year.errors:
            # Here, not in validate_end_year: Optional() ends the field's checks when it is empty.
            self.end_year.errors = [*self.end_year.errors, _l("跨年度事项请填写结束年度。")]
            valid = False
        if problem := funds_problem(self.planned_funds.data, self.planned_funds_this_year.data):
            self.planned_funds_this_year.errors = [*self.planned_funds_this_year.errors, problem]
            valid = False
        return valid


class ActionForm(FlaskForm):
    """One form for every transition; each action reads the fields it needs."""

    reason = TextAreaField(_l("理由"), validators=[Optional(), Length(max=2000)])
    decision = StringField(_l("人大决定（文号或会议）"), validators=[Optional(), Length(max=200)])
    deputy_ids = records_choice(_l("义务监督员（1-2 名）"))
    report = TextAreaField(_l("完成情况"), validators=[Optional(), Length(max=5000)])
    evidence = TextAreaField(_l("佐证材料"), validators=[Optional(), Length(max=5000)])
    comment = TextAreaField(_l("意见"), validators=[Optional(), Length(max=2000)])
    rating = optional_choice(_l("测评结果"), Rating.choices)


class AnswerForm(FlaskForm):
    answer_class = SelectField(_l("答复类别"), choices=AnswerClass.choices)
    answer_text = TextAreaField(
        _l("答复内容"), validators=[DataRequired(_l("请填写答复内容。")), Length(max=5000)]
    )
    submit = SubmitField(_l("提交答复"))


class CategoryForm(FlaskForm):
    """Add a category to a list, or rename one (``old`` names it)."""

    old = HiddenField()
    name = StringField(_l("分类名称"), validators=[DataRequired(_l("请填写分类名称。")), Length(max=40)])


class ListDefaultsForm(FlaskForm):
    default_deadline = LocalDateField(
        _l("默认完成时限"),
        validators=[Optional()],
        description=_l("未填写完成时限的事项，确认清单时取此日期；不填则为清单年度的年底。"),
    )
    title_is_target = BooleanField(
        _l("标题即目标"), description=_l("未填写目标/标准的事项，确认清单时以事项名称作为目标。")
    )
    submit = SubmitField(_l("保存默认值"))


class AnswerOpinionForm(FlaskForm):
    """A proposer's opinion of the answer to their suggestion, on a phone: three big buttons."""

    # Left unchosen, the operation's guard says what is missing (with the comment kept).
    opinion = optional_choice(_l("您对答复的意见"), Rating.choices)
    comment = TextAreaField(
        _l("意见和理由"),
        validators=[Optional(), Length(max=2000)],
        description=_l("选择“不满意”时必填：写明不满意的地方，承办单位据此重新办理。"),
    )
    submit = SubmitField(_l("提交意见"))


class ReanswerDueForm(FlaskForm):
    """The presidium's new answer deadline of a suggestion handled afresh (one to two months)."""

    due_on = LocalDateField(_l("重新答复期限"), validators=[DataRequired(_l("请填写新的答复期限。"))])
    reason = TextAreaField(_l("说明"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("调整期限"))
