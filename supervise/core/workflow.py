"""The workflow engine: a record's life as one table of transitions.

Items (lists/workflow.py) and follow-up sheets (sheets/workflow.py) each declare a ``Workflow``:
for every action, the states it may start from, where it leads, who may fire it and the guards
that must hold. Operations fire transitions through it, permission checks and the buttons on a
record's page ask it, and the timeline names events by its labels, so none of them can drift.

One concurrency rule for every workflow: a transition is judged on the record as this request
read it. Firing locks the record's row (PostgreSQL: a concurrent request waits) and refuses with
the workflow's conflict message when the stored version is no longer the one read, and the
version column checks the write again at flush time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from flask import abort
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from .enums import LabeledEnum
from .errors import DomainError, PermissionDenied
from .permissions import Role

if TYPE_CHECKING:
    from ..accounts.models import User


class Stateful(Protocol):
    """A record with a workflow: its state and the version that guards concurrent changes."""

    id: Any
    state: Any
    version: Any


RecordT = TypeVar("RecordT", bound=Stateful)
StateT = TypeVar("StateT", bound=LabeledEnum)
# The typed input of a transition (reasons, chosen deputies, answers): ItemInput, SheetInput.
InputT = TypeVar("InputT")


def no_guard(_record: Any, _given: Any) -> None:
    return None


def always_ready(_record: Any, _user: Any) -> None:
    return None


@dataclass(frozen=True, kw_only=True)
class Branch(Generic[InputT, StateT]):
    """A second way out of a transition, taken when its input says so (a 不满意 result goes back to
    supervising instead of staying verified)."""

    when: Callable[[InputT], bool]
    target: StateT


@dataclass(frozen=True)
class Actor(Generic[RecordT]):
    """Who may fire a transition: the roles it is for and, among their users, who may on this record
    (the presidium of the record's township, the record's supervisors). A role and its rule are named
    together once, so that no table pairs a role with another role's rule."""

    roles: frozenset[Role]
    may: Callable[[RecordT, User], bool]


def _presidium_of_township(record: Any, user: User) -> bool:
    return user.is_presidium_of(record.township_id)


# The presidium of the record's township: an actor of every workflow (items, sheets, proposals, plans).
PRESIDIUM: Actor[Any] = Actor(frozenset({Role.presidium}), _presidium_of_township)


@dataclass(frozen=True, kw_only=True)
class Transition(Generic[RecordT, StateT, InputT]):
    """One row of a workflow table."""

    action: str
    label: Any
    sources: frozenset[StateT]
    # Where it leads; None: the record stays in its state (an amendment, an answer, a confirmation).
    target: StateT | None = None
    # Who may fire it: its roles and, among their users, who may for this record.
    by: Actor[RecordT]
    # Why the action cannot happen with this input now, or None.
    guard: Callable[[RecordT, InputT], str | None] = no_guard
    # Why this user's own part is done already (a supervisor who confirmed), or None: not offered.
    ready: Callable[[RecordT, User], str | None] = always_ready
    # Source states the action leaves as they are, by its target and its branch alike (changing
    # supervisors during a consultation; a 不满意 result on an item still under way).
    stays_in: frozenset[StateT] = frozenset()
    branch: Branch[InputT, StateT] | None = None
    style: str = "primary"
    needs_reason: bool = False
    # Fields the user fills in on the record's page before firing it.
    inputs: tuple[str, ...] = ()
    # Shown among the record's action buttons; False for steps with a page of their own (editing).
    on_panel: bool = True
    # A step that cannot be undone: what will happen, asked before its button submits (data-confirm).
    confirm: Any = None

    @property
    def roles(self) -> frozenset[Role]:
        return self.by.roles

    def who(self, record: RecordT, user: User) -> bool:
        """Is this user, of one of the roles, one who may fire it on this record?"""
        return self.by.may(record, user)

    def next_state(self, state: StateT, given: InputT | None = None) -> StateT:
        """The state a record in ``state`` is in after this action with this input; a state of
        ``stays_in`` stays, whichever way out the input chooses."""
        if state in self.stays_in:
            return state
        if self.branch is not None and given is not None and self.branch.when(given):
            return self.branch.target
        return state if self.target is None else self.target

    def targets(self) -> frozenset[StateT]:
        """Every state this action may lead to, as the table says (for docs and tests)."""
        found = set(self.stays_in)
        if self.target is not None:
            found.add(self.target)
        if self.branch is not None:
            found.add(self.branch.target)
        return frozenset(found)


@dataclass(frozen=True, kw_only=True)
class Texts:
    """A workflow's refusals, with the record's noun in them ("这个事项", "这张督办单").

    Each is a msgid marked with N_ and translated when raised; placeholders: %(action)s, %(state)s.
    """

    forbidden: str
    wrong_state: str
    conflict: str
    unknown: str = "未知的操作。"


Effect = Callable[[Any, RecordT, InputT], Mapping[str, Any] | None]
EventWriter = Callable[..., Any]


class Workflow(Generic[RecordT, StateT, InputT]):
    """A table of transitions and the one way to fire them."""

    def __init__(self, transitions: Iterable[Transition[RecordT, StateT, InputT]], *, texts: Texts):
        self.transitions: dict[str, Transition[RecordT, StateT, InputT]] = {t.action: t for t in transitions}
        self.texts = texts

    def __getitem__(self, action: str) -> Transition[RecordT, StateT, InputT]:
        return self.transitions[action]

    def __contains__(self, action: object) -> bool:
        return action in self.transitions

    def get(self, action: str) -> Transition[RecordT, StateT, InputT] | None:
        return self.transitions.get(action)

    def transition_or_abort(
        self, record: RecordT, action: str, user: User | None, *, panel_only: bool = False
    ) -> Transition[RecordT, StateT, InputT]:
        """A view's first check: 404 for an action the table lacks (or, with ``panel_only``, one
        that has no button), 403 for a user who may not fire it on this record (state aside)."""
        transition = self.transitions.get(action)
        if transition is None or (panel_only and not transition.on_panel):
            abort(404)
        if not self.is_allowed(record, action, user):
            abort(403)
        return transition

    def is_allowed(self, record: RecordT, action: str, user: User | None) -> bool:
        """Is this user among those who may fire this action on this record (state aside)?"""
        transition = self.transitions.get(action)
        if transition is None or user is None or not user.is_authenticated:
            return False
        return user.role in transition.roles and transition.who(record, user)

    def may_fire(self, record: RecordT, action: str, user: User | None) -> bool:
        """May this user fire this action on this record now (role, who, state, readiness)?"""
        if not self.is_allowed(record, action, user):
            return False
        transition = self.transitions[action]
        assert user is not None  # is_allowed said so
        return record.state in transition.sources and transition.ready(record, user) is None

    def available(self, record: RecordT, user: User | None) -> list[Transition[RecordT, StateT, InputT]]:
        """The buttons this user sees on this record: exactly the panel actions they may fire now."""
        return [t for t in self.transitions.values() if t.on_panel and self.may_fire(record, t.action, user)]

    def check(self, record: RecordT, action: str, user: User, given: InputT) -> Transition:
        """Everything but the change: who, state, readiness and guard; raises the refusal."""
        transition = self.transitions.get(action)
        if transition is None:
            raise DomainError(gettext(self.texts.unknown))
        if not self.is_allowed(record, action, user):
            raise PermissionDenied(gettext(self.texts.forbidden, action=transition.label))
        if record.state not in transition.sources:
            raise DomainError(
                gettext(self.texts.wrong_state, state=record.state.label, action=transition.label)
            )
        problem = transition.ready(record, user) or transition.guard(record, given)
        if problem:
            raise DomainError(problem)
        return transition

    def start(self, record: RecordT, user: User | None, *, write_event: EventWriter) -> RecordT:
        """Add a new record in its first state, with its "create" event (by nobody: an import); flush."""
        db.session.add(record)
        db.session.flush()
        write_event(record, user, "create", None, record.state)
        db.session.flush()
        return record

    def fire(
        self,
        record: RecordT,
        action: str,
        user: User,
        given: InputT,
        *,
        effect: Effect | None,
        write_event: EventWriter,
    ) -> Any:
        """Check, carry out ``effect``, move the state, write the event, flush; returns the event.

        ``write_event(record, user, action, from_state, to_state, reason, **details)`` appends the
        record's own kind of event; the effect returns the details it adds.
        """
        if action in self.transitions and self.is_allowed(record, action, user):
            self.hold(record)
        transition = self.check(record, action, user, given)
        before = record.state
        details = (effect(user, record, given) if effect is not None else None) or {}
        record.state = transition.next_state(before, given)
        event = write_event(
            record, user, action, before, record.state, getattr(given, "reason", "").strip(), **details
        )
        self.flush()
        return event

    def hold(self, record: RecordT) -> None:
        """Lock the record's row and refuse if it changed since this request read it."""
        model = type(record)
        stored = db.session.execute(
            select(model.version).where(model.id == record.id).with_for_update()
        ).scalar_one_or_none()
        if stored is not None and stored != record.version:
            raise DomainError(gettext(self.texts.conflict))

    def flush(self) -> None:
        """Flush; a write that lost the race to another request is the conflict refusal."""
        try:
            db.session.flush()
        except StaleDataError as error:
            raise DomainError(gettext(self.texts.conflict)) from error
