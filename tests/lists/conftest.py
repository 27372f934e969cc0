"""The people around one township's items, each signed in on their own client, and page helpers."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from supervise.extensions import db
from supervise.lists.models import ItemEvent

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


class _FormReader(HTMLParser):
    """Reads the values a browser would send for each POST form of a page."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._values: list[tuple[str, str]] | None = None
        self._textarea = False
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._values = []
            self.forms.append(self._values)
        if self._values is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._values.append((name, attrs.get("value") or "y"))
            elif kind not in ("submit", "button"):
                self._values.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = True
            self._values.append((name, ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self._values.append((self._select, attrs.get("value") or ""))

    def handle_data(self, data):
        if self._textarea:
            name, text = self._values[-1]
            self._values[-1] = (name, text + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = False
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._values = None


def form_values(html: str, field: str) -> list[tuple[str, str]]:
    """What the page's POST form that has ``field`` would submit, as a browser sends it."""
    reader = _FormReader()
    reader.feed(html)
    [values] = [form for form in reader.forms if any(name == field for name, _value in form)]
    # Browsers drop the newline that follows <textarea>.
    return [
        (name, value.removeprefix("\r\n") if value.startswith("\r\n") else value.removeprefix("\n"))
        for name, value in values
    ]


def replaced(values: list[tuple[str, str]], **changes) -> list[tuple[str, str]]:
    """The same form values with some fields typed anew."""
    return [(name, changes.pop(name) if name in changes else value) for name, value in values] + list(
        changes.items()
    )


def value_of(values: list[tuple[str, str]], name: str) -> str:
    found = [value for key, value in values if key == name]
    assert len(found) == 1, f"{name}: {found}"
    return found[0]
