"""Answers kept in memory under the heads of what they read.

THE rule: an answer is kept under (the caller's key, the heads of every scope it reads), and
nothing else may change it. A head is the seq of the last timeline event that moved a scope
(timeline/scopes.py): "incidents", "people", "library", or one incident's "incident:<id>".
What this module enforces:

- remembered() needs the scopes: the heads are part of the key, read once per request and
  before the answer is computed (in the request's own transaction when one is open, whose
  loaded objects are then expired before computing), so a kept answer is never older than the
  heads it is kept under.
- append_event() moves the heads of the kind's scopes in the writing transaction and refuses a
  kind the registry does not classify; so a change makes the next request read a newer head and
  the old entry is never asked for again (it ages out of the LRU, bounded by entries and bytes).
- Not kept: None, errors, answers computed outside a request (the heads are the request's),
  and answers computed while the request's own session holds writes it has not committed.

What the caller must not put into an answer is anything outside its key: the reader, the
request, the clock, state no event covers (notifications, deliveries, usage columns). HTML parts
go through shared_parts.shared_part(), which adds language, zone and the reader's audience to
the key and renders without the reader or a clock; the property test in tests/test_kept_pages.py
compares every kept page with the same request answered without the cache.
Each app has its own cache; each gunicorn worker too.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from .extensions import db
from .lightreader import LightReader
from .timeline.scopes import INCIDENT_PREFIX, NAMED_HEADS, incident_scope, is_scope

T = TypeVar("T")
_EXTENSION = "crisisdesk.readcache"
_WROTE = "crisisdesk.readcache.wrote"


class ReadCache:
    """A small thread-safe LRU map of (key, heads) → answer, bounded by entries and by bytes.

    Entries under heads that have moved on are never asked for again; they age out.
    """

    def __init__(self, size: int, max_bytes: int = 64 * 2**20):
        self.size, self.max_bytes = size, max_bytes
        self._items: OrderedDict = OrderedDict()
        self._weights: dict = {}
        self._bytes = 0
        self._lock = threading.Lock()
        #: lookups per kind of answer (the key's first item): [hits, misses]
        self.counts: dict[str, list[int]] = {}

    def get(self, key):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            counts = self.counts.get(key[0][0])
            if counts is None:
                counts = self.counts[key[0][0]] = [0, 0]
            counts[value is None] += 1
            return value

    def put(self, key, value) -> None:
        """Keep `value` under `key`, evicting the least recently used beyond the bounds."""
        weight = _weight(value)
        if weight > self.max_bytes:
            return
        with self._lock:
            self._bytes += weight - self._weights.get(key, 0)
            self._items[key], self._weights[key] = value, weight
            self._items.move_to_end(key)
            while len(self._items) > self.size or self._bytes > self.max_bytes:
                old, _value = self._items.popitem(last=False)
                self._bytes -= self._weights.pop(old)

    def __len__(self) -> int:
        return len(self._items)


def _weight(value, depth: int = 3) -> int:
    """Roughly the bytes an answer holds: its text, a few levels into containers and dataclasses."""
    if isinstance(value, (str, bytes)):
        return len(value) + 64
    if depth == 0:
        return 64
    if isinstance(value, dict):
        items = value.values()
    elif isinstance(value, (tuple, list)):
        items = value
    elif hasattr(value, "__dict__"):
        items = vars(value).values()
    else:
        return 64
    return 64 + sum(_weight(item, depth - 1) for item in items)


def init_app(app: Flask) -> None:
    """Give the app its cache: READ_CACHE_SIZE entries, READ_CACHE_BYTES (size 0: no caching).

    With READ_CACHE_STATS_DIR set (the benchmark does), each process writes its lookup counts
    there as <pid>.json a few times a second.
    """
    cache = ReadCache(app.config["READ_CACHE_SIZE"], app.config["READ_CACHE_BYTES"])
    app.extensions[_EXTENSION] = cache
    app.extensions[_EXTENSION + ".head"] = LightReader()
    _watch_session_writes()
    if app.config.get("READ_CACHE_STATS_DIR"):
        _write_stats(cache, Path(app.config["READ_CACHE_STATS_DIR"]))


def close(app: Flask) -> None:
    """Close the app's light-reading connections."""
    app.extensions[_EXTENSION + ".head"].close()


def light_row(sql: str, params: tuple = ()) -> tuple:
    """One row read outside the request's transaction, on the light connection (see LightReader)."""
    return current_app.extensions[_EXTENSION + ".head"].row(sql, params)


def heads(scopes: tuple[str, ...]) -> tuple[int, ...]:
    """The head of each scope as this request first read it (0 for a scope nothing moved yet).

    Read before anything is computed from them: on the light connection while the request has
    no transaction open (whatever it reads later is newer), else in that transaction (on SQLite
    its snapshot may be older than what is committed now). One read brings the named heads and
    the head of the incident the URL names with the scopes asked for.
    """
    known = g.get("_desk_heads")
    if known is None:
        known = g._desk_heads = {}
    wanted = [scope for scope in scopes if scope not in known]
    if wanted:
        wanted += [name for name in NAMED_HEADS if name not in known and name not in wanted]
        named_in_url = _incident_in_url()
        if named_in_url and named_in_url not in known and named_in_url not in wanted:
            wanted.append(named_in_url)
        known.update(zip(wanted, _read_heads(wanted), strict=True))
    return tuple(known[scope] for scope in scopes)


def _incident_in_url() -> str | None:
    number = (request.view_args or {}).get("incident_id")
    return incident_scope(number) if isinstance(number, int) and 0 < number < 2**31 else None


def _read_heads(scopes: list[str]) -> tuple:
    columns, params = [], []
    for scope in scopes:
        if not is_scope(scope):
            raise ValueError(f"{scope!r} is not a scope (timeline/scopes.py)")
        if scope.startswith(INCIDENT_PREFIX):
            columns.append("(SELECT max(seq) FROM timeline_event WHERE incident_id = ?)")
            params.append(int(scope[len(INCIDENT_PREFIX) :]))
        else:  # one of NAMED_HEADS: a constant, never input
            columns.append(f"max(CASE WHEN name = '{scope}' THEN seq END)")
    named = any(not scope.startswith(INCIDENT_PREFIX) for scope in scopes)
    sql = "SELECT " + ", ".join(f"COALESCE({column}, 0)" for column in columns)
    sql += " FROM state_head" if named else ""
    session = _made_session()
    if session is None or not session.in_transaction():
        return light_row(sql, tuple(params))
    connection = session.connection()
    if connection.dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    return tuple(connection.exec_driver_sql(sql, tuple(params)).one())


def remembered(key: tuple, compute: Callable[[], T], *, scopes: tuple[str, ...]) -> T:
    """compute(), or what it returned for `key` under the current heads of `scopes`.

    `scopes` must name everything compute() reads (timeline/scopes.py); see the module's rule.
    """
    cache: ReadCache = current_app.extensions[_EXTENSION]
    # heads are read once per request: outside one (the worker, a command) nothing is kept
    if not cache.size or not has_request_context() or _unsettled(_made_session()):
        return compute()
    full_key = (key, scopes, heads(scopes))
    value = cache.get(full_key)
    if value is None:
        session = _made_session()
        if session is not None and session.in_transaction():
            # what the request loaded before reading the heads may be older than they are
            session.expire_all()
        value = compute()
        if value is not None and not _unsettled(_made_session()):
            cache.put(full_key, value)
    return value


def _made_session() -> Session | None:
    """The request's database session if it has one (making one costs more than a kept answer)."""
    registry = db.session.registry
    return registry() if registry.has() else None


def _unsettled(session: Session | None) -> bool:
    """Whether the session holds changes not yet committed (an answer built on them is not kept)."""
    if session is None:
        return False
    return bool(session.info.get(_WROTE) or session.new or session.dirty or session.deleted)


_watching = False


def _watch_session_writes() -> None:
    """Mark a session that flushed or executed a write until its transaction ends."""
    global _watching
    if _watching:
        return
    _watching = True

    def wrote(session, *_args) -> None:
        session.info[_WROTE] = True

    def executed(state) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            state.session.info[_WROTE] = True

    def ended(session, transaction) -> None:
        if transaction.parent is None:
            session.info.pop(_WROTE, None)

    event.listen(Session, "after_flush", wrote)
    event.listen(Session, "do_orm_execute", executed)
    event.listen(Session, "after_transaction_end", ended)


def _write_stats(cache: ReadCache, folder: Path) -> None:
    """Write the cache's lookup counts to folder/<pid>.json every 0.2 s (a thread per process)."""

    def loop() -> None:
        folder.mkdir(parents=True, exist_ok=True)
        last = None
        while True:
            time.sleep(0.2)
            with cache._lock:
                counts = {kind: list(pair) for kind, pair in cache.counts.items()}
            if counts != last:
                target = folder / f"{os.getpid()}.json"
                temporary = target.with_suffix(".tmp")
                temporary.write_text(json.dumps(counts))
                temporary.replace(target)
                last = counts

    threading.Thread(target=loop, name="readcache-stats", daemon=True).start()
