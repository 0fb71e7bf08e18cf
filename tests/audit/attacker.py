"""What someone with DDL rights on the database can do:
switch the guards off, change rows, put the guards back.
"""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import select, text

from crisisdesk.audit import triggers
from crisisdesk.extensions import db
from crisisdesk.timeline.chain import event_hash
from crisisdesk.timeline.models import APPEND_ONLY_SQLITE, TimelineEvent


def _sqlite_statements(conn, table: str) -> list[str]:
    if table == "timeline_event":
        return APPEND_ONLY_SQLITE
    columns = [row[1] for row in conn.execute(text(f"PRAGMA table_info({table})"))]
    return triggers.sqlite_statements(table, columns)


@contextmanager
def guards_off(table: str):
    """A connection on which `table`'s triggers are dropped
    (SQLite) or switched off (PostgreSQL), restored after.
    """
    db.session.remove()
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
            yield conn
            conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
            return
        names = [
            name
            for (name,) in conn.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
                {"t": table},
            )
        ]
        for name in names:
            conn.execute(text(f"DROP TRIGGER {name}"))
        yield conn
        for statement in _sqlite_statements(conn, table):
            conn.execute(text(statement))


def behind_the_guards(table: str, *statements: str, **params) -> None:
    """Run `statements` on `table` with its triggers out of the way, then put them back."""
    with guards_off(table) as conn:
        for statement in statements:
            conn.execute(text(statement), params)


def rewrite_chain(seq: int, data: str) -> None:
    """Give event `seq` new data and recompute every hash
    after it and the head: a chain that verifies again.
    """
    events = db.session.scalars(
        select(TimelineEvent).where(TimelineEvent.seq >= seq).order_by(TimelineEvent.seq)
    ).all()
    prev, rows = events[0].prev_hash, []
    for event in events:
        body = data if event.seq == seq else event.data
        digest = event_hash(
            prev, event.seq, event.at, event.kind, event.incident_id, event.actor_name, body
        )
        rows.append({"s": event.seq, "d": body, "p": prev, "h": digest})
        prev = digest
    with guards_off("timeline_event") as conn:
        for row in rows:
            conn.execute(
                text(
                    "UPDATE timeline_event SET data = :d, prev_hash = :p, hash = :h WHERE seq = :s"
                ),
                row,
            )
        conn.execute(text("UPDATE timeline_head SET seq = :s, hash = :h WHERE id = 1"), rows[-1])


def shorten_chain(keep: int) -> None:
    """Remove every event after `keep` and move the head back to it."""
    last = db.session.get(TimelineEvent, keep).hash
    with guards_off("timeline_event") as conn:
        conn.execute(text("DELETE FROM timeline_event WHERE seq > :s"), {"s": keep})
        conn.execute(
            text("UPDATE timeline_head SET seq = :s, hash = :h WHERE id = 1"),
            {"s": keep, "h": last},
        )


def drop_trigger(table: str, name: str) -> None:
    """Drop one guarding trigger for good."""
    db.session.remove()
    with db.engine.begin() as conn:
        conn.execute(
            text(
                f"DROP TRIGGER {name} ON {table}"
                if conn.dialect.name == "postgresql"
                else f"DROP TRIGGER {name}"
            )
        )


def restore_trigger(table: str, name: str) -> None:
    """Create a dropped trigger again (PostgreSQL keeps its tables from test to test)."""
    db.session.remove()
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            wanted = [s for s in triggers.postgres_statements(table) if f"TRIGGER {name} " in s]
        else:
            wanted = [s for s in _sqlite_statements(conn, table) if f"TRIGGER {name} " in s]
        for statement in wanted:
            conn.execute(text(statement))
