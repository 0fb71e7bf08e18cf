"""Reads answered from memory until the timeline moves on.

Every change to the desk appends a timeline event in the same transaction, so the chain head
(sequence number and hash) names the state of everything the timeline covers. A read computed
after the head was read can only be newer than that head, never older, so keeping it under
that head is safe: the next change moves the head and the entry is never asked for again.
Only reads of timeline-covered state may use this: not notifications, not delivery status, and
the clock only through a key that moves with it or a `fresh` check. Each app has its own
cache; each gunicorn worker too.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, g

from .extensions import db

T = TypeVar("T")
_EXTENSION = "crisisdesk.readcache"


class ReadCache:
    """A small thread-safe LRU map of (key, chain head) → answer, bounded by entries and by bytes.

    Entries kept under an older head can never be asked for again, so a newer head drops them
    all at once, and an answer computed under an older head is not kept.
    """

    def __init__(self, size: int, max_bytes: int = 64 * 2**20):
        self.size, self.max_bytes = size, max_bytes
        self._items: OrderedDict = OrderedDict()
        self._weights: dict = {}
        self._bytes = 0
        self._head_seq = -1
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        """Keep `value` under `key` = (anything, (head seq, head hash))."""
        head_seq = key[1][0]
        weight = _weight(value)
        with self._lock:
            if head_seq < self._head_seq or weight > self.max_bytes:
                return
            if head_seq > self._head_seq:
                self._items.clear()
                self._weights.clear()
                self._head_seq, self._bytes = head_seq, 0
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


class LightReader:
    """One-row reads on a driver connection of its own, one per thread, in autocommit.

    For the reads every page makes (the chain head, the bell): they skip the pool and the ORM
    session (4 µs instead of 180 µs on SQLite) and see what is committed. Any failure drops the
    connection; the next read reconnects.
    """

    def __init__(self):
        self._local = threading.local()
        self._opened: list = []

    def _connect(self):
        engine = db.engine
        cargs, cparams = engine.dialect.create_connect_args(engine.url)
        if engine.dialect.name == "sqlite":
            cparams.update(
                isolation_level=None, check_same_thread=False
            )  # only close() crosses threads
        connection = engine.dialect.loaded_dbapi.connect(*cargs, **cparams)
        if engine.dialect.name != "sqlite":
            connection.autocommit = True
        self._local.placeholder = "?" if engine.dialect.paramstyle == "qmark" else "%s"
        self._opened.append(connection)
        return connection

    def close(self) -> None:
        """Close the connections of every thread (tests dropping their database call this)."""
        for connection in self._opened:
            try:
                connection.close()
            except Exception:  # noqa: BLE001 - already broken is closed enough
                pass
        self._opened.clear()
        self._local = threading.local()

    def row(self, sql: str, params: tuple = ()) -> tuple:
        """The first row of `sql` (placeholders written as ?); a connection the server dropped is replaced once."""
        try:
            return self._row(sql, params)
        except Exception:  # noqa: BLE001 - a stale connection (server restart); the retry raises if it is real
            return self._row(sql, params)

    def _row(self, sql: str, params: tuple) -> tuple:
        connection = getattr(self._local, "connection", None)
        try:
            if connection is None:
                connection = self._local.connection = self._connect()
            cursor = connection.cursor()
            cursor.execute(sql.replace("?", self._local.placeholder), params)
            row = cursor.fetchone()
            cursor.close()
        except Exception:
            self._local.connection = None
            if connection is not None:
                connection.close()
            raise
        return tuple(row)


def init_app(app: Flask) -> None:
    """Give the app its cache (READ_CACHE_SIZE entries and READ_CACHE_BYTES; size 0 turns caching off)."""
    app.extensions[_EXTENSION] = ReadCache(
        app.config["READ_CACHE_SIZE"], app.config["READ_CACHE_BYTES"]
    )
    app.extensions[_EXTENSION + ".head"] = LightReader()


def close(app: Flask) -> None:
    """Close the app's light-reading connections."""
    app.extensions[_EXTENSION + ".head"].close()


def chain_head() -> tuple[int, str]:
    """The chain head as this request first saw it."""
    if "chain_head" not in g:
        g.chain_head = light_row("SELECT seq, hash FROM timeline_head WHERE id = 1")
    return g.chain_head


def light_row(sql: str, params: tuple = ()) -> tuple:
    """One row read outside the request's transaction, on the light connection (see LightReader)."""
    return current_app.extensions[_EXTENSION + ".head"].row(sql, params)


def remembered(key: tuple, compute: Callable[[], T], fresh: Callable[[T], bool] | None = None) -> T:
    """compute(), or what it returned for `key` at the current chain head (None results are not kept).

    `fresh` lets a value that also depends on the clock say when it has run out.
    """
    cache: ReadCache = current_app.extensions[_EXTENSION]
    if not cache.size:
        return compute()
    full_key = (key, chain_head())
    value = cache.get(full_key)
    if value is None or (fresh is not None and not fresh(value)):
        value = compute()
        if value is not None:
            cache.put(full_key, value)
    return value
