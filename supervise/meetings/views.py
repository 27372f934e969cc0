"""Pages for consultations (会商), liaison-station activity days (活动日座谈会) and escalation (督办预警)."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TypeVar

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..core.clock import today
from ..core.errors import DomainError, form_refused, refusal_shows, stale_refused
from ..core.fields import as_id, as_ids, as_year
from ..core.permissions import Role, chosen_township_id, get_visible_or_404, roles_required, visible_records
from ..extensions import db
from ..lists.models import ON_LIST_STATES, UNFINISHED_STATES, Item
from ..lists.workflow import WORKFLOW as ITEM_WORKFLOW
from ..org.models import LiaisonStation, Office, Township
from . import escalation as escalation_queries
from . import operations, queries
from .forms import ActivityDayForm, ConcludeForm, ConsultationForm, EscalationFlagForm
from .models import ActivityDay, Consultation

MeetingFormT = TypeVar("MeetingFormT", ConsultationForm, ActivityDayForm)

bp = Blueprint("meetings", __name__)


@bp.app_template_global()
def open_consultation_of(item: Item) -> Consultation | None:
    """For the item page, which does not import meetings: the open consultation holding the item."""
    return queries.open_consultation_of(item)


PER_PAGE = 50
# Items an activity day may discuss: on the list and not yet closed, withdrawn or carried over.


def _chosen(model, ids: list[int]) -> list:
    """The records behind the ids a form posted; an id that names nothing is refused."""
    wanted = set(ids or [])
    if not wanted:
        return []
    records = list(db.session.execute(select(model).where(model.id.in_(wanted))).scalars())
    if len(records) != len(wanted):
        raise DomainError(_("所选的记录不存在，请刷新页面后重新选择。"))
    return records


def _offices(township_id: int) -> list[tuple[int, str]]:
    offices = db.session.execute(
        select(Office).where(Office.township_id == township_id, Office.is_active).order_by(Office.name)
    ).scalars()
    return [(o.id, o.name) for o in offices]


def _items(township_id: int, states) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Item.id, Item.code, Item.title)
        .where(Item.township_id == township_id, Item.state.in_(states))
        .order_by(Item.code)
    )
    return [(item_id, f"{code} {title}") for item_id, code, title in rows]


def _stale_message() -> str:
    return _("其他人刚刚修改了其中的事项，请核对后重新提交。")


@bp.context_processor
def _many_townships() -> dict[str, bool]:
    # The county's and the admin's pages name each record's township.
    return {"many_townships": current_user.role in (Role.county, Role.admin)}


def _prefilled(form: MeetingFormT) -> MeetingFormT:
    """A new meeting's form as first shown: held today, on the items the page was opened with (?item=)."""
    if request.method == "GET":
        form.held_on.data = today()
        form.item_ids.data = as_ids(request.args.getlist("item"))
    return form


def _listed(query, model) -> dict:
    """One page of a list of meetings, of ?township= and ?year= (held that year) as the county's view
    links them (another county's township is not found): the page and the filters chosen."""
    township_id = chosen_township_id()
    year = as_year(request.args.get("year"))
    if township_id:
        query = query.where(model.township_id == township_id)
    if year:
        query = query.where(model.held_on.between(date(year, 1, 1), date(year, 12, 31)))
    return {
        "page": db.paginate(query, per_page=PER_PAGE, error_out=False),
        "township": db.session.get(Township, township_id) if township_id else None,
        "year": year,
    }


# ---- consultations (会商) ----------------------------------------------------------------------


@bp.get("/consultations/")
@login_required
def consultation_list():
    status = request.args.get("status", "")
    query = (
        visible_records(Consultation)
        .options(
            joinedload(Consultation.township),
            selectinload(Consultation.items),
            selectinload(Consultation.offices),
        )
        .order_by(Consultation.held_on.desc(), Consultation.id.desc())
    )
    if status == "open":
        query = query.where(Consultation.concluded_at.is_(None))
    elif status == "concluded":
        query = query.where(Consultation.concluded_at.isnot(None))
    return render_template(
        "meetings/consultation_list.html",
        **_listed(query, Consultation),
        status=status,
        can_open=current_user.role is Role.presidium,
    )


@bp.route("/consultations/new", methods=["GET", "POST"])
@roles_required(Role.presidium)
def consultation_new():
    township_id = current_user.township_id
    form = _prefilled(ConsultationForm())
    if form.validate_on_submit():
        page = partial(_consultation_form_page, form, township_id)
        with refusal_shows(form_refused(form, page)), stale_refused(_stale_message()):
            consultation = operations.open_consultation(
                current_user,
                held_on=form.held_on.data,
                place=form.place.data or "",
                attendees=form.attendees.data or "",
                items=_chosen(Item, form.item_ids.data),
                offices=_chosen(Office, form.office_ids.data),
            )
        flash(_("已提请会商，%(n)d 个事项进入“会商中”。", n=len(consultation.items)), "success")
        return redirect(url_for("meetings.consultation_detail", consultation_id=consultation.id))
    return _consultation_form_page(form, township_id)


def _consultation_form_page(form: ConsultationForm, township_id: int, status: int = 200):
    return render_template(
        "meetings/consultation_form.html",
        form=form,
        item_choices=_items(township_id, ITEM_WORKFLOW["open_consultation"].sources),
        office_choices=_offices(township_id),
    ), status


@bp.get("/consultations/<int:consultation_id>")
@login_required
def consultation_detail(consultation_id: int):
    consultation = get_visible_or_404(Consultation, consultation_id)
    return render_template(
        "meetings/consultation_detail.html",
        consultation=consultation,
        can_conclude=consultation.can_conclude(current_user),
    )


@bp.route("/consultations/<int:consultation_id>/conclude", methods=["GET", "POST"])
@login_required
def consultation_conclude(consultation_id: int):
    consultation = get_visible_or_404(Consultation, consultation_id, roles=(Role.presidium,))
    if not consultation.is_open:
        flash(_("这次会商已经结束。"), "info")
        return redirect(url_for("meetings.consultation_detail", consultation_id=consultation_id))
    form = ConcludeForm()
    if form.validate_on_submit():
        page = form_refused(form, "meetings/conclude_form.html", consultation=consultation)
        with refusal_shows(page), stale_refused(_stale_message()):
            operations.conclude_consultation(
                current_user,
                consultation,
                measures=form.measures.data or "",
                new_deadline=form.new_deadline.data,
                conclusion=form.conclusion.data or "",
                decision=form.decision.data or "",
            )
        flash(_("会商已结束，事项回到“监督中”。"), "success")
        return redirect(url_for("meetings.consultation_detail", consultation_id=consultation_id))
    return render_template("meetings/conclude_form.html", form=form, consultation=consultation)


# ---- liaison-station activity days (活动日座谈会) ---------------------------------------------


@bp.get("/activity-days/")
@login_required
def activity_day_list():
    query = (
        visible_records(ActivityDay)
        .options(
            joinedload(ActivityDay.township),
            joinedload(ActivityDay.station),
            selectinload(ActivityDay.items),
            selectinload(ActivityDay.offices),
        )
        .order_by(ActivityDay.held_on.desc(), ActivityDay.id.desc())
    )
    station_id = as_id(request.args.get("station"))
    if station_id:
        query = query.where(ActivityDay.station_id == station_id)
    return render_template(
        "meetings/activity_day_list.html",
        **_listed(query, ActivityDay),
        can_record=current_user.role is Role.presidium,
    )


@bp.route("/activity-days/new", methods=["GET", "POST"])
@roles_required(Role.presidium)
def activity_day_new():
    township_id = current_user.township_id
    form = _prefilled(ActivityDayForm())
    stations = db.session.execute(
        select(LiaisonStation)
        .where(LiaisonStation.township_id == township_id, LiaisonStation.is_active)
        .order_by(LiaisonStation.level, LiaisonStation.name)
    ).scalars()
    form.station_id.choices = [("", "—")] + [(s.id, s.name) for s in stations]
    page = {"item_choices": _items(township_id, ON_LIST_STATES), "office_choices": _offices(township_id)}
    if form.validate_on_submit():
        with refusal_shows(form_refused(form, "meetings/activity_day_form.html", **page)):
            station = db.session.get(LiaisonStation, form.station_id.data)
            if station is None:
                raise DomainError(_("所选联络站不存在。"))
            activity_day = operations.record_activity_day(
                current_user,
                station=station,
                held_on=form.held_on.data,
                minutes=form.minutes.data or "",
                items=_chosen(Item, form.item_ids.data),
                offices=_chosen(Office, form.office_ids.data),
            )
        flash(_("已记录活动日，纪要已记入 %(n)d 个事项的履历。", n=len(activity_day.items)), "success")
        return redirect(url_for("meetings.activity_day_detail", activity_day_id=activity_day.id))
    return render_template("meetings/activity_day_form.html", form=form, **page)


@bp.get("/activity-days/<int:activity_day_id>")
@login_required
def activity_day_detail(activity_day_id: int):
    activity_day = get_visible_or_404(ActivityDay, activity_day_id)
    return render_template("meetings/activity_day_detail.html", activity_day=activity_day)


# ---- escalation candidates (督办预警) ---------------------------------------------------------


def _escalation_page(form: EscalationFlagForm, status: int = 200):
    day = today()
    page = escalation_queries.candidates(current_user, day)
    is_presidium = current_user.role is Role.presidium
    if is_presidium:
        flagged = escalation_queries.flagged_ids(current_user.township_id)
        form.item_id.choices = [("", "—")] + [
            (item_id, label)
            for item_id, label in _items(current_user.township_id, UNFINISHED_STATES)
            if item_id not in flagged
        ]
    return render_template(
        "meetings/escalation.html",
        candidates=page.items,
        page=page,
        form=form,
        can_decide=is_presidium,
        today=day,
    ), status


@bp.get("/escalation")
@roles_required(Role.presidium, Role.county, Role.admin)
def escalation():
    return _escalation_page(EscalationFlagForm())


@bp.post("/escalation/flag")
@roles_required(Role.presidium)
def escalation_flag():
    form = EscalationFlagForm()
    if not form.validate_on_submit():
        return _escalation_page(form)
    item = db.session.get(Item, form.item_id.data)
    with refusal_shows(form_refused(form, lambda status: _escalation_page(form, status))):
        if item is None or not current_user.is_presidium_of(item.township_id):
            raise DomainError(_("所选事项不存在，或不属于本镇。"))
        operations.flag_for_escalation(current_user, item, form.note.data)
    flash(_("已将 %(code)s 列为督办预警。", code=item.code), "success")
    return redirect(url_for("meetings.escalation"))


@bp.post("/escalation/items/<int:item_id>/clear")
@login_required
def escalation_clear(item_id: int):
    item = get_visible_or_404(Item, item_id, roles=(Role.presidium,))
    if operations.clear_escalation_flag(current_user, item):
        flash(_("已取消 %(code)s 的督办预警标记。", code=item.code), "success")
    else:
        flash(_("%(code)s 没有主席团的督办预警标记。", code=item.code), "info")
    return redirect(url_for("meetings.escalation"))
