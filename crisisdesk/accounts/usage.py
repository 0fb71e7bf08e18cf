"""When and from where a session or an API token was last used: at most one write a minute each.

The write is a small UPDATE in a short transaction of its own, never in the request's: a page
that only reads must not become a write transaction. Each worker remembers what it wrote, so a
busy session costs one UPDATE a minute; the condition in the UPDATE keeps several workers from
writing the same minute twice. These columns are not timeline state: nothing remembered under
the chain head may depend on them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Table, or_, update
from sqlalchemy.exc import DBAPIError

from ..extensions import db

INTERVAL = timedelta(minutes=1)
MAX_REMEMBERED = 10_000
_EXTENSION = "crisisdesk.accounts.usage"


def _written() -> dict:
    return current_app.extensions.setdefault(_EXTENSION, {})


def mark_written(table: Table, row_id: int, at: datetime) -> None:
    """Note that a row's use was just written (a session that was made a moment ago)."""
    written = _written()
    if len(written) >= MAX_REMEMBERED:
        written.clear()
    written[(table.name, row_id)] = at


def note_use(
    table: Table, row_id: int, *, at_column: str, address_column: str, address: str, now: datetime
) -> bool:
    """Write `now` and `address` to the row unless that
    was done less than a minute ago; tell whether it ran.
    """
    last = _written().get((table.name, row_id))
    if (last is not None and now - last < INTERVAL) or _request_is_writing():
        return False
    mark_written(table, row_id, now)
    at = table.c[at_column]
    statement = (
        update(table)
        .where(table.c.id == row_id, or_(at.is_(None), at <= now - INTERVAL))
        .values({at_column: now, address_column: (address or "unknown")[:64]})
    )
    try:
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # never queue behind a transaction that holds
                # the row: the next minute writes it anyway
                connection.exec_driver_sql("SET LOCAL lock_timeout = '2s'")
            connection.execute(statement)
    except DBAPIError:
        current_app.logger.warning(
            "could not record the use of %s %s", table.name, row_id, exc_info=True
        )
    return True


def _request_is_writing() -> bool:
    """Tell whether the request's own transaction holds SQLite's write lock (a refused write not yet
    rolled back): a second connection would wait on it for the whole busy timeout."""
    session = db.session()
    if not session.in_transaction():
        return False
    connection = session.connection()
    return connection.dialect.name == "sqlite" and bool(
        connection.get_execution_options().get("sqlite_write")
    )
