"""The vote's forms: setting up the vote on a fixed plan, and opening voting (early with a reason)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..ballots.approval import PassBase
from ..core.fields import LocalDateField, LocalIntegerField

# The quorum (法定人数) as the presidium chooses it: {value: (numerator, denominator, strict)}.
QUORUMS = {
    "two_thirds": (2, 3, False),  # 三分之二以上: two thirds itself counts
    "half": (1, 2, True),  # 过半数: more than half
}


class VoteSetupForm(FlaskForm):
    held_on = LocalDateField(_l("会议日期"), validators=[DataRequired(_l("请填写会议日期。"))])
    place = StringField(_l("会议地点"), validators=[Optional(), Length(max=200)])
    quorum = SelectField(
        _l("法定人数"),
        choices=[
            SelectChoice("two_thirds", _l("三分之二以上代表出席（地方组织法第十四条）")),
            SelectChoice("half", _l("过半数代表出席")),
        ],
        default="two_thirds",
    )
    pass_base = SelectField(
        _l("赞成票过半数的基数"),
        choices=PassBase.choices,
        default=PassBase.roster.value,
    )
    runoffs = LocalIntegerField(
        _l("最多另行投票轮数"),
        default=1,
        validators=[Optional(), NumberRange(min=0, max=5, message=_l("另行投票的轮数须在 0 到 5 之间。"))],
    )
    live_results = BooleanField(_l("投票中在大屏上实时显示票数"))
    submit = SubmitField(_l("组织票决"))


class OpenVotingForm(FlaskForm):
    start_early = BooleanField(_l("提前开始"))
    early_reason = TextAreaField(_l("提前开始的理由"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("开始投票"))
