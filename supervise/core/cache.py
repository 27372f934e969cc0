"""Rendered page fragments, kept across requests (and across processes when Redis is configured).

A fragment is stored under a key that holds everything it was made from: the data version of each
township it shows, the user's scope, the language, the day and the query string. Nothing is ever
deleted to invalidate a fragment: any change to data a page shows bumps its township's version in
the same transaction, so the next request computes a new key. The version is read before the data,
so a fragment is never older than the version in its key.

CACHE_URL (or SUPERVISE_CACHE_URL) chooses the store: ``memory://`` (default, one per process),
``redis://host:6379/0`` (shared by every gunicorn process) or ``none`` (no caching).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from flask import Flask, after_this_request, current_app, request
from markupsafe import Markup
from sqlalchemy import Select, event, inspect, select
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, SessionTransaction, mapped_column

from ..extensions import db

log = logging.getLogger(__name__)

EVERY_TOWNSHIP = 0  # the version row bumped by bulk statements, whose townships are not known
MEMORY_ENTRIES = 256
REDIS_TTL_SECONDS = 24 * 3600  # keys hold the day, so older entries are never asked for again


class DataVersion(db.Model):  # type: ignore[name-defined]  # db.Model is a variable to mypy
    """How many committed changes touched what a township's pages show; 0 stands for all townships."""

    __tablename__ = "data_version"

    township_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(default=0)


# --- which changes bump which township --------------------------------------------------------


@dataclass(frozen=True)
class _Watch:
    township_attr: str | None
    related: Callable[[list[int]], Select[Any]] | None


_watched: dict[type, _Watch] = {}
_watched_tables: set[str] = set()


def watch(
    model: type[Any],
    township_attr: str | None = "township_id",
    related: Callable[[list[int]], Select[Any]] | None = None,
) -> None:
    """Bump the township of every inserted, updated or deleted ``model`` row when it commits.

    ``township_attr`` names the row's own township column (old and new value are both bumped);
    ``related(ids)`` returns a SELECT of further township ids that show these rows (an office's
    name appears on the items it leads, whichever township they are in).
    """
    _watched[model] = _Watch(township_attr, related)
    _watched_tables.add(model.__table__.name)


def watch_child(model: type[Any], parent_key: Any, parent: type[Any]) -> None:
    """Watch ``model``, whose rows have no township of their own and show on their ``parent``'s pages
    (a supervisor's assignment on its item's): a change bumps the township of the ``parent`` row that
    the foreign key ``parent_key`` names."""
    watch(
        model,
        township_attr=None,
        related=lambda ids: (
            select(parent.township_id).join(model, parent_key == parent.id).where(model.id.in_(ids))
        ),
    )


def _pending(session: Session) -> dict[str, Any]:
    return session.info.setdefault("data_version_pending", {"townships": set(), "related": {}})


def _township_ids(obj: object, attr: str) -> set[int]:
    """The row's township now and before this change (loading the column if it was expired)."""
    history = inspect(obj).attrs[attr].history
    found = set(history.sum())
    if not history.added:  # unchanged, or not even loaded: then the current value is the one
        found.add(getattr(obj, attr))
    found.discard(None)
    return found


def _primary_key(obj):
    return inspect(obj).mapper.primary_key_from_instance(obj)[0]


def _noted_rows(session: Session, objects: Iterable[Any]) -> Iterator[tuple[Any, _Watch, dict[str, Any]]]:
    """The watched rows among ``objects``, each after noting its townships (now and before) as changed."""
    for obj in objects:
        found = _watched.get(type(obj))
        if found is None:
            continue
        pending = _pending(session)
        if found.township_attr:
            pending["townships"].update(_township_ids(obj, found.township_attr))
        yield obj, found, pending


@event.listens_for(Session, "before_flush")
def _note_deletions(session: Session, _flush_context: Any, _instances: Any) -> None:
    # A deleted row can only be asked for its townships before the flush removes it.
    for obj, found, pending in _noted_rows(session, session.deleted):
        if found.related is not None:
            statement = found.related([_primary_key(obj)])
            pending["townships"].update(t for (t,) in session.execute(statement) if t is not None)


@event.listens_for(Session, "after_flush")
def _note_flushed_changes(session: Session, _flush_context: Any) -> None:
    # After the flush new rows have their ids and the history is still there (reset after postexec).
    for obj, found, pending in _noted_rows(session, (*session.new, *session.dirty)):
        if found.related is not None:
            pending["related"].setdefault(type(obj), set()).add(_primary_key(obj))


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_statements(state: ORMExecuteState) -> None:
    # insert(Item) with many rows, update(...).where(...): the rows are not known, so everything goes.
    table = getattr(state.statement, "table", None)
    if (state.is_insert or state.is_update or state.is_delete) and table is not None:
        if table.name in _watched_tables:
            _pending(state.session)["townships"].add(EVERY_TOWNSHIP)


@event.listens_for(Session, "before_commit")
def _bump_versions(session: Session) -> None:
    session.flush()  # the commit's own flush comes after this event: let it note its changes first
    pending = session.info.pop("data_version_pending", None)
    if pending is None:
        return
    townships = set(pending["townships"])
    for model, ids in pending["related"].items():
        related = _watched[model].related
        assert related is not None  # only models watched with `related` are noted there
        townships.update(t for (t,) in session.execute(related(sorted(ids))) if t is not None)
    if townships:
        session.execute(_upsert_bump(session, sorted(townships)))


@event.listens_for(Session, "after_transaction_end")
def _forget_on_rollback(session: Session, transaction: SessionTransaction) -> None:
    # Savepoint rollbacks keep the notes: bumping a township too often is only a missed cache hit.
    if transaction.parent is None:
        session.info.pop("data_version_pending", None)


def _upsert_bump(session: Session, township_ids: list[int]) -> Any:
    """INSERT … ON CONFLICT DO UPDATE version + 1, in township order so that writers never deadlock."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]  # the same API
    table = DataVersion.__table__
    statement = insert(table).values([{"township_id": t, "version": 1} for t in township_ids])
    return statement.on_conflict_do_update(
        index_elements=[table.c.township_id], set_={"version": table.c.version + 1}
    )


# --- stores ---------------------------------------------------------------------------------------


class MemoryStore:
    """A small LRU dict for one process (each gunicorn worker has its own; keys stay exact)."""

    def __init__(self, entries: int = MEMORY_ENTRIES):
        self.entries = entries
        self._data: OrderedDict[str, str | bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        return cast("str | None", self._get(key))  # fragments are text; pages have keys of their own

    def get_bytes(self, key: str) -> bytes | None:
        return cast("bytes | None", self._get(key))

    def _get(self, key: str) -> str | bytes | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def set(self, key: str, value: str | bytes) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.entries:
                self._data.popitem(last=False)

    # Whole pages are kept as the bytes that are sent (see public.views).
    set_bytes = set


class RedisStore:
    """Shared by all processes. If Redis fails, pages are rendered afresh and Redis is left alone
    for a while, so that a dead Redis costs no timeout on every request."""

    PAUSE_SECONDS = 30

    def __init__(self, url: str):
        import redis

        self._client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._paused_until = 0.0

    def get(self, key: str) -> str | None:
        value = self.get_bytes(key)
        return value.decode() if value is not None else None

    def set(self, key: str, value: str) -> None:
        self.set_bytes(key, value.encode())

    def get_bytes(self, key: str) -> bytes | None:
        if time.monotonic() < self._paused_until:
            return None
        try:
            return cast("bytes | None", self._client.get(key))  # not decode_responses: bytes
        except Exception as error:  # any Redis failure falls back to rendering
            self._pause(error)
            return None

    def set_bytes(self, key: str, value: bytes) -> None:
        if time.monotonic() < self._paused_until:
            return
        try:
            self._client.set(key, value, ex=REDIS_TTL_SECONDS)
        except Exception as error:
            self._pause(error)

    def _pause(self, error: Exception) -> None:
        log.warning("page cache: Redis failed (%s); rendering without it for %d s", error, self.PAUSE_SECONDS)
        self._paused_until = time.monotonic() + self.PAUSE_SECONDS


class NullStore:
    def get(self, key: str) -> None:
        return None

    def set(self, key: str, value: str | bytes) -> None:
        pass

    get_bytes = get
    set_bytes = set


@dataclass
class PageCache:
    store: MemoryStore | RedisStore | NullStore
    prefix: str


def page_cache(app: Flask | None = None) -> PageCache:
    """This app's cache, made on first use from CACHE_URL (else $SUPERVISE_CACHE_URL, else memory)."""
    app = app or current_app
    cache = app.extensions.get("supervise_page_cache")
    if cache is None:
        url = app.config.get("CACHE_URL") or os.environ.get("SUPERVISE_CACHE_URL") or "memory://"
        store: MemoryStore | RedisStore | NullStore
        if url.startswith(("redis://", "rediss://", "unix://")):
            store = RedisStore(url)
        elif url == "memory://":
            store = MemoryStore()
        else:
            store = NullStore()
        cache = PageCache(store, _prefix(app))
        app.extensions["supervise_page_cache"] = cache
    return cache


def _prefix(app: Flask) -> str:
    """Apps share a Redis only when they share the database and the same code, templates and texts."""
    root = Path(app.root_path).parent
    fingerprint = hashlib.sha256(app.config["SQLALCHEMY_DATABASE_URI"].encode())
    for folder, pattern in (("supervise", "*.py"), ("templates", "*.html"), ("translations", "*.mo")):
        for path in sorted((root / folder).rglob(pattern)):
            stat = path.stat()
            fingerprint.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    return f"supervise:page:{fingerprint.hexdigest()[:16]}:"


def fragment_key(*parts: object) -> str:
    """A key for a fragment made from exactly these parts."""
    return page_cache().prefix + hashlib.sha256(repr(parts).encode()).hexdigest()


def cached_fragment(key: str, render: Callable[[], str]) -> Markup:
    """The fragment stored under ``key``, else ``render()``, kept only if the response is a GET 200."""
    cache = page_cache()
    body = cache.store.get(key)
    if body is not None:
        return Markup(body)  # noqa: S704 (HTML this app rendered, with autoescape, and stored)
    body = render()
    if request.method == "GET":

        @after_this_request
        def keep(response):
            if response.status_code == 200:
                cache.store.set(key, body)
            return response

    return Markup(body)  # noqa: S704 (rendered just now, with autoescape)


# --- blocks of the layout ------------------------------------------------------------------------

LAYOUT_ENTRIES = 64


def layout_cache(app: Flask | None = None) -> MemoryStore | NullStore:
    """Where this process keeps blocks of templates/base.html.

    Always in this process, whatever CACHE_URL says: a block is made of the code, the templates,
    the translations and its key alone, so it never goes stale while the process runs, and a Redis
    round trip would cost about what rendering it does. Off when CACHE_URL is ``none`` and when
    templates reload from disk (debug)."""
    app = app or current_app
    store = app.extensions.get("supervise_layout_cache")
    if store is None:
        off = isinstance(page_cache(app).store, NullStore) or app.jinja_env.auto_reload
        store = NullStore() if off else MemoryStore(LAYOUT_ENTRIES)
        app.extensions["supervise_layout_cache"] = store
    return store


def cached_block(*parts: str | int | None, caller: Callable[[], str]) -> Markup:
    """``{% call cached_block(name, part, …) %}…{% endcall %}``: the block rendered once per process
    for each set of parts. Everything the block shows, besides code and texts, must be in the parts:
    no user names, no CSRF tokens, no request path."""
    store = layout_cache()
    key = repr(parts)
    body = store.get(key)
    if body is None:
        body = str(caller())
        store.set(key, body)
    return Markup(body)  # noqa: S704 (HTML this app rendered, with autoescape)
