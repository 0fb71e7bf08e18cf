"""Timeline tables: the events, the head of their hash chain, the heads of the scopes it moves."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, ForeignKey, Index, String, Text, event, insert
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime
from ..extensions import db

GENESIS_HASH = "0" * 64


class TimelineEvent(db.Model):
    """One thing that happened; never updated, never deleted."""

    __tablename__ = "timeline_event"
    __table_args__ = (Index("ix_timeline_event_incident_seq", "incident_id", "seq"),)

    #: position in the one global chain, gapless, assigned under the head's lock
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(40), index=True)
    #: null for events about the desk itself (accounts, library sign-off)
    incident_id: Mapped[int | None] = mapped_column(nullable=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    #: the actor's username when it happened ("system" for the desk itself); part of the hash
    actor_name: Mapped[str] = mapped_column(String(64))
    #: canonical JSON, stored as the exact text that was hashed
    data: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class ChainHead(db.Model):
    """The single row holding the last sequence number and hash; locked by every append."""

    __tablename__ = "timeline_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)


class StateHead(db.Model):
    """The seq of the last event that moved a named scope (timeline/scopes.py); set by every append.

    Rows are made by the first event that moves them: a missing row reads as 0.
    """

    __tablename__ = "state_head"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)


APPEND_ONLY_SQLITE = [
    "CREATE TRIGGER timeline_event_no_update BEFORE UPDATE ON timeline_event "
    "BEGIN SELECT RAISE(ABORT, 'timeline events are append-only'); END",
    "CREATE TRIGGER timeline_event_no_delete BEFORE DELETE ON timeline_event "
    "BEGIN SELECT RAISE(ABORT, 'timeline events are append-only'); END",
]
APPEND_ONLY_POSTGRES = [
    "CREATE OR REPLACE FUNCTION timeline_event_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'timeline events are append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER timeline_event_append_only BEFORE UPDATE OR DELETE ON timeline_event "
    "FOR EACH ROW EXECUTE FUNCTION timeline_event_append_only()",
]
#: each insert tells listening workers there is work (notify/wakeup.py); a statement trigger
#: costs the writer no round trip, and PostgreSQL delivers it at commit, once per transaction
EVENTS_CHANNEL = "crisisdesk_events"
NOTIFY_POSTGRES = [
    "CREATE OR REPLACE FUNCTION timeline_event_notify() RETURNS trigger AS $$ "
    f"BEGIN PERFORM pg_notify('{EVENTS_CHANNEL}', ''); RETURN NULL; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER timeline_event_notify AFTER INSERT ON timeline_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION timeline_event_notify()",
]
NOTIFY_POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS timeline_event_notify ON timeline_event",
    "DROP FUNCTION IF EXISTS timeline_event_notify()",
]

# Tests build tables with create_all(); these hooks give them the same triggers and head
# row the migration creates, so the tests exercise what production runs.
for _statement in APPEND_ONLY_SQLITE:
    event.listen(
        TimelineEvent.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite")
    )
for _statement in APPEND_ONLY_POSTGRES + NOTIFY_POSTGRES:
    event.listen(
        TimelineEvent.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql")
    )


@event.listens_for(ChainHead.__table__, "after_create")
def _insert_head(target, connection, **_kw):
    connection.execute(insert(target).values(id=1, seq=0, hash=GENESIS_HASH))
