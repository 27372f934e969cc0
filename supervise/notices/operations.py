"""Publishing notices (and corrections) and handling residents' opinions. Operations flush, never commit."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..core.clock import today, utcnow
from ..core.dates import china_date_of, month_of, reader_month
from ..core.documents import changed
from ..core.errors import DomainError, PermissionDenied, flush_or_refuse
from ..core.idempotency import resent
from ..core.numbering import document_number, take_next_number
from ..core.text import mask_private, strip_html
from ..extensions import db
from ..org.models import Township
from ..progress.queries import unreported_items
from ..progress.status import TOLERANCE as STATUS_TOLERANCE
from .models import NoticeCounter, NoticeLine, Opinion, OpinionState, PublicNotice
from .queries import OFFICIAL_LOCALE, latest_notice, snapshot_lines

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..lists.models import Item

OPINION_MAX_LENGTH = 500
OPINION_MIN_LENGTH = 2
AUTHOR_MAX_LENGTH = 20
ANSWER_MAX_LENGTH = 2000


TITLE_MAX_LENGTH = 200
DOCUMENT_KIND = "notice"  # notices/documents.py registers it
# Correction marks already at the end of a title: a correction of a correction is marked once. The
# English one is from notices published before titles were always Chinese.
_CORRECTION_MARKS = re.compile(r"(?:\s*(?:（更正）|\(correction\)))+$")


def default_title(township: Township, month: date) -> str:
    """The notice's usual title, in Chinese whatever the presidium's language (an official text)."""
    with force_locale(OFFICIAL_LOCALE):
        return _(
            "%(township)s%(year)d年%(month)d月“三清单”落实情况公示",
            township=township.name,
            year=month.year,
            month=month.month,
        )


def correction_title(title: str) -> str:
    """``title`` marked as a correction once, however many corrections it has been through."""
    with force_locale(OFFICIAL_LOCALE):
        mark = _("%(title)s（更正）", title="")
    base = _CORRECTION_MARKS.sub("", title).strip()
    return base[: TITLE_MAX_LENGTH - len(mark)] + mark


def issuer_of(township: Township) -> str:
    """The signature line under a notice, in Chinese."""
    with force_locale(OFFICIAL_LOCALE):
        return _("%(township)s人民代表大会主席团", township=township.name)


class ReportsMissing(DomainError):
    """Items still owe the month's report: the notice would show them as not reported, so publishing
    waits until the presidium confirms exactly these (``missing_confirmed``)."""

    def __init__(self, month: date, missing: list[Item]):
        super().__init__(
            _(
                "%(month)s还有 %(n)d 个事项未报送月报，公示中将显示为“本月未报送进展”。",
                month=reader_month(month),
                n=len(missing),
            )
        )
        self.missing = missing


def missing_reports(township_id: int, month: date) -> list[Item]:
    """The items that owe ``month``'s report and have none yet (the monthly calendar's rule)."""
    return unreported_items(db.session.get_one(Township, township_id), month, today())


def _check_month(month: date) -> date:
    month = month_of(month)
    if month > month_of(today()):
        raise DomainError(_("不能公示尚未到来的月份。"))
    return month


def _publish(
    user: User,
    township_id: int,
    month: date,
    title: str,
    corrects: PublicNotice | None,
    reason: str,
    at: datetime | None = None,
) -> PublicNotice:
    lines = snapshot_lines(township_id, month)
    if not lines:
        raise DomainError(_("这个月没有可以公示的事项。"))
    township = db.session.get_one(Township, township_id)
    # One line: a title is a heading and a download's file name (a line break would break both).
    title = " ".join((title or "").split()) or default_title(township, month)
    title = correction_title(title) if corrects is not None else title[:TITLE_MAX_LENGTH]
    published_at = at or utcnow()
    # Numbered like follow-up sheets: from 1 per township and year of publication, corrections too.
    year = china_date_of(published_at).year
    number = take_next_number(NoticeCounter, township_id, year)
    notice = PublicNotice(
        township_id=township_id,
        month=month,
        title=title,
        year=year,
        number=number,
        document_number=document_number(township.notice_number_prefix, year, number),
        published_at=published_at,
        published_by_id=user.id,
        issuer=issuer_of(township),
        corrects_id=corrects.id if corrects else None,
        correction_reason=mask_private(reason),
        # Frozen with the notice: a later change of the township's settings changes no published one.
        # The contact is the township's own (its office telephone is meant to be public): not masked.
        objection_days=township.notice_objection_days,
        contact_person=township.contact_person,
        contact_phone=township.contact_phone,
        contact_address=township.contact_address,
        status_tolerance=STATUS_TOLERANCE,
    )
    db.session.add(notice)
    flush_or_refuse(_("在您发布的同时，其他人已发布了这个月的公示。请刷新页面后查看。"))
    db.session.add_all([NoticeLine(notice_id=notice.id, **line.columns()) for line in lines])
    db.session.flush()
    # The printed notice is made by a worker once this is committed (public addresses never render).
    changed(DOCUMENT_KIND, notice.id)
    if corrects is not None:
        changed(DOCUMENT_KIND, corrects.id)  # it now says it was corrected
    return notice


def publish_notice(
    user: User,
    township_id: int,
    month: date,
    title: str = "",
    *,
    missing_confirmed: Collection[int] = (),
    at: datetime | None = None,
) -> PublicNotice:
    """Publish the month's notice: a frozen copy of every item's progress, state, office and supervisors.

    While items still owe the month's report it is refused (ReportsMissing) unless each of them is
    among ``missing_confirmed`` (item ids the presidium was shown and confirmed); a newly missing
    one asks again. ``at`` backdates the publication (demo data, importing earlier paper notices).
    """
    if not user.is_presidium_of(township_id):
        raise PermissionDenied(_("只有本镇主席团可以发布公示。"))
    month = _check_month(month)
    _lock_township(township_id)
    if latest_notice(township_id, month) is not None:
        raise DomainError(_("这个月的公示已经发布。如需更改，请发布更正公示。"))
    missing = missing_reports(township_id, month)
    if not {item.id for item in missing} <= set(missing_confirmed):
        raise ReportsMissing(month, missing)
    return _publish(user, township_id, month, title, None, "", at)


def publish_correction(
    user: User, notice: PublicNotice, reason: str, title: str = "", *, at: datetime | None = None
) -> PublicNotice:
    """Publish a correction: a new notice of the same month that points at the one it corrects."""
    if not user.is_presidium_of(notice.township_id):
        raise PermissionDenied(_("只有本镇主席团可以发布更正公示。"))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请说明更正的原因。"))
    _lock_township(notice.township_id)
    if latest_notice(notice.township_id, notice.month) is not notice:
        raise DomainError(_("这份公示已经更正过，请在最新的更正公示上再作更正。"))
    return _publish(user, notice.township_id, notice.month, title or notice.title, notice, reason, at)


def update_notice_settings(
    user: User,
    township: Township,
    *,
    objection_days: int,
    contact_person: str,
    contact_phone: str,
    contact_address: str,
) -> Township:
    """The objection period and the contact printed on the township's next notices (published ones
    keep theirs). The presidium of the township changes them (admins through the township's form)."""
    if not user.is_presidium_of(township.id):
        raise PermissionDenied(_("只有本镇主席团可以修改公示设置。"))
    if not 1 <= objection_days <= 30:
        raise DomainError(_("公示期请填写 1 到 30 之间的天数。"))
    township.notice_objection_days = objection_days
    township.contact_person = contact_person.strip()
    township.contact_phone = contact_phone.strip()
    township.contact_address = contact_address.strip()
    db.session.flush()
    return township


def _lock_township(township_id: int) -> None:
    """Two presidium members publishing the same month at once: the second waits, then sees the first."""
    db.session.execute(select(Township.id).where(Township.id == township_id).with_for_update())


# ---- residents' opinions (群众意见) ---------------------------------------------------------------


def submit_opinion(notice: PublicNotice, line_id: int | None, body: str, author_name: str = "") -> Opinion:
    """Anyone leaves an opinion on one item of a published notice; it waits for the presidium."""
    if not notice.accepts_opinions:
        raise DomainError(_("这份公示已被更正，请在更正后的公示上发表意见。"))
    line = db.session.get(NoticeLine, line_id) if line_id else None
    if line is None or line.notice_id != notice.id:
        raise DomainError(_("请选择意见针对的事项。"))
    body = mask_private(strip_html(body))
    author_name = mask_private(strip_html(author_name))
    if len(body) < OPINION_MIN_LENGTH:
        raise DomainError(_("请填写意见内容。"))
    if len(body) > OPINION_MAX_LENGTH:
        raise DomainError(_("意见最多 %(n)d 字。", n=OPINION_MAX_LENGTH))
    if len(author_name) > AUTHOR_MAX_LENGTH:
        raise DomainError(_("称呼最多 %(n)d 字。", n=AUTHOR_MAX_LENGTH))
    earlier = resent(
        Opinion,
        Opinion.submitted_at,
        notice_id=notice.id,
        line_id=line.id,
        body=body,
        author_name=author_name,
    )
    if earlier is not None:
        return earlier  # the same form sent again (Back, then submit): one opinion
    opinion = Opinion(
        township_id=notice.township_id,
        notice_id=notice.id,
        line_id=line.id,
        author_name=author_name,
        body=body,
        submitted_at=utcnow(),
        changed_at=utcnow(),
    )
    db.session.add(opinion)
    db.session.flush()
    return opinion


def _check_moderator(user: User, opinion: Opinion) -> None:
    if not opinion.can_be_moderated_by(user):
        raise PermissionDenied(_("只有本镇主席团可以审核群众意见。"))
    db.session.execute(select(Opinion.id).where(Opinion.id == opinion.id).with_for_update())
    db.session.refresh(opinion, ["state", "answer"])


def _clean_answer(answer: str) -> str:
    answer = mask_private((answer or "").strip())
    if len(answer) > ANSWER_MAX_LENGTH:
        raise DomainError(_("答复最多 %(n)d 字。", n=ANSWER_MAX_LENGTH))
    return answer


def approve_opinion(user: User, opinion: Opinion, answer: str = "") -> Opinion:
    """Make a pending opinion public, with the presidium's answer if one is given."""
    _check_moderator(user, opinion)
    if opinion.state is not OpinionState.pending:
        raise DomainError(_("这条意见已经审核过了。"))
    answer = _clean_answer(answer)
    now = utcnow()
    opinion.state = OpinionState.approved
    opinion.moderated_at, opinion.moderated_by_id, opinion.changed_at = now, user.id, now
    if answer:
        opinion.answer, opinion.answered_at, opinion.answered_by_id = answer, now, user.id
    db.session.flush()
    return opinion


def reject_opinion(user: User, opinion: Opinion) -> Opinion:
    """Keep a pending opinion off the public pages (abuse, private data, off topic)."""
    _check_moderator(user, opinion)
    if opinion.state is not OpinionState.pending:
        raise DomainError(_("这条意见已经审核过了。"))
    now = utcnow()
    opinion.state = OpinionState.rejected
    opinion.moderated_at, opinion.moderated_by_id, opinion.changed_at = now, user.id, now
    db.session.flush()
    return opinion


def answer_opinion(user: User, opinion: Opinion, answer: str) -> Opinion:
    """Answer (or re-word the answer to) a public opinion; the answer is shown under it."""
    _check_moderator(user, opinion)
    if opinion.state is not OpinionState.approved:
        raise DomainError(_("只能答复已公开的意见。"))
    answer = _clean_answer(answer)
    if not answer:
        raise DomainError(_("请填写答复内容。"))
    now = utcnow()
    opinion.answer, opinion.answered_at, opinion.answered_by_id, opinion.changed_at = (
        answer,
        now,
        user.id,
        now,
    )
    db.session.flush()
    return opinion
