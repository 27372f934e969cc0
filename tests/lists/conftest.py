"""The people around one township's items, each signed in on their own client, and page helpers."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from supervise.extensions import db
from supervise.lists.models import ItemEvent
from tests.helpers import form_values, replaced  # noqa: F401  (tests import them from here)

# Who may act on an item, as the workflow sees them. An "insider" is the one of their role that
# the per-object check must let through: the item's supervisor, a clerk of its lead office, the
# presidium of its township; county staff and admins have no per-object part.
PERSONAS = {
    "supervisor": "deputy",
    "deputy": "deputy",
    "lead_clerk": "government",
    "other_clerk": "government",
    "presidium": "presidium",
    "county": "county",
    "admin": "admin",
    "presidium_elsewhere": "presidium",
}
INSIDERS = {"supervisor", "lead_clerk", "presidium", "county", "admin"}
# Another township's people get a 404 for its items, never a 403.
ELSEWHERE = {"presidium_elsewhere"}


class People:
    """The township 江口镇 with a lead office, another office and one signed-in user per persona."""

    def __init__(self, app, factory):
        self.app, self.factory = app, factory
        self.township = factory.default_township
        self.elsewhere = factory.township("城关镇")
        self.lead_office = factory.office(name="规划建设环保办公室")
        self.other_office = factory.office(name="社会事务办公室")
        self.users = {
            "supervisor": factory.user("deputy"),
            "deputy": factory.user("deputy"),
            "lead_clerk": factory.user("government", office_id=self.lead_office.id),
            "other_clerk": factory.user("government", office_id=self.other_office.id),
            "presidium": factory.user("presidium"),
            "county": factory.user("county"),
            "admin": factory.user("admin"),
            "presidium_elsewhere": factory.user("presidium", township=self.elsewhere),
        }
        self._clients: dict = {}

    @property
    def supervisor(self):
        """The deputy (not the account) who supervises the items made by ``item()``."""
        return self.users["supervisor"].deputy

    def client(self, persona: str):
        """A client signed in as this persona (one per persona, kept for the test)."""
        if persona not in self._clients:
            client = self.app.test_client()
            user = self.users[persona]
            db.session.commit()
            response = client.post(
                "/login", data={"username": user.username, "password": self.factory.PASSWORD}
            )
            assert response.status_code == 302, f"{persona} could not sign in"
            self._clients[persona] = client
        return self._clients[persona]

    def item(self, state: str = "listed", kind: str = "commitment", supervisors=None, **fields):
        """An item of the township led by the lead office, supervised by the supervisor persona."""
        fields.setdefault("lead_office_id", self.lead_office.id)
        if supervisors is None:
            supervisors = [self.supervisor]
        return self.factory.item(state=state, kind=kind, supervisors=supervisors, **fields)

    def act(self, persona: str, item, action: str, **form):
        """POST one action on an item as this persona, with the fields of its form."""
        return self.client(persona).post(f"/items/{item.id}/actions/{action}", data=form)


@pytest.fixture
def people(app, factory) -> People:
    return People(app, factory)


def events_of(item) -> list[ItemEvent]:
    return list(
        db.session.execute(
            select(ItemEvent).where(ItemEvent.item_id == item.id).order_by(ItemEvent.id)
        ).scalars()
    )


def event_count(item) -> int:
    return db.session.execute(select(func.count()).where(ItemEvent.item_id == item.id)).scalar_one()


def value_of(values: list[tuple[str, str]], name: str) -> str:
    found = [value for key, value in values if key == name]
    assert len(found) == 1, f"{name}: {found}"
    return found[0]
