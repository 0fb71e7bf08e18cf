"""Append to and verify the hash chain."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select

from .. import clock
from ..database import is_write_transaction
from ..extensions import db
from .models import GENESIS_HASH, ChainHead, TimelineEvent

SYSTEM_ACTOR = "system"


def canonical_json(value: Any) -> str:
    """Serialise `value` the one way the chain hashes it."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def format_at(at: datetime) -> str:
    """Format a timestamp exactly as it is hashed."""
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_quote = json.encoder.encode_basestring  # the string encoder json.dumps(ensure_ascii=False) uses


def hashed_body(seq: int, at_text: str, kind: str, incident_id: int | None, actor_name: str, data: str) -> str:
    """canonical_json() of the hashed fields, spelled out (keys sorted) because verify runs it a million times."""
    incident = "null" if incident_id is None else str(int(incident_id))
    return (f'{{"actor":{_quote(actor_name)},"at":{_quote(at_text)},"data":{_quote(data)},'
            f'"incident_id":{incident},"kind":{_quote(kind)},"seq":{int(seq)}}}')


def event_hash(prev_hash: str, seq: int, at: datetime, kind: str, incident_id: int | None,
               actor_name: str, data: str) -> str:
    """Hash one event together with the hash before it."""
    body = hashed_body(seq, format_at(at), kind, incident_id, actor_name, data)
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def append_event(kind: str, *, actor, data: dict | None = None, incident_id: int | None = None,
                 at: datetime | None = None) -> TimelineEvent:
    """Add one event to the chain inside the caller's transaction (the caller commits)."""
    if not is_write_transaction():
        raise RuntimeError("append_event() needs database.begin_write() first")
    head = db.session.execute(
        select(ChainHead).where(ChainHead.id == 1).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    at = at or clock.now()
    seq = head.seq + 1
    actor_name = actor.username if actor is not None else SYSTEM_ACTOR
    text = canonical_json(data or {})
    digest = event_hash(head.hash, seq, at, kind, incident_id, actor_name, text)
    row = TimelineEvent(seq=seq, at=at, kind=kind, incident_id=incident_id,
                        actor_id=getattr(actor, "id", None), actor_name=actor_name,
                        data=text, prev_hash=head.hash, hash=digest)
    head.seq, head.hash = seq, digest
    db.session.add(row)
    db.session.flush()
    return row


@dataclass
class ChainReport:
    """What verify_chain() found."""

    ok: bool
    events_checked: int
    first_bad_event: int | None = None
    problem: str | None = None

    def as_dict(self) -> dict:
        report = {"ok": self.ok, "events_checked": self.events_checked}
        if not self.ok:
            report["first_bad_event"] = self.first_bad_event
            report["problem"] = self.problem
        return report


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Recompute every hash in order; name the first event that does not fit."""
    connection = db.session.connection()
    sqlite = connection.dialect.name == "sqlite"
    cursor = connection.connection.driver_connection.cursor()
    # The driver's own cursor: building ORM or Core rows would cost more than the hashing itself.
    cursor.execute("SELECT seq, at, kind, incident_id, actor_name, data, prev_hash, hash "
                   "FROM timeline_event ORDER BY seq")
    sha256, expected_seq, prev, checked = hashlib.sha256, 1, GENESIS_HASH, 0
    try:
        while rows := cursor.fetchmany(batch_size):
            for seq, at, kind, incident_id, actor_name, data, prev_hash, stored in rows:
                if seq != expected_seq:
                    return ChainReport(False, checked, expected_seq, "missing")
                if prev_hash != prev:
                    return ChainReport(False, checked, seq, "broken_link")
                at_text = _sqlite_at(at) if sqlite else format_at(at)
                body = hashed_body(seq, at_text, kind, incident_id, actor_name, data)
                if sha256((prev + body).encode("utf-8")).hexdigest() != stored:
                    return ChainReport(False, checked, seq, "altered")
                prev, expected_seq, checked = stored, seq + 1, checked + 1
    finally:
        cursor.close()
    head = db.session.get(ChainHead, 1)
    if head is None or head.seq != checked or head.hash != prev:
        return ChainReport(False, checked, checked + 1, "missing")
    return ChainReport(True, checked)


def _sqlite_at(stored: str) -> str:
    """SQLite keeps UTC as 'YYYY-MM-DD HH:MM:SS.ffffff' (always with microseconds): reformat without parsing."""
    if len(stored) == 26 and stored[10] == " ":
        return stored[:10] + "T" + stored[11:] + "Z"
    return format_at(datetime.fromisoformat(stored).replace(tzinfo=timezone.utc))


def decoded_data(event: TimelineEvent) -> dict:
    """Return an event's data as a dict."""
    return json.loads(event.data)
