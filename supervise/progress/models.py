"""The monthly cycle (逐月查账): government progress reports, supervisors' feedback and reminders."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import utcnow
from ..core.dates import china_date_of
from ..core.enums import N_, LabeledEnum, enum_column_type
from ..core.history import append_only
from ..extensions import db
from ..lists.models import ENDED_STATES, Item
from ..org.models import Deputy, Township
from ..uploads.models import register_owner


class FeedbackVerdict(LabeledEnum):
    """A supervisor's answer to a monthly report: confirm it, or dispute it with a comment."""

    confirm = ("confirm", N_("确认"), "success")
    dispute = ("dispute", N_("有异议"), "danger")


class MonthlyReport(db.Model):
    """One version of an office's progress report (月报) on an item for one month. Append-only:
    a correction is a new row with the next version; the newest version is the current one."""

    __tablename__ = "monthly_report"
    __table_args__ = (
        UniqueConstraint("item_id", "month", "version", name="uq_monthly_report_version"),
        CheckConstraint("percent >= 0 AND percent <= 100", name="percent_in_range"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("funds_spent IS NULL OR funds_spent >= 0", name="funds_not_negative"),
        # A township's reports of one month (notices, the grid, the home summary).
        Index("ix_monthly_report_township_id_month", "township_id", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), index=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    # The first day of the month reported on.
    month: Mapped[date] = mapped_column(index=True)
    version: Mapped[int] = mapped_column(default=1)
    percent: Mapped[int]
    done: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    funds_spent: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))  # 万元
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Why this version replaces the previous one, or why its percent is below the latest earlier
    # month's (empty otherwise).
    correction_reason: Mapped[str] = mapped_column(Text, default="")

    item: Mapped[Item] = relationship()
    township: Mapped[Township] = relationship()
    submitted_by = relationship("User")
    feedback: Mapped[list[ReportFeedback]] = relationship(
        back_populates="report", order_by="ReportFeedback.id", passive_deletes="all"
    )

    @property
    def is_correction(self) -> bool:
        return self.version > 1

    def is_late(self, due_on: date) -> bool:
        """Submitted (China date) after the due day of its month."""
        return china_date_of(self.submitted_at) > due_on

    def can_be_corrected_by(self, user) -> bool:
        """Only a clerk of the item's lead office corrects its reports."""
        return self.item.is_lead_clerk(user)

    @property
    def takes_feedback(self) -> bool:
        """Feedback is given while the item's supervision lasts: not once it is closed, withdrawn or
        carried over (ENDED_STATES). A report done or verified may still be answered."""
        return self.item.state not in ENDED_STATES

    def can_get_feedback_from(self, user) -> bool:
        """Only the item's current supervisors give feedback on its reports, while it takes feedback."""
        return self.takes_feedback and user.supervises(self.item)


class ReportFeedback(db.Model):
    """A supervisor's verdict on one report version: confirm, or dispute with a comment. Append-only."""

    __tablename__ = "report_feedback"
    __table_args__ = (CheckConstraint("verdict <> 'dispute' OR comment <> ''", name="dispute_has_comment"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("monthly_report.id"), index=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputy.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    verdict: Mapped[FeedbackVerdict] = mapped_column(enum_column_type(FeedbackVerdict, "feedback_verdict"))
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)

    report: Mapped[MonthlyReport] = relationship(back_populates="feedback")
    deputy: Mapped[Deputy] = relationship()
    user = relationship("User")


append_only(MonthlyReport, ReportFeedback, message="monthly reports and feedback are append-only")


class Notification(db.Model):
    """An in-app reminder (提醒) for one user about one item: what it leads with (kind, month) and, in
    ``params["others"]``, the item's other months reminded the same day (one a day per user and item)."""

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint(
            "user_id", "kind", "item_id", "month", "created_on", name="uq_notification_once_a_day"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    # report_due / report_overdue / feedback_due / feedback_overdue; sheet_issued / sheet_answered /
    # sheet_returned / sheet_overdue (progress/notify.py: no item, the sheet in params);
    # answer_dissatisfied (progress/answer_notices.py: no item_id, the item in params)
    kind: Mapped[str] = mapped_column(String(40))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("item.id"), index=True)
    month: Mapped[date]
    due_on: Mapped[date]
    # What the text needs besides the item (its code and title, kept as they were when sent).
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    created_on: Mapped[date]  # China date: the "same day" of the once-a-day rule
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]

    user = relationship("User")
    item: Mapped[Item | None] = relationship()

    @staticmethod
    def things_of(kind: str, month: date, due_on: date | None, params: dict) -> list[tuple]:
        """(kind, month, due on, report version) of everything one notification reminds of: what it
        leads with, then the other months of the same item it bundles (one a day per item)."""
        things = [(kind, month, due_on, params.get("version", 0))]
        for other_kind, other_month, other_due, version in params.get("others", []):
            things.append(
                (other_kind, date.fromisoformat(other_month), date.fromisoformat(other_due), version)
            )
        return things

    @property
    def text(self) -> str:
        from flask_babel import gettext as _

        if self.kind.startswith("sheet_"):
            return _sheet_phrase(self.kind, self.due_on, self.params)
        item = f"{self.params.get('code', '')} {self.params.get('title', '')}".strip()
        parts = [
            _reminder_phrase(kind, month, due)
            for kind, month, due, _version in self.things_of(self.kind, self.month, self.due_on, self.params)
        ]
        return _("%(item)s：%(what)s", item=item, what=_("；").join(p for p in parts if p))


# What a reminder says of one month of an item (%(month)s, %(due)s) ...
REMINDER_PHRASES = {
    "report_due": N_("%(month)s 月报请于 %(due)s 前报送"),
    "report_overdue": N_("%(month)s 月报已逾期（应于 %(due)s 前报送）"),
    "feedback_due": N_("请于 %(due)s 前对 %(month)s 月报作出反馈"),
    "feedback_overdue": N_("%(month)s 月报反馈已逾期（应于 %(due)s 前）"),
    "answer_dissatisfied": N_("代表对答复不满意，须于 %(due)s 前重新答复"),
}
# ... and of a follow-up sheet (%(sheet)s: its number and title as sent; %(due)s).
SHEET_PHRASES = {
    "sheet_issued": N_("%(sheet)s 已下发，请签收并于 %(due)s 前答复"),
    "sheet_answered": N_("%(sheet)s 已答复，请核实"),
    "sheet_returned": N_("%(sheet)s 已退回重办，请于 %(due)s 前重新答复"),
    "sheet_overdue": N_("%(sheet)s 已逾期（应于 %(due)s 前答复）"),
    "sheet_extension_requested": N_("%(sheet)s 承办单位申请延期，请决定"),
    "sheet_extension_granted": N_("%(sheet)s 已同意延期，请于 %(due)s 前答复"),
    "sheet_extension_refused": N_("%(sheet)s 的延期申请未获同意，请于 %(due)s 前答复"),
}


def _reminder_phrase(kind: str, month: date, due: date) -> str:
    from flask_babel import gettext as _

    phrase = REMINDER_PHRASES.get(kind)
    return _(phrase, month=f"{month.year}-{month.month:02d}", due=due.isoformat()) if phrase else ""


def _sheet_phrase(kind: str, due: date | None, params: dict) -> str:
    """A follow-up sheet's notification (progress/notify.py): its number and title as sent."""
    from flask_babel import gettext as _

    sheet = _("督办单 %(number)s：%(title)s", number=params.get("number", ""), title=params.get("title", ""))
    phrase = SHEET_PHRASES.get(kind)
    return _(phrase, sheet=sheet, due=due.isoformat() if due else "") if phrase else sheet


def _can_view_report_files(report_id: int, user) -> bool:
    report = db.session.get(MonthlyReport, report_id)
    return report is not None and user.can_see_township(report.township_id)


# Photos and files of a report: whoever sees the report's township sees them.
register_owner("monthly_report", _can_view_report_files)


class ProgressSummary(db.Model):
    """A home page's line about the monthly reports, computed once per data version and day: read in
    one query instead of working out every item's months on every visit. One row per township and
    reader: ``role`` "presidium" (``owner_id`` 0), "office" (the office's id) or "deputy" (the
    deputy's id); ``counts`` holds the numbers the line shows (progress/summary.py).

    ``stamp`` is the township's data version plus the every-township version when it was computed;
    every change a summary counts (items, assignments, reports, feedback) bumps the version in its own
    transaction (core/cache.py), so a row whose stamp or day differs is stale and is computed again."""

    __tablename__ = "progress_summary"

    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), primary_key=True, autoincrement=False)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    owner_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    day: Mapped[date]
    stamp: Mapped[int]
    counts: Mapped[dict] = mapped_column(JSON)
