"""The organisation's record kinds that management pages list, create, edit and deactivate.

One table drives the generic pages in views.py: which model and form, which fields a form may
write (named, never populate_obj), which columns the list shows, and who manages the kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy.orm import joinedload

from ..core.permissions import ORG_MANAGERS, Role
from . import forms
from .forms import NOTICE_SETTINGS
from .models import County, Deputy, DeputyGroup, LiaisonStation, Office, Township


@dataclass(frozen=True)
class Kind:
    key: str
    model: type
    form: type
    title: object
    fields: tuple[str, ...]
    columns: tuple[tuple[object, Callable], ...]
    roles: tuple[Role, ...] = ORG_MANAGERS
    scope: str = "township"  # township | county | global
    unique: tuple[str, ...] = ("name",)
    load: tuple = field(default_factory=tuple)


def _label(enum_value) -> str:
    return enum_value.label


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind(
            key="deputies",
            model=Deputy,
            form=forms.DeputyForm,
            title=lazy_pgettext("plural", "代表"),
            fields=("name", "level", "station_id", "group_id", "phone"),
            columns=(
                (_l("姓名"), lambda d: d.name),
                (_l("代表级别"), lambda d: d.level.label),
                (_l("联络站"), lambda d: d.station.name if d.station else "—"),
                (_l("代表小组"), lambda d: d.group.name if d.group else "—"),
                (_l("电话"), lambda d: d.phone or "—"),
            ),
            load=(joinedload(Deputy.station), joinedload(Deputy.group)),
        ),
        Kind(
            key="offices",
            model=Office,
            form=forms.OfficeForm,
            title=lazy_pgettext("plural", "站所"),
            fields=("name", "leader_name", "leader_title", "contact_person", "contact_phone"),
            columns=(
                (_l("站所名称"), lambda o: o.name),
                (_l("分管领导"), lambda o: o.leader_name or "—"),
                (_l("领导职务"), lambda o: o.leader_title or "—"),
                (_l("联系人"), lambda o: o.contact_person or "—"),
                (_l("联系电话"), lambda o: o.contact_phone or "—"),
            ),
        ),
        Kind(
            key="stations",
            model=LiaisonStation,
            form=forms.StationForm,
            title=lazy_pgettext("plural", "联络站"),
            fields=("name", "level"),
            columns=((_l("名称"), lambda s: s.name), (_l("级别"), lambda s: s.level.label)),
        ),
        Kind(
            key="groups",
            model=DeputyGroup,
            form=forms.GroupForm,
            title=lazy_pgettext("plural", "代表小组"),
            fields=("name",),
            columns=((_l("名称"), lambda g: g.name),),
        ),
        Kind(
            key="townships",
            model=Township,
            form=forms.TownshipForm,
            title=lazy_pgettext("plural", "镇"),
            fields=(
                "county_id",
                "name",
                "short_name",
                "slug",
                "report_due_day",
                "notice_prefix",
                *NOTICE_SETTINGS,
            ),
            columns=(
                (_l("镇名称"), lambda t: t.name),
                (_l("简称"), lambda t: t.short_name),
                (_l("拼音代码"), lambda t: t.slug),
                (_l("所属县"), lambda t: t.county.name),
            ),
            roles=(Role.county, Role.admin),
            scope="county",
            unique=("name", "short_name", "slug"),
            load=(joinedload(Township.county),),
        ),
        Kind(
            key="counties",
            model=County,
            form=forms.CountyForm,
            title=lazy_pgettext("plural", "县"),
            fields=("name",),
            columns=((_l("县名称"), lambda c: c.name),),
            roles=(Role.admin,),
            scope="global",
        ),
    )
}
