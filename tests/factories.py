"""Factories that return domain objects: factory.township(), factory.user('presidium') …"""

from __future__ import annotations

import itertools

from supervise.accounts.models import User
from supervise.accounts.passwords import hash_password
from supervise.core.permissions import Role
from supervise.extensions import db
from supervise.org.models import (
    County,
    Deputy,
    DeputyGroup,
    DeputyLevel,
    LiaisonStation,
    Office,
    StationLevel,
    Township,
)

_seq = itertools.count(1)


class Factory:
    PASSWORD = "correct-horse-battery"

    def __init__(self):
        self._county: County | None = None
        self._township: Township | None = None
        self._hash: str | None = None

    # organisation
    def county(self, name: str | None = None) -> County:
        county = County(name=name or f"测试县{next(_seq)}")
        db.session.add(county)
        db.session.flush()
        return county

    @property
    def default_county(self) -> County:
        if self._county is None:
            self._county = self.county("宁陕县")
        return self._county

    def township(self, name: str | None = None, county: County | None = None) -> Township:
        n = next(_seq)
        township = Township(
            county_id=(county or self.default_county).id,
            name=name or f"测试镇{n}",
            short_name=f"测{n}",
            slug=f"town{n}",
        )
        db.session.add(township)
        db.session.flush()
        return township

    @property
    def default_township(self) -> Township:
        if self._township is None:
            self._township = self.township("江口镇")
        return self._township

    def office(self, township: Township | None = None, name: str | None = None) -> Office:
        office = Office(
            township_id=(township or self.default_township).id,
            name=name or f"站所{next(_seq)}",
            leader_name="张建国",
            leader_title="副镇长",
        )
        db.session.add(office)
        db.session.flush()
        return office

    def station(self, township: Township | None = None, name: str | None = None) -> LiaisonStation:
        station = LiaisonStation(
            township_id=(township or self.default_township).id,
            name=name or f"联络站{next(_seq)}",
            level=StationLevel.village,
        )
        db.session.add(station)
        db.session.flush()
        return station

    def group(self, township: Township | None = None, name: str | None = None) -> DeputyGroup:
        group = DeputyGroup(
            township_id=(township or self.default_township).id, name=name or f"小组{next(_seq)}"
        )
        db.session.add(group)
        db.session.flush()
        return group

    def deputy(self, township: Township | None = None, name: str | None = None, **kwargs) -> Deputy:
        deputy = Deputy(
            township_id=(township or self.default_township).id,
            name=name or f"代表{next(_seq)}",
            level=kwargs.pop("level", DeputyLevel.township),
            phone=kwargs.pop("phone", "13800000000"),
            **kwargs,
        )
        db.session.add(deputy)
        db.session.flush()
        return deputy

    # accounts
    def user(self, role: str | Role, township: Township | None = None, **kwargs) -> User:
        role = Role(role)
        if self._hash is None:
            self._hash = hash_password(self.PASSWORD)
        binding: dict = {}
        if role in (Role.deputy, Role.government, Role.presidium):
            binding["township_id"] = (township or self.default_township).id
        if role is Role.county:
            binding["county_id"] = kwargs.pop("county", None) or (
                township.county_id if township else self.default_county.id
            )
        if role is Role.deputy and "deputy_id" not in kwargs:
            binding["deputy_id"] = self.deputy(township).id
        if role is Role.government and "office_id" not in kwargs:
            binding["office_id"] = self.office(township).id
        user = User(
            username=kwargs.pop("username", f"{role.value}{next(_seq)}"),
            display_name=kwargs.pop("display_name", f"测试{role.label}"),
            password_hash=self._hash,
            role=role,
            **binding,
            **kwargs,
        )
        db.session.add(user)
        db.session.flush()
        return user

    # lists and items
    def supervision_list(
        self,
        kind: str = "commitment",
        year: int = 2026,
        township: Township | None = None,
        confirmed: bool = True,
    ):
        from supervise.core.clock import utcnow
        from supervise.lists.models import ListKind, SupervisionList

        township = township or self.default_township
        found = db.session.execute(
            db.select(SupervisionList).filter_by(township_id=township.id, year=year, kind=ListKind(kind))
        ).scalar_one_or_none()
        if found:
            return found
        supervision_list = SupervisionList(
            township_id=township.id,
            year=year,
            kind=ListKind(kind),
            confirmed_at=utcnow() if confirmed else None,
        )
        db.session.add(supervision_list)
        db.session.flush()
        return supervision_list

    def item(
        self,
        state: str = "listed",
        kind: str = "commitment",
        township: Township | None = None,
        supervisors: int | list = 0,
        **fields,
    ):
        """make an item already in ``state`` (supervising items get a supervisor unless given)."""
        from datetime import date

        from supervise.lists.models import Item, ItemState, SupervisorAssignment
        from supervise.lists.operations import item_code

        township = township or self.default_township
        supervision_list = self.supervision_list(kind, township=township, confirmed=state != "draft")
        number = len(supervision_list.items) + 1
        fields.setdefault("lead_office_id", self.office(township).id)
        fields.setdefault("deadline", date(2026, 12, 31))
        fields.setdefault("target", "按期完成")
        item = Item(
            supervision_list=supervision_list,
            township_id=township.id,
            number=number,
            code=item_code(supervision_list, number) + f"-{next(_seq)}",
            title=fields.pop("title", f"事项{number}"),
            state=ItemState(state),
            **fields,
        )
        if state == "withdrawn":
            item.withdrawn_reason = "测试"
        db.session.add(item)
        db.session.flush()
        if isinstance(supervisors, int):
            wanted = supervisors or (
                1 if state in ("supervising", "consulting", "completed", "verified") else 0
            )
            supervisors = [self.deputy(township) for _ in range(wanted)]
        for deputy in supervisors:
            db.session.add(SupervisorAssignment(item_id=item.id, deputy_id=deputy.id))
        db.session.flush()
        db.session.refresh(item)
        return item
