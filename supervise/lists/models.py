"""The three lists (三清单) and their items, supervisors and the append-only item history."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import utcnow
from ..core.dates import add_months_clamped
from ..core.enums import N_, LabeledEnum, enum_column_type
from ..core.history import HistoryIsAppendOnly, append_only  # noqa: F401  (HistoryIsAppendOnly re-exported)
from ..core.tables import link_table
from ..extensions import db
from ..org.models import Deputy, Office, Township


class ListKind(LabeledEnum):
    """The three lists (三清单): government commitments, deputies' suggestions, livelihood projects."""

    commitment = ("commitment", N_("政府承诺事项"), "primary")
    suggestion = ("suggestion", N_("代表建议"), "success")
    livelihood = ("livelihood", N_("民生实事项目"), "danger")

    @property
    def letter(self) -> str:
        """The letter in item codes, e.g. jiangkou-2024-C-003."""
        return {"commitment": "C", "suggestion": "S", "livelihood": "L"}[self.value]


class ItemState(LabeledEnum):
    """Where an item is in its life; the transitions between states are lists/workflow.py."""

    draft = ("draft", N_("草稿"), "secondary")
    listed = ("listed", N_("已列入清单"), "info")
    supervising = ("supervising", N_("监督中"), "primary")
    consulting = ("consulting", N_("会商中"), "warning")
    completed = ("completed", N_("已报完成"), "success")
    verified = ("verified", N_("已核实"), "success")
    closed = ("closed", N_("已销号"), "dark")
    withdrawn = ("withdrawn", N_("已撤销"), "light")
    carried_over = ("carried_over", N_("已结转下年"), "light")


# Named sets of states, by what they mean. Every domain uses these; none writes its own tuple.
# Listed and worked on, before the government reports it done: the presidium may still amend it, a
# suggestion may be answered, and its deadline can pass (overdue).
UNDER_WAY_STATES = frozenset({ItemState.listed, ItemState.supervising, ItemState.consulting})
# A draft and what is under way: the item's fields may still be amended.
EDITABLE_STATES = frozenset({ItemState.draft}) | UNDER_WAY_STATES
# Under supervision (监督中 or 会商中): monthly reports and supervisors' feedback are due.
UNDER_SUPERVISION_STATES = frozenset({ItemState.supervising, ItemState.consulting})
# Not yet verified: may be carried over to next year, discussed in a consultation, is on to-do lists.
UNFINISHED_STATES = UNDER_WAY_STATES | {ItemState.completed}
# On the year's lists and not yet closed, withdrawn or carried over: what inspection findings and
# follow-up sheets (督办单) may concern.
ON_LIST_STATES = UNFINISHED_STATES | {ItemState.verified}
# Reported done by the government: completed, or verified by the supervisors and the presidium.
DONE_STATES = frozenset({ItemState.completed, ItemState.verified})
# What the evaluation meeting (民主评议) may rate and record a result on: any open state of the
# list (a meeting rates items under supervision as well as finished ones).
RATEABLE_STATES = ON_LIST_STATES
# The item's life is over: nothing more happens to it.
ENDED_STATES = frozenset({ItemState.closed, ItemState.withdrawn, ItemState.carried_over})
# Ended without being done: withdrawn, or carried over into next year's list (its copy goes on
# there). Not unfinished either: the year's statistics list them apart, each with its own reason.
ENDED_UNDONE_STATES = frozenset({ItemState.withdrawn, ItemState.carried_over})
# Not ended (a draft included): may still be withdrawn.
LIVE_STATES = frozenset(ItemState) - ENDED_STATES
# Shown in the month's public notice (公示): under supervision or reported done, not yet verified.
IN_NOTICE_STATES = UNDER_SUPERVISION_STATES | {ItemState.completed}
# Past supervision: reported done, verified or ended.
PAST_SUPERVISION_STATES = DONE_STATES | ENDED_STATES


class AnswerClass(LabeledEnum):
    """How the lead office answers a deputy's suggestion (答复类别 A-D)."""

    A = ("A", N_("A类：已解决"), "success")
    B = ("B", N_("B类：正在解决或列入计划"), "primary")
    C = ("C", N_("C类：待以后解决"), "warning")
    D = ("D", N_("D类：留作参考"), "secondary")


class Rating(LabeledEnum):
    """The evaluation meeting's grade of an item or an office (测评结果)."""

    satisfied = ("satisfied", N_("满意"), "success")
    basically_satisfied = ("basically_satisfied", N_("基本满意"), "info")
    dissatisfied = ("dissatisfied", N_("不满意"), "danger")


class ItemLevel(LabeledEnum):
    """Whose livelihood project (实事) an item is: the township's own, or one of the county or city."""

    township = ("township", N_("镇级"), "secondary")
    county = ("county", N_("县级"), "info")
    city = ("city", N_("市级"), "primary")


class SupervisionList(db.Model):
    """One township's list of one kind for one year."""

    __tablename__ = "supervision_list"
    __table_args__ = (UniqueConstraint("township_id", "year", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    year: Mapped[int]
    kind: Mapped[ListKind] = mapped_column(enum_column_type(ListKind, "list_kind"))
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # The categories (分类) its items are grouped by, in order (e.g. 教育、交通、民生实事工程).
    categories: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # Real lists leave the deadline implied as the year's end and put the target in the title: an
    # item without its own deadline or target takes these when the list is confirmed.
    default_deadline: Mapped[date | None]
    title_is_target: Mapped[bool] = mapped_column(default=True, server_default=true())

    township: Mapped[Township] = relationship()
    items: Mapped[list[Item]] = relationship(back_populates="supervision_list", order_by="Item.number")

    @property
    def title(self) -> str:
        return f"{self.year} {self.kind.label}"

    @property
    def effective_default_deadline(self) -> date:
        """The deadline of an item that names none: the configured one, or the year's end."""
        return self.default_deadline or date(self.year, 12, 31)


item_assisting_office = link_table("item_assisting_office", "item", "office")

item_proposer = link_table("item_proposer", "item", "deputy")

# Joint lead units (联合牵头): offices that lead the item together with its lead office; each sees the
# item and may report on it, and appears beside the lead office on notices and sheets.
item_joint_lead_office = link_table("item_joint_lead_office", "item", "office", index_other=True)


class Item(db.Model):
    """An item (清单事项) of a list. Its state changes only through lists.operations."""

    __table_args__ = (
        UniqueConstraint("list_id", "number"),
        CheckConstraint("planned_funds IS NULL OR planned_funds >= 0", name="funds_not_negative"),
        CheckConstraint("state <> 'withdrawn' OR withdrawn_reason IS NOT NULL", name="withdrawn_has_reason"),
        CheckConstraint("state <> 'closed' OR result IS NOT NULL", name="closed_has_result"),
        # A township's items in some states (escalation, to-do lists): without it SQLite reads every
        # township's items of those states through the index on state alone.
        Index("ix_item_township_id_state", "township_id", "state"),
        # The item list's first page in code order: 50 rows read in order, not a township's every
        # item sorted (1,500 after five years).
        Index("ix_item_township_id_code", "township_id", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("supervision_list.id"), index=True)
    # Copied from the list so that scoping and filters need no join.
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    number: Mapped[int]
    code: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    area: Mapped[str] = mapped_column(String(200), default="")
    lead_office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"), index=True)
    leader_name: Mapped[str] = mapped_column(String(40), default="")
    target: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[date | None]
    # The deadline as the list wrote it ("6月底", "年底"), kept beside the parsed date; "" when typed here.
    deadline_text: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # An item spanning years (跨年度事项) runs until the end of this year; otherwise (None) its
    # deadline falls in its list's year (lists/workflow.py, deadline_year_problem).
    end_year: Mapped[int | None]
    planned_funds: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    # "230余万元", "约230万元": the planned amount is approximate, and ``planned_funds_about`` says
    # how, as the list wrote it: 约 ("about") or, when false, 余 ("more than"), which is what amounts
    # marked approximate before the wording was kept are shown with (core/amounts.wan_yuan).
    planned_funds_approx: Mapped[bool] = mapped_column(default=False, server_default=false())
    planned_funds_about: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Of the planned total, what is planned for the list's year (本年度计划投资), in 万元.
    planned_funds_this_year: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    funds_source: Mapped[str] = mapped_column(String(200), default="", server_default="")  # 资金来源
    # 分类: one of its list's categories, or "" (shown under 未分类).
    category: Mapped[str] = mapped_column(String(40), default="", server_default="")
    level: Mapped[ItemLevel | None] = mapped_column(enum_column_type(ItemLevel, "item_level"))
    wide_impact: Mapped[bool] = mapped_column(default=False)
    public_attention: Mapped[bool] = mapped_column(default=False)
    high_difficulty: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[ItemState] = mapped_column(
        enum_column_type(ItemState, "item_state"), default=ItemState.draft, index=True
    )
    # Suggestions (代表建议): legal answer deadline and the government's answer.
    handed_over_on: Mapped[date | None]
    extension_approved: Mapped[bool] = mapped_column(default=False)
    extension_note: Mapped[str] = mapped_column(String(200), default="")
    answer_class: Mapped[AnswerClass | None] = mapped_column(enum_column_type(AnswerClass, "answer_class"))
    answer_text: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None]
    # Fresh handling (重新办理): a proposer was not satisfied with the answer; the lead office answers
    # again by this day. Cleared by the new answer; the opinions and events keep the history.
    reanswer_due: Mapped[date | None]
    # Completion report by the lead office, and the evaluation result.
    completion_report: Mapped[str] = mapped_column(Text, default="")
    completion_evidence: Mapped[str] = mapped_column(Text, default="")
    completed_at: Mapped[datetime | None]
    result: Mapped[Rating | None] = mapped_column(enum_column_type(Rating, "rating"))
    result_is_manual: Mapped[bool] = mapped_column(default=False)
    # The day of the rating in ``result`` (the meeting's date): an older rating never replaces it.
    result_on: Mapped[date | None]
    rerate_deadline: Mapped[date | None]
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    congress_decision: Mapped[str] = mapped_column(String(200), default="")
    # Chosen by the deputies' vote (票决): a change after listing needs a congress decision.
    chosen_by_vote: Mapped[bool] = mapped_column(default=False, server_default=false())
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("item.id"))
    escalation_note: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    __mapper_args__ = {"version_id_col": version}

    supervision_list: Mapped[SupervisionList] = relationship(back_populates="items")
    township: Mapped[Township] = relationship()
    lead_office: Mapped[Office | None] = relationship()
    assisting_offices: Mapped[list[Office]] = relationship(secondary=item_assisting_office)
    joint_lead_offices: Mapped[list[Office]] = relationship(secondary=item_joint_lead_office)
    proposers: Mapped[list[Deputy]] = relationship(secondary=item_proposer)
    assignments: Mapped[list[SupervisorAssignment]] = relationship(
        back_populates="item", order_by="SupervisorAssignment.id"
    )
    events: Mapped[list[ItemEvent]] = relationship(
        back_populates="item", order_by="ItemEvent.id", passive_deletes="all"
    )
    carried_from: Mapped[Item | None] = relationship(remote_side=[id])
    answer_opinions: Mapped[list[AnswerOpinion]] = relationship(
        back_populates="item", order_by="AnswerOpinion.id", passive_deletes="all"
    )

    @property
    def kind(self) -> ListKind:
        return self.supervision_list.kind

    @property
    def lead_offices(self) -> list[Office]:
        """The lead office and the joint leads (联合牵头), lead first: who answers for the item."""
        leads = [self.lead_office] if self.lead_office is not None else []
        return leads + [office for office in self.joint_lead_offices if office not in leads]

    def is_led_by(self, office_id: int | None) -> bool:
        """This office leads the item: as its lead office or as a joint lead (联合牵头).

        The one rule of "the office's item"; ``lists.queries.led_by_office_condition`` is its SQL."""
        if office_id is None:
            return False
        return office_id == self.lead_office_id or any(o.id == office_id for o in self.joint_lead_offices)

    def is_lead_clerk(self, user: Any) -> bool:
        """A clerk of one of the item's lead offices (lead or joint): sees it as their office's,
        reports on it monthly, answers it and reports it done."""
        office_id = getattr(user, "office_id", None)
        return user.is_clerk_of(self.township_id, office_id) and self.is_led_by(office_id)

    @property
    def supervisors(self) -> list[Deputy]:
        return [a.deputy for a in self.assignments if a.ended_at is None]

    @property
    def flags(self) -> list[str]:
        from flask_babel import gettext as _

        names = []
        if self.wide_impact:
            names.append(_("影响面广"))
        if self.public_attention:
            names.append(_("群众关注度高"))
        if self.high_difficulty:
            names.append(_("推进难度大"))
        return names

    @property
    def spans_years(self) -> bool:
        """Marked as spanning years (跨年度), with its end year."""
        return self.end_year is not None

    @property
    def years_label(self) -> str:
        """The years the item runs over: "2026–2027", or its list's year alone."""
        first = self.supervision_list.year
        return f"{first}–{self.end_year}" if self.end_year is not None else str(first)

    @property
    def from_list_defaults(self) -> set[str]:
        """The fields confirming the list filled from its defaults (按清单默认: "deadline", "target"),
        unless amended since; read from the item's events."""
        taken: set[str] = set()
        for event in self.events:
            details = event.details or {}
            taken.update(details.get("defaults") or ())
            taken.difference_update((details.get("changes") or {}).keys())
        return taken

    @property
    def answer_due(self) -> date | None:
        """Suggestions: 3 months after hand-over, 6 with recorded approval (代表法)."""
        if self.handed_over_on is None:
            return None
        months = 6 if self.extension_approved else 3
        return add_months_clamped(self.handed_over_on, months)

    @property
    def latest_opinion(self) -> AnswerOpinion | None:
        """The proposers' newest opinion of the answer: the one that counts."""
        return self.answer_opinions[-1] if self.answer_opinions else None

    @property
    def opinion_on_earlier_answer(self) -> bool:
        """The newest opinion judged an answer the office has since replaced (the fresh answer of
        重新办理 awaits its own): it is no verdict on the answer shown now."""
        latest = self.latest_opinion
        return latest is not None and latest.answered_at != self.answered_at

    def reanswer_overdue(self, today: date) -> bool:
        """Sent back for fresh handling and not answered again by its new deadline."""
        return self.reanswer_due is not None and self.reanswer_due < today

    def is_overdue(self, today: date) -> bool:
        """Deadline passed while still open: the same rule as queries.overdue_condition.

        A suggestion's unanswered legal deadline has its own badge and escalation reason.
        """
        return self.state in UNDER_WAY_STATES and self.deadline is not None and self.deadline < today

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class SupervisorAssignment(db.Model):
    """A deputy assigned as volunteer supervisor (义务监督员) of an item; ended, never deleted."""

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), index=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputy.id"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    # The supervisor's confirmation of the latest completion report.
    confirmed_at: Mapped[datetime | None]

    item: Mapped[Item] = relationship(back_populates="assignments")
    deputy: Mapped[Deputy] = relationship()


class ItemEvent(db.Model):
    """One transition or amendment of an item: who, when, from, to, why. Append-only."""

    __tablename__ = "item_event"
    __table_args__ = (
        # "Has it ever been under supervision": an index probe per item, whatever the table's size;
        # also the index of an item's events (it replaces the one on item_id alone).
        Index("ix_item_event_item_id_to_state", "item_id", "to_state"),
        # Events by time: what changed in a period, across items.
        Index("ix_item_event_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"))  # indexed first in (item_id, to_state)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[ItemState | None] = mapped_column(enum_column_type(ItemState, "event_from_state"))
    to_state: Mapped[ItemState | None] = mapped_column(enum_column_type(ItemState, "event_to_state"))
    reason: Mapped[str] = mapped_column(Text, default="")
    # The item's version after this event: "what changed since version n" for edit conflicts.
    item_version: Mapped[int] = mapped_column(default=0)
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    item: Mapped[Item] = relationship(back_populates="events")
    actor = relationship("User")


append_only(ItemEvent, message="item events are append-only")


class AnswerOpinion(db.Model):
    """A proposing deputy's opinion of the answer to their suggestion (满意/基本满意/不满意), with a
    comment. Append-only: a later opinion (after a fresh answer, or on second thoughts) is a new row,
    and the newest counts."""

    __tablename__ = "answer_opinion"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), index=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputy.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    opinion: Mapped[Rating] = mapped_column(enum_column_type(Rating, "answer_opinion"))
    comment: Mapped[str] = mapped_column(Text, default="")
    # The answer it judged, as it was: its class and when it was given.
    answer_class: Mapped[AnswerClass | None] = mapped_column(
        enum_column_type(AnswerClass, "answer_opinion_class")
    )
    answered_at: Mapped[datetime | None]

    item: Mapped[Item] = relationship(back_populates="answer_opinions")
    deputy: Mapped[Deputy] = relationship()
    user = relationship("User")


append_only(AnswerOpinion, message="answer opinions are append-only")
