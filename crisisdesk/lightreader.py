"""One-row reads outside the request's transaction, on a driver connection per thread."""

from __future__ import annotations

import threading

from .extensions import db


class LightReader:
    """One-row reads on a driver connection of its own, one per thread, in autocommit.

    For the reads every page makes (the heads, the bell): they skip the pool and the ORM
    session and see what is committed. Any failure drops the connection; the next read
    reconnects.
    """

    def __init__(self):
        self._local = threading.local()
        self._opened: list = []

    def _connect(self):
        engine = db.engine
        cargs, cparams = engine.dialect.create_connect_args(engine.url)
        if engine.dialect.name == "sqlite":
            # only close() crosses threads
            cparams.update(isolation_level=None, check_same_thread=False)
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
        """The first row of `sql` (placeholders as ?); a dropped connection is replaced once."""
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
